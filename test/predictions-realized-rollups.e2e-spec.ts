import { DataSource } from 'typeorm';
import { BACKFILL_PREDICTION_ROLLUPS } from 'src/database/migrations/1796350000000-create-prediction-rollups';
import { REALIZED_BINARY_METRICS } from 'src/predictions/realized-buckets.policy';
import { auc } from 'src/predictions/realized.stats';
import { createModel } from 'test/support/factories';
import { Lcg } from 'test/support/prediction-vectors';
import { expectRollupSameAsRawOverRanges, logWithLabelFates, rollupTestTrend } from 'test/support/rollup-checks';
import { createTestApp, type TestApp } from 'test/support/test-app';

const METRICS = REALIZED_BINARY_METRICS.filter((metric) => !metric.startsWith('labels.delay'));
const START = Date.parse('2026-04-01T10:00:00Z');

/**
 * The hourly rollup of binary predictions (model_prediction_rollups) against the raw read of the same predictions:
 * labels arrive before and after their predictions, some are overwritten, some race their prediction; the trend read
 * from rollups (whole hours, no version or segment filter) equals the raw read (a segment filter that every
 * prediction matches sends the read to the raw tables). The histogram AUC is within its bound of the exact AUC.
 */
describe('realized binary metrics from hourly rollups (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
    testApp.clock.set('2026-04-03T00:00:00.000Z');
  });
  afterAll(() => testApp.close());

  const post = (path: string, body: object, query: object = {}) => testApp.http().post(path).query(query).send(body).expect(201);

  async function seed() {
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    const generator = new Lcg(23);
    const n = 900;
    const items = Array.from({ length: n }, (_, i) => {
      const y = generator.next() < 0.45 ? 1 : 0;
      return {
        predictionId: `p${i}`,
        score: Math.min(1, Math.max(0, 0.55 * generator.next() + 0.3 * y + 0.15 * generator.next())),
        predictedAt: new Date(START + Math.floor(generator.next() * 6 * 3_600_000)).toISOString(),
        label: y,
        fate: generator.next(),
      };
    });
    const prediction = (item: (typeof items)[number]) => ({
      modelId: model.id,
      predictionId: item.predictionId,
      score: item.score,
      predictedAt: item.predictedAt,
      segment: { fleet: 'all' },
    });
    const label = (item: (typeof items)[number], wrong = false) => ({
      modelId: model.id,
      predictionId: item.predictionId,
      label: wrong ? 1 - item.label : item.label,
    });
    return { model, labelled: await logWithLabelFates(post, items, prediction, label) };
  }

  const trend = (modelId: string, metricName: string, query: Record<string, string>) =>
    rollupTestTrend(testApp, modelId, metricName, query);

  it('equals the raw read for hourly, 6-hour and unaligned ranges, after late, racing and overwritten labels', async () => {
    const { model, labelled } = await seed();
    await expectRollupSameAsRawOverRanges(testApp, METRICS, model.id);
    const [all] = await trend(model.id, 'realized.auc', { bucket: '1d', from: '2026-04-01T00:00:00Z', to: '2026-04-02T00:00:00Z' });
    const exact = auc(
      labelled.map((item) => item.score),
      labelled.map((item) => item.label),
    )!;
    expect(all.count).toBe(labelled.length);
    expect(Math.abs(all.value - exact)).toBeLessThanOrEqual(0.5 / 1000);
    // the stated bound holds and is the histogram's own (binnedAucErrorBound of the bucket's bins)
    expect(all.errorBound).toBeGreaterThan(0);
    expect(Math.abs(all.value - exact)).toBeLessThanOrEqual(all.errorBound!);
    const [coverage] = await trend(model.id, 'labels.coverage', { bucket: '1d', from: '2026-04-01T00:00:00Z', to: '2026-04-02T00:00:00Z' });
    expect([coverage.value, coverage.count]).toEqual([labelled.length / 900, 900]);
  });

  it('the migration backfill rebuilds the same rollups from the logged predictions and labels', async () => {
    const { model } = await seed();
    const dataSource = testApp.get(DataSource);
    const rollupRows = `SELECT bucket_start, cells, histogram FROM model_prediction_rollups WHERE model_id = $1 ORDER BY bucket_start`;
    const live: { cells: number[]; histogram: number[] }[] = await dataSource.query(rollupRows, [model.id]);
    const before = await Promise.all(METRICS.map((metric) => trend(model.id, metric, {})));
    await dataSource.query('DELETE FROM model_prediction_rollups');
    await dataSource.query(BACKFILL_PREDICTION_ROLLUPS);
    const rebuilt: typeof live = await dataSource.query(rollupRows, [model.id]);
    expect(rebuilt.map((row) => row.histogram)).toEqual(live.map((row) => row.histogram));
    rebuilt.forEach((row, i) => row.cells.forEach((value, j) => expect(value).toBeCloseTo(live[i].cells[j], 10)));
    const after = await Promise.all(METRICS.map((metric) => trend(model.id, metric, {})));
    after.forEach((points, m) => points.forEach((point, i) => expect(point.value).toBeCloseTo(before[m][i].value, 12)));
  });
});
