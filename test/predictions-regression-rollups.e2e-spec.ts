import { DataSource } from 'typeorm';
import { BACKFILL_REGRESSION_ROLLUPS } from 'src/database/migrations/1796410000000-create-regression-rollups';
import { REALIZED_REGRESSION_METRICS } from 'src/predictions/realized-buckets.policy';
import { mae, mape, r2, regressionSums, rmse } from 'src/predictions/realized.stats';
import { createModel } from 'test/support/factories';
import { Lcg } from 'test/support/prediction-vectors';
import { expectRollupSameAsRaw, logWithLabelFates, rollupTestTrend } from 'test/support/rollup-checks';
import { createTestApp, type TestApp } from 'test/support/test-app';

const METRICS = REALIZED_REGRESSION_METRICS.filter((metric) => !metric.startsWith('labels.delay'));
const START = Date.parse('2026-04-01T10:00:00Z');

/**
 * The hourly rollup of regression predictions (model_regression_rollups) against the raw read of the same
 * predictions, as test/predictions-realized-rollups.e2e-spec.ts does for binary ones: labels arrive before and after
 * their predictions, race them, or are overwritten; a segment filter every prediction matches sends the read to the
 * raw tables. The sums' formulas are checked against numpy in src/predictions/realized.stats.spec.ts.
 */
describe('realized regression metrics from hourly rollups (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
    testApp.clock.set('2026-04-03T00:00:00.000Z');
  });
  afterAll(() => testApp.close());

  const post = (path: string, body: object, query: object = {}) => testApp.http().post(path).query(query).send(body).expect(201);

  async function seed() {
    const model = await createModel(testApp, { taskType: 'regression' });
    const generator = new Lcg(31);
    const items = Array.from({ length: 900 }, (_, i) => {
      const y = 50 + 40 * generator.next();
      return {
        predictionId: `r${i}`,
        prediction: y + 8 * (generator.next() - 0.5),
        predictedAt: new Date(START + Math.floor(generator.next() * 6 * 3_600_000)).toISOString(),
        label: y,
        fate: generator.next(),
      };
    });
    const prediction = (item: (typeof items)[number]) => ({
      modelId: model.id,
      predictionId: item.predictionId,
      prediction: item.prediction,
      predictedAt: item.predictedAt,
      segment: { fleet: 'all' },
    });
    const label = (item: (typeof items)[number], wrong = false) => ({
      modelId: model.id,
      predictionId: item.predictionId,
      label: wrong ? item.label + 25 : item.label,
    });
    return { model, labelled: await logWithLabelFates(post, items, prediction, label) };
  }

  const trend = (modelId: string, metricName: string, query: Record<string, string>) =>
    rollupTestTrend(testApp, modelId, metricName, query);
  const expectSameAsRaw = (modelId: string, query: Record<string, string> = {}) =>
    expectRollupSameAsRaw(testApp, METRICS, modelId, query, 9);

  it('equals the raw read for hourly, 6-hour and unaligned ranges, after late, racing and overwritten labels', async () => {
    const { model, labelled } = await seed();
    await expectSameAsRaw(model.id);
    await expectSameAsRaw(model.id, { bucket: '6h', from: '2026-04-01T06:00:00Z', to: '2026-04-01T18:00:00Z' });
    await expectSameAsRaw(model.id, { from: '2026-04-01T10:30:00Z', to: '2026-04-01T15:20:00Z' });
    // the whole day from the rollup, against the metric functions over the labels as they ended up
    const sums = regressionSums(
      labelled.map((item) => item.label),
      labelled.map((item) => item.prediction),
    );
    const day = { bucket: '1d', from: '2026-04-01T00:00:00Z', to: '2026-04-02T00:00:00Z' };
    for (const [metric, expected] of [
      ['realized.mae', mae(sums)],
      ['realized.rmse', rmse(sums)],
      ['realized.mape', mape(sums)],
      ['realized.r2', r2(sums)],
    ] as const) {
      const [point] = await trend(model.id, metric, day);
      expect(point.count).toBe(labelled.length);
      expect(point.value).toBeCloseTo(expected!, 9);
    }
    const [coverage] = await trend(model.id, 'labels.coverage', day);
    expect([coverage.value, coverage.count]).toEqual([labelled.length / 900, 900]);
  });

  it('the migration backfill rebuilds the same rollups from the logged predictions and labels', async () => {
    const { model } = await seed();
    const dataSource = testApp.get(DataSource);
    const rollupRows = `SELECT bucket_start, sums FROM model_regression_rollups WHERE model_id = $1 ORDER BY bucket_start`;
    const live: { sums: number[] }[] = await dataSource.query(rollupRows, [model.id]);
    expect(live.length).toBe(6);
    const before = await Promise.all(METRICS.map((metric) => trend(model.id, metric, {})));
    await dataSource.query('DELETE FROM model_regression_rollups');
    await dataSource.query(BACKFILL_REGRESSION_ROLLUPS);
    const rebuilt: typeof live = await dataSource.query(rollupRows, [model.id]);
    expect(rebuilt.length).toBe(live.length);
    rebuilt.forEach((row, i) => row.sums.forEach((value, j) => expect(value).toBeCloseTo(live[i].sums[j], 6)));
    const after = await Promise.all(METRICS.map((metric) => trend(model.id, metric, {})));
    after.forEach((points, m) => points.forEach((point, i) => expect(point.value).toBeCloseTo(before[m][i].value, 9)));
  });
});
