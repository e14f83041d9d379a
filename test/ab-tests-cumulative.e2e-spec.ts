import { randomUUID } from 'node:crypto';
import { observationsOf, recordObservations, startAbTest } from 'test/support/ab-test-factories';
import { expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/*
 * GET /ab-test/{id}/results/cumulative: the lift over time, each point the results' own analysis of the counters
 * as they stood. Checked against GET /results read at the end of each day (the clock is moved between batches).
 */
const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 2, 9, 0, 0);

type Results = {
  control: string;
  variants: Array<{ count: number }>;
  comparisons: Array<{
    variant: string;
    relativeEffect: number | null;
    relativeCiLow: number | null;
    relativeCiHigh: number | null;
    pValue: number | null;
    significant: boolean;
  }>;
};
type Cumulative = {
  bucket: string;
  control: string;
  points: Array<{ bucketStart: string; asOf: string; counts: number[]; comparisons: Results['comparisons'] }>;
};

/** The part of GET /results a cumulative point repeats. */
function pointOf(results: Results) {
  return {
    counts: results.variants.map((variant) => variant.count),
    comparisons: results.comparisons.map(({ variant, relativeEffect, relativeCiLow, relativeCiHigh, pValue, significant }) => ({
      variant,
      relativeEffect,
      relativeCiLow,
      relativeCiHigh,
      pValue,
      significant,
    })),
  };
}

describe('A/B tests: cumulative lift over time (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const results = async (testId: string) => (await testApp.http().get(`/api/v1/ab-test/${testId}/results`).expect(200)).body as Results;
  const cumulative = async (testId: string, query = '') =>
    (await testApp.http().get(`/api/v1/ab-test/${testId}/results/cumulative${query}`).expect(200)).body as Cumulative;

  it('has one point per day with batches; each equals GET /results at the end of that day, the last equals it now', async () => {
    testApp.clock.set(new Date(START));
    const test = await startAbTest(testApp, {
      variants: [
        { name: 'control', weight: 1 },
        { name: 'challenger', weight: 1 },
        { name: 'bold', weight: 1 },
      ],
    });
    const days: Array<Array<[number, number]>> = [
      [
        [400, 40],
        [410, 50],
        [390, 35],
      ],
      [
        [500, 52],
        [480, 61],
        [505, 49],
      ],
      [], // a day without batches has no point
      [
        [450, 44],
        [470, 60],
        [460, 41],
      ],
    ];
    const expected: ReturnType<typeof pointOf>[] = [];
    for (const [day, batch] of days.entries()) {
      if (batch.length === 0) continue;
      // two batches a day, hours apart
      for (const hour of [1, 7]) {
        testApp.clock.set(new Date(START + day * DAY + hour * 3_600_000));
        await recordObservations(testApp, test.id, {
          aggregates: ['control', 'challenger', 'bold'].map((variant, i) => ({
            variant,
            count: hour === 1 ? Math.floor(batch[i][0] / 2) : Math.ceil(batch[i][0] / 2),
            sum: hour === 1 ? Math.floor(batch[i][1] / 2) : Math.ceil(batch[i][1] / 2),
          })),
        });
      }
      expected.push(pointOf(await results(test.id)));
    }
    const body = await cumulative(test.id);
    expect(body).toMatchObject({ bucket: '1d', control: 'control' });
    expect(body.points.map((point) => point.bucketStart)).toEqual(
      [0, 1, 3].map((day) => new Date(Math.floor((START + day * DAY) / DAY) * DAY).toISOString()),
    );
    expect(body.points.map((point) => point.asOf)).toEqual(
      [0, 1, 3].map((day) => new Date(START + day * DAY + 7 * 3_600_000).toISOString()),
    );
    expect(body.points.map(({ counts, comparisons }) => ({ counts, comparisons }))).toEqual(expected);
    expect(body.points.at(-1)).toMatchObject(pointOf(await results(test.id)));
    // the lift moved as data came in: not one number repeated
    expect(new Set(body.points.map((point) => point.comparisons[0].relativeEffect)).size).toBe(3);
    expect(body.points[2].comparisons.map((comparison) => comparison.variant)).toEqual(['challenger', 'bold']);

    // hourly buckets: a point per batch here (each batch hours apart)
    expect((await cumulative(test.id, '?bucket=1h')).points).toHaveLength(6);
    // a repeated batchId adds nothing, so no point either
    testApp.clock.set(new Date(START + 4 * DAY));
    const batch = { batchId: 'once', aggregates: [{ variant: 'control', count: 10, sum: 1 }] };
    await recordObservations(testApp, test.id, batch);
    testApp.clock.set(new Date(START + 5 * DAY));
    expect(await recordObservations(testApp, test.id, batch)).toMatchObject({ duplicate: true });
    const after = await cumulative(test.id);
    expect(after.points).toHaveLength(4);
    expect(after.points[3]).toMatchObject(pointOf(await results(test.id)));
    // one variant's batch: the others carry forward
    expect(after.points[3].counts).toEqual([after.points[2].counts[0] + 10, ...after.points[2].counts.slice(1)]);
  });

  it('continuous raw observations: the last point is the results, bit for bit; a stopped test keeps its history', async () => {
    testApp.clock.set(new Date(START));
    const test = await startAbTest(testApp, { metricType: 'continuous', primaryMetric: 'revenue' });
    const values = (offset: number, n: number) => Array.from({ length: n }, (_, i) => 1_000_000 + offset + ((i * 7919) % 97) / 10);
    for (let day = 0; day < 3; day++) {
      testApp.clock.set(new Date(START + day * DAY));
      await recordObservations(testApp, test.id, {
        observations: [...observationsOf('control', values(0, 60 + day)), ...observationsOf('challenger', values(0.8, 55 + day))],
      });
    }
    await testApp.http().post(`/api/v1/ab-test/${test.id}/stop`).send({}).expect(200);
    const body = await cumulative(test.id);
    expect(body.points).toHaveLength(3);
    expect(body.points.map((point) => point.counts)).toEqual([
      [60, 55],
      [121, 111],
      [183, 168],
    ]);
    expect(body.points[2]).toMatchObject(pointOf(await results(test.id)));
    expect(body.points[2].comparisons[0].relativeEffect).toEqual(expect.any(Number));
  });

  it('multi-metric tests: the primary metric’s lift; a batch of another metric is a point with the same lift', async () => {
    testApp.clock.set(new Date(START));
    const test = await startAbTest(testApp, {
      metricType: undefined,
      primaryMetric: undefined,
      minSamplesPerVariant: 0,
      metrics: [
        { name: 'conversion', role: 'primary', type: 'binomial' },
        { name: 'latency_ms', role: 'guardrail', type: 'continuous', direction: 'lower_is_better', tolerance: 0.05 },
      ],
    });
    await recordObservations(testApp, test.id, {
      metric: 'conversion',
      aggregates: [
        { variant: 'control', count: 800, sum: 80 },
        { variant: 'challenger', count: 820, sum: 101 },
      ],
    });
    const primaryOnly = pointOf(await results(test.id));
    testApp.clock.set(new Date(START + DAY));
    await recordObservations(testApp, test.id, {
      metric: 'latency_ms',
      aggregates: [
        { variant: 'control', count: 800, sum: 80_000, sumSquares: 799 * 100 + 800 * 100 ** 2 },
        { variant: 'challenger', count: 820, sum: 82_820, sumSquares: 819 * 100 + 820 * 101 ** 2 },
      ],
    });
    const body = await cumulative(test.id);
    expect(body.points).toHaveLength(2);
    expect(body.points[0]).toMatchObject(primaryOnly);
    expect(body.points[1]).toMatchObject(pointOf(await results(test.id)));
    expect(body.points[1].comparisons[0].relativeEffect).toBe(primaryOnly.comparisons[0].relativeEffect);
  });

  it('a batch stamped earlier than one applied before it (another instance’s clock) counts in the later bucket', async () => {
    const test = await startAbTest(testApp);
    const batch = (count: number, sum: number) => ({
      aggregates: [
        { variant: 'control', count, sum },
        { variant: 'challenger', count, sum: sum + 5 },
      ],
    });
    testApp.clock.set(new Date(START + 2 * DAY));
    await recordObservations(testApp, test.id, batch(100, 10));
    testApp.clock.set(new Date(START + DAY));
    await recordObservations(testApp, test.id, batch(200, 30));
    const body = await cumulative(test.id);
    expect(body.points.map((point) => point.asOf)).toEqual([new Date(START + 2 * DAY).toISOString()]);
    expect(body.points[0]).toMatchObject(pointOf(await results(test.id)));
    expect(body.points[0].counts).toEqual([300, 300]);
  });

  it('no observations: no points; bad input is a 400 naming the field; an unknown test is a 404', async () => {
    const test = await startAbTest(testApp);
    expect((await cumulative(test.id)).points).toEqual([]);
    const bad = await testApp.http().get(`/api/v1/ab-test/${test.id}/results/cumulative?bucket=2d`);
    expectProblem(bad, 400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'bucket' })]);
    expectProblem(await testApp.http().get(`/api/v1/ab-test/${randomUUID()}/results/cumulative`), 404, 'AB_TEST_NOT_FOUND');
    expectProblem(await testApp.http().get('/api/v1/ab-test/not-a-uuid/results/cumulative'), 400);
  });
});
