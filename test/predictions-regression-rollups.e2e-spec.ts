import { BACKFILL_REGRESSION_ROLLUPS } from 'src/database/migrations/1796410000000-create-regression-rollups';
import { REALIZED_REGRESSION_METRICS } from 'src/predictions/realized-buckets.policy';
import { mae, mape, r2, regressionSums, rmse } from 'src/predictions/realized.stats';
import { createModel } from 'test/support/factories';
import { Lcg } from 'test/support/prediction-vectors';
import { dayPoint, expectRollupSameAsRawOverRanges, logWithLabelFates, rebuildRollups } from 'test/support/rollup-checks';
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

  it('equals the raw read for hourly, 6-hour and unaligned ranges, after late, racing and overwritten labels', async () => {
    const { model, labelled } = await seed();
    await expectRollupSameAsRawOverRanges(testApp, METRICS, model.id, 9);
    // the whole day from the rollup, against the metric functions over the labels as they ended up
    const sums = regressionSums(
      labelled.map((item) => item.label),
      labelled.map((item) => item.prediction),
    );
    for (const [metric, expected] of [
      ['realized.mae', mae(sums)],
      ['realized.rmse', rmse(sums)],
      ['realized.mape', mape(sums)],
      ['realized.r2', r2(sums)],
    ] as const) {
      const point = await dayPoint(testApp, model.id, metric);
      expect([point.count, point.value]).toEqual([labelled.length, expect.closeTo(expected!, 9)]);
    }
    const coverage = await dayPoint(testApp, model.id, 'labels.coverage');
    expect([coverage.value, coverage.count]).toEqual([labelled.length / 900, 900]);
  });

  it('the migration backfill rebuilds the same rollups from the logged predictions and labels', async () => {
    const { model } = await seed();
    const rollup = { table: 'model_regression_rollups', columns: 'sums', backfill: BACKFILL_REGRESSION_ROLLUPS };
    const { live, rebuilt } = await rebuildRollups<{ sums: number[] }>(testApp, rollup, model.id, METRICS, 9);
    expect([live.length, rebuilt.length]).toEqual([6, 6]);
    rebuilt.forEach((row, i) => row.sums.forEach((value, j) => expect(value).toBeCloseTo(live[i].sums[j], 6)));
  });
});
