import { DataSource } from 'typeorm';
import { observationsOf, startAbTest, variantCounts } from 'test/support/ab-test-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/** Two instances of the service on one database, posting at the same time. */
describe('A/B tests: concurrent observation posting (e2e)', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await createTestApp();
    second = await createTestApp({ database: first.database });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  const instance = (poster: number) => (poster % 2 === 0 ? first : second);

  /** Poster p's batch: integer values (so every sum is exact) that differ between posters. */
  function batchOf(poster: number) {
    const control = Array.from({ length: 25 }, (_, index) => poster + index);
    const challenger = Array.from({ length: 30 }, (_, index) => 2 * poster - index);
    const aggregate = { variant: 'challenger', count: 10, sum: 10 * poster, sumSquares: 10 * poster * poster + 90 };
    return {
      body: {
        batchId: `poster-${poster}`,
        observations: [...observationsOf('control', control), ...observationsOf('challenger', challenger)],
        aggregates: [aggregate],
      },
      control: { count: 25, sum: sumOf(control), sumSquares: sumOf(control.map((value) => value * value)) },
      challenger: {
        count: 40,
        sum: sumOf(challenger) + aggregate.sum,
        sumSquares: sumOf(challenger.map((value) => value * value)) + aggregate.sumSquares,
      },
    };
  }

  function sumOf(values: number[]): number {
    return values.reduce((sum, value) => sum + value, 0);
  }

  async function counters(testId: string) {
    const rows: { name: string; count: string; sum: number; sum_squares: number }[] = await first.app
      .get(DataSource)
      .query('SELECT name, count, sum, sum_squares FROM model_ab_test_variants WHERE test_id = $1 ORDER BY position', [testId]);
    return Object.fromEntries(rows.map((row) => [row.name, { count: Number(row.count), sum: row.sum, sumSquares: row.sum_squares }]));
  }

  it('20 parallel posters on two instances give exact totals', async () => {
    const test = await startAbTest(first, { metricType: 'continuous' });
    const batches = Array.from({ length: 20 }, (_, poster) => batchOf(poster));
    const responses = await Promise.all(
      batches.map((batch, poster) => instance(poster).http().post(`/api/v1/ab-test/${test.id}/observations`).send(batch.body)),
    );
    expect(responses.map((response) => response.status)).toEqual(batches.map(() => 201));
    expect(responses.every((response) => response.body.duplicate === false)).toBe(true);

    const total = (variant: 'control' | 'challenger') => ({
      count: sumOf(batches.map((batch) => batch[variant].count)),
      sum: sumOf(batches.map((batch) => batch[variant].sum)),
      sumSquares: sumOf(batches.map((batch) => batch[variant].sumSquares)),
    });
    expect(await counters(test.id)).toEqual({ control: total('control'), challenger: total('challenger') });
    expect(await variantCounts(second, test.id)).toEqual({ control: 500, challenger: 800 });
  });

  it('applies a batch posted 10 times at once exactly once', async () => {
    const test = await startAbTest(first);
    const body = { batchId: 'retry-storm', observations: observationsOf('control', [1, 1, 0, 1]) };
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, poster) => instance(poster).http().post(`/api/v1/ab-test/${test.id}/observations`).send(body)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    expect(responses.filter((response) => !response.body.duplicate)).toHaveLength(1);
    expect(await counters(test.id)).toEqual({
      control: { count: 4, sum: 3, sumSquares: 3 },
      challenger: { count: 0, sum: 0, sumSquares: 0 },
    });
  });

  it('a stop racing with posters freezes the counters: every batch is either counted or refused with 409', async () => {
    const test = await startAbTest(first, { metricType: 'continuous' });
    const batches = Array.from({ length: 20 }, (_, poster) => batchOf(poster));
    const posts = batches.map((batch, poster) => instance(poster).http().post(`/api/v1/ab-test/${test.id}/observations`).send(batch.body));
    const stop = second.http().post(`/api/v1/ab-test/${test.id}/stop`).send({ conclusion: 'stopped under load' });
    const [stopResponse, ...responses] = await Promise.all([stop, ...posts]);
    expect(stopResponse.status).toBe(200);
    expect(responses.every((response) => response.status === 201 || response.status === 409)).toBe(true);
    for (const response of responses.filter((entry) => entry.status === 409)) expect(response.body.code).toBe('AB_TEST_NOT_RUNNING');

    const accepted = batches.filter((_, poster) => responses[poster].status === 201);
    const frozen = await counters(test.id);
    expect(frozen.control.count).toBe(25 * accepted.length);
    expect(frozen.challenger.sum).toBe(sumOf(accepted.map((batch) => batch.challenger.sum)));

    const late = await first.http().post(`/api/v1/ab-test/${test.id}/observations`).send(batchOf(99).body);
    expect(late.status).toBe(409);
    expect(await counters(test.id)).toEqual(frozen);
  });
});
