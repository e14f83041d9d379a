import { DataSource } from 'typeorm';
import { BACKFILL_PREDICTION_ROLLUPS } from 'src/database/migrations/1796350000000-create-prediction-rollups';
import { REALIZED_BINARY_METRICS } from 'src/predictions/realized-buckets.policy';
import { auc } from 'src/predictions/realized.stats';
import { createModel } from 'test/support/factories';
import { Lcg } from 'test/support/prediction-vectors';
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
    const label = (item: (typeof items)[number], value = item.label) => ({
      modelId: model.id,
      predictionId: item.predictionId,
      label: value,
    });
    // fate < 0.2: label first (pending); < 0.35: label and prediction race; < 0.5: a wrong label, later overwritten;
    // < 0.85: label after the prediction; else never labelled.
    await post('/api/v1/labels', { labels: items.filter((item) => item.fate < 0.2).map((item) => label(item)) });
    const racing = items.filter((item) => item.fate >= 0.2 && item.fate < 0.35);
    const rest = items.filter((item) => item.fate >= 0.35);
    await Promise.all([
      post('/api/v1/predictions', { predictions: racing.slice(0, 70).map(prediction) }),
      post('/api/v1/labels', { labels: racing.map((item) => label(item)) }),
      post('/api/v1/predictions', { predictions: racing.slice(70).map(prediction) }),
    ]);
    await post('/api/v1/predictions', { predictions: [...items.filter((item) => item.fate < 0.2), ...rest].map(prediction) });
    const wrong = items.filter((item) => item.fate >= 0.35 && item.fate < 0.5);
    await post('/api/v1/labels', { labels: wrong.map((item) => label(item, 1 - item.label)) });
    await post('/api/v1/labels', { labels: items.filter((item) => item.fate >= 0.5 && item.fate < 0.85).map((item) => label(item)) });
    await post('/api/v1/labels', { labels: wrong.map((item) => label(item)) }, { overwrite: true });
    return { model, labelled: items.filter((item) => item.fate < 0.85) };
  }

  const trend = async (modelId: string, metricName: string, query: Record<string, string>) => {
    const response = await testApp
      .http()
      .get('/api/v1/metrics/trend')
      .query({ modelId, metricName, bucket: '1h', from: '2026-04-01T10:00:00Z', to: '2026-04-01T16:00:00Z', ...query })
      .expect(200);
    return response.body.points as { bucketStart: string; value: number; count: number; errorBound?: number }[];
  };

  async function expectSameAsRaw(modelId: string, query: Record<string, string> = {}) {
    for (const metric of METRICS) {
      const rolled = await trend(modelId, metric, query);
      const raw = await trend(modelId, metric, { ...query, 'segment.fleet': 'all' });
      expect(rolled.map((point) => [point.bucketStart, point.count])).toEqual(raw.map((point) => [point.bucketStart, point.count]));
      rolled.forEach((point, i) => expect(point.value).toBeCloseTo(raw[i].value, 12));
      expect(rolled.length).toBeGreaterThan(0);
    }
  }

  it('equals the raw read for hourly, 6-hour and unaligned ranges, after late, racing and overwritten labels', async () => {
    const { model, labelled } = await seed();
    await expectSameAsRaw(model.id);
    await expectSameAsRaw(model.id, { bucket: '6h', from: '2026-04-01T06:00:00Z', to: '2026-04-01T18:00:00Z' });
    await expectSameAsRaw(model.id, { from: '2026-04-01T10:30:00Z', to: '2026-04-01T15:20:00Z' });
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
