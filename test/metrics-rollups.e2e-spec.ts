import fc from 'fast-check';
import { MetricRollupWorker } from 'src/metrics/metric-rollup-worker.service';
import { MetricTrendService } from 'src/metrics/metric-trend.service';
import { MetricAggregation } from 'src/metrics/metrics.types';
import { SKETCH_RELATIVE_ERROR } from 'src/metrics/rollup.stats';
import { BUCKET_MS, BUCKET_SIZES } from 'src/metrics/trend.stats';
import { createModel } from 'test/support/factories';
import { recordMetrics } from 'test/support/metrics-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

const BASE = Date.parse('2025-01-06T00:00:00Z');
const SPAN = 3 * 86_400_000;
const EXACT = [
  MetricAggregation.Avg,
  MetricAggregation.Min,
  MetricAggregation.Max,
  MetricAggregation.Sum,
  MetricAggregation.Count,
  MetricAggregation.Last,
];
const PERCENTILES: [MetricAggregation, number][] = [
  [MetricAggregation.P50, 0.5],
  [MetricAggregation.P90, 0.9],
  [MetricAggregation.P95, 0.95],
  [MetricAggregation.P99, 0.99],
];

interface Point {
  at: number;
  value: number;
  version: string | null;
  region: string | null;
}

const pointArbitrary: fc.Arbitrary<Point> = fc.record({
  // Points cluster on a few instants (ties of `last`) and spread over three days (every resolution's edges).
  at: fc.oneof(fc.integer({ min: 0, max: SPAN - 1 }), fc.constantFrom(0, 59_999, 60_000, 3_599_999, 86_400_000)),
  value: fc.oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 1000),
    fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  ),
  version: fc.constantFrom(null, 'v1', 'v2'),
  region: fc.constantFrom(null, 'eu', 'us'),
});

const queryArbitrary = fc.record({
  bucket: fc.constantFrom(...BUCKET_SIZES),
  from: fc.integer({ min: -86_400_000, max: SPAN }),
  length: fc.integer({ min: 1, max: 2 * SPAN }),
  version: fc.constantFrom(undefined, 'v1'),
  region: fc.constantFrom(undefined, 'eu'),
});

jest.setTimeout(300_000);

describe('metric rollups (e2e): the rollup path answers as raw points do', () => {
  let testApp: TestApp;
  let trends: MetricTrendService;
  let worker: MetricRollupWorker;
  beforeAll(async () => {
    testApp = await createTestApp();
    testApp.clock.set('2025-06-01T00:00:00.000Z');
    trends = testApp.get(MetricTrendService);
    worker = testApp.get(MetricRollupWorker);
  });
  afterAll(() => testApp.close());

  /** Records the points in `batches` requests; the rollup worker folds after each of the first `folded` of them. */
  async function load(points: Point[], batches: number, folded = batches): Promise<string> {
    const model = await createModel(testApp);
    const body = points.map((point) => ({
      modelId: model.id,
      metricName: 'latency',
      value: point.value,
      recordedAt: new Date(BASE + point.at).toISOString(),
      ...(point.version ? { modelVersion: point.version } : {}),
      ...(point.region ? { segment: { region: point.region } } : {}),
    }));
    const size = Math.ceil(body.length / batches);
    for (let start = 0, batch = 0; start < body.length; start += size, batch++) {
      await recordMetrics(testApp, body.slice(start, start + size));
      if (batch < folded) await worker.catchUp({ wait: true });
    }
    return model.id;
  }

  function filterOf(modelId: string, query: { from: number; length: number; version?: string; region?: string }) {
    const from = BASE + query.from;
    const to = Math.min(from + query.length, BASE + SPAN + 86_400_000);
    return {
      modelId,
      metricName: 'latency',
      environment: 'production',
      from: new Date(from),
      to: new Date(Math.max(to, from + 1)),
      modelVersion: query.version,
      segment: query.region ? { region: query.region } : undefined,
    };
  }

  /** The generated points a filter selects, grouped by bucket index (the test's own reference). */
  function expectedBuckets(points: Point[], filter: ReturnType<typeof filterOf>, bucketMs: number): Map<number, number[]> {
    const buckets = new Map<number, number[]>();
    for (const point of points) {
      const at = BASE + point.at;
      if (at < filter.from.getTime() || at >= filter.to.getTime()) continue;
      if (filter.modelVersion !== undefined && point.version !== filter.modelVersion) continue;
      if (filter.segment !== undefined && point.region !== filter.segment.region) continue;
      const bucket = Math.floor(at / bucketMs);
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), point.value]);
    }
    return buckets;
  }

  it('gives identical count, min, max, last and sum/avg within 1e-12 relative, over random data and ranges', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(pointArbitrary, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(queryArbitrary, { minLength: 1, maxLength: 4 }),
        async (points, batches, folded, queries) => {
          // Some batches folded by the rollup worker, the rest still in its inbox: rollups before the watermark, raw after.
          const modelId = await load(points, batches, folded);
          for (const query of queries) {
            const filter = filterOf(modelId, query);
            const bucketMs = BUCKET_MS[query.bucket];
            if ((filter.to.getTime() - filter.from.getTime()) / bucketMs > 4000) continue;
            const expected = expectedBuckets(points, filter, bucketMs);
            for (const aggregation of EXACT) {
              const raw = await trends.readBuckets(filter, bucketMs, aggregation, false, { rollups: false });
              const rolled = await trends.readBuckets(filter, bucketMs, aggregation, false);
              expect(rolled.rows.map((row) => [row.bucket, row.count])).toEqual(raw.rows.map((row) => [row.bucket, row.count]));
              expect(rolled.rows.map((row) => [row.bucket, row.count])).toEqual(
                [...expected].sort(([a], [b]) => a - b).map(([bucket, values]) => [bucket, values.length]),
              );
              rolled.rows.forEach((row, i) => {
                const values = expected.get(row.bucket)!;
                if (aggregation === MetricAggregation.Sum || aggregation === MetricAggregation.Avg) {
                  // Float summation order differs; the bound is relative to Σ|x| (to |Σx| when no sign cancels).
                  const scale =
                    values.reduce((sum, value) => sum + Math.abs(value), 0) / (aggregation === MetricAggregation.Avg ? values.length : 1);
                  expect(Math.abs(row.value - raw.rows[i].value)).toBeLessThanOrEqual(1e-12 * scale);
                } else {
                  expect(row.value).toBe(raw.rows[i].value);
                }
              });
            }
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('estimates percentiles from the sketch within the stated relative error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pointArbitrary, { minLength: 1, maxLength: 300 }), queryArbitrary, async (points, query) => {
        const modelId = await load(points, 2);
        const filter = filterOf(modelId, query);
        const bucketMs = BUCKET_MS[query.bucket];
        if ((filter.to.getTime() - filter.from.getTime()) / bucketMs > 4000) return;
        const expected = expectedBuckets(points, filter, bucketMs);
        for (const [aggregation, q] of PERCENTILES) {
          const sketched = await trends.readBuckets(filter, bucketMs, aggregation, false, { exactPercentileLimit: 0 });
          const exact = await trends.readBuckets(filter, bucketMs, aggregation, false, { rollups: false });
          if (sketched.source !== 'raw') expect(sketched.relativeError).toBe(SKETCH_RELATIVE_ERROR);
          expect(sketched.rows.map((row) => row.bucket)).toEqual(exact.rows.map((row) => row.bucket));
          sketched.rows.forEach((row, i) => {
            // percentile_cont interpolates between the order statistics at ranks ⌊q(n−1)⌋ and ⌈q(n−1)⌉; each is
            // estimated within α of itself, so the estimate is within α·max(|x_lo|, |x_hi|) (α·|exact| for one sign).
            const sorted = [...expected.get(row.bucket)!].sort((a, b) => a - b);
            const rank = q * (sorted.length - 1);
            const bound = SKETCH_RELATIVE_ERROR * Math.max(Math.abs(sorted[Math.floor(rank)]), Math.abs(sorted[Math.ceil(rank)])) + 1e-9;
            expect(Math.abs(row.value - exact.rows[i].value)).toBeLessThanOrEqual(bound * (1 + 1e-9));
          });
        }
      }),
      { numRuns: 10 },
    );
  });

  it('says where the buckets came from through the API', async () => {
    const modelId = await load(
      [
        { at: 30_000, value: 1, version: null, region: null },
        { at: 86_400_000 + 5, value: 3, version: null, region: null },
      ],
      1,
    );
    const trend = (query: Record<string, string>) =>
      testApp
        .http()
        .get('/api/v1/metrics/trend')
        .query({ modelId, metricName: 'latency', bucket: '1d', ...query })
        .expect(200);
    await worker.catchUp({ wait: true });
    const day = new Date(BASE).toISOString();
    const twoDays = new Date(BASE + 2 * 86_400_000).toISOString();
    const rollup = await trend({ from: day, to: twoDays, aggregation: 'sum' });
    expect(rollup.body).toMatchObject({ source: 'rollup', relativeError: null, points: [{ value: 1 }, { value: 3 }] });
    const mixed = await trend({ from: new Date(BASE + 10_000).toISOString(), to: twoDays, aggregation: 'sum' });
    expect(mixed.body).toMatchObject({ source: 'mixed', points: [{ value: 1 }, { value: 3 }] });
    const raw = await trend({ from: new Date(BASE + 10_000).toISOString(), to: new Date(BASE + 50_000).toISOString(), aggregation: 'p50' });
    expect(raw.body).toMatchObject({ source: 'raw', relativeError: null, points: [{ value: 1 }] });
  });

  it('never misses an acknowledged point the worker has not folded yet: raw points from the watermark on', async () => {
    const modelId = await load(
      [
        { at: 30_000, value: 1, version: null, region: null },
        { at: 86_400_000 + 5, value: 3, version: null, region: null },
      ],
      1,
    );
    const sumOverTwoDays = async () => {
      const { body } = await testApp
        .http()
        .get('/api/v1/metrics/trend')
        .query({
          modelId,
          metricName: 'latency',
          bucket: '1d',
          aggregation: 'sum',
          from: new Date(BASE).toISOString(),
          to: new Date(BASE + 2 * 86_400_000).toISOString(),
        })
        .expect(200);
      return body as { source: string; points: { value: number }[] };
    };
    expect(await sumOverTwoDays()).toMatchObject({ source: 'rollup', points: [{ value: 1 }, { value: 3 }] });
    // A backfill into the first day and a point on the second, not folded: the first day is read from raw points on.
    await recordMetrics(testApp, [
      { modelId, metricName: 'latency', value: 10, recordedAt: new Date(BASE + 3_600_000).toISOString() },
      { modelId, metricName: 'latency', value: 20, recordedAt: new Date(BASE + 86_400_000 + 7_200_000).toISOString() },
    ]);
    expect(await sumOverTwoDays()).toMatchObject({ source: 'mixed', points: [{ value: 11 }, { value: 23 }] });
    const latest = await testApp.http().get('/api/v1/metrics/latest').query({ modelId }).expect(200);
    expect(latest.body).toMatchObject({ items: [{ metricName: 'latency', value: 20 }] });
    expect(await worker.catchUp({ wait: true })).toBe(2);
    expect(await sumOverTwoDays()).toMatchObject({ source: 'rollup', points: [{ value: 11 }, { value: 23 }] });
    const folded = await testApp.http().get('/api/v1/metrics/latest').query({ modelId }).expect(200);
    expect(folded.body).toEqual(latest.body);
  });
});
