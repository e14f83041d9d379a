import { DataSource } from 'typeorm';
import type { TestApp } from 'test/support/test-app';

/**
 * Logs predictions and their labels in the orders a rollup must survive, by each item's `fate` in [0, 1):
 * < 0.2 the label first (pending until its prediction comes); < 0.35 label and prediction racing; < 0.5 a wrong label,
 * overwritten later (overwrite=true); < 0.85 the label after the prediction; else never labelled.
 * Returns the items that end up labelled (with their right label).
 */
export async function logWithLabelFates<Item extends { fate: number }>(
  post: (path: string, body: object, query?: object) => Promise<unknown>,
  items: readonly Item[],
  prediction: (item: Item) => object,
  label: (item: Item, wrong?: boolean) => object,
): Promise<Item[]> {
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
  await post('/api/v1/labels', { labels: wrong.map((item) => label(item, true)) });
  await post('/api/v1/labels', { labels: items.filter((item) => item.fate >= 0.5 && item.fate < 0.85).map((item) => label(item)) });
  await post('/api/v1/labels', { labels: wrong.map((item) => label(item)) }, { overwrite: true });
  return items.filter((item) => item.fate < 0.85);
}

export type TrendPoint = { bucketStart: string; value: number; count: number; errorBound?: number };

/** GET /metrics/trend's points for the model and metric: 1 h buckets over 2026-04-01 10:00–16:00 unless `query` says otherwise. */
export async function rollupTestTrend(
  testApp: TestApp,
  modelId: string,
  metricName: string,
  query: Record<string, string>,
): Promise<TrendPoint[]> {
  const response = await testApp
    .http()
    .get('/api/v1/metrics/trend')
    .query({ modelId, metricName, bucket: '1h', from: '2026-04-01T10:00:00Z', to: '2026-04-01T16:00:00Z', ...query })
    .expect(200);
  return response.body.points as TrendPoint[];
}

/**
 * Each metric read from the rollup (no filter) equals the raw read (a segment filter every prediction matches,
 * segment.fleet=all, sends it to the raw tables): the same buckets and counts, values to `digits` digits.
 */
export async function expectRollupSameAsRaw(
  testApp: TestApp,
  metrics: readonly string[],
  modelId: string,
  query: Record<string, string> = {},
  digits = 12,
): Promise<void> {
  for (const metric of metrics) {
    const rolled = await rollupTestTrend(testApp, modelId, metric, query);
    const raw = await rollupTestTrend(testApp, modelId, metric, { ...query, 'segment.fleet': 'all' });
    expect(rolled.map((point) => [point.bucketStart, point.count])).toEqual(raw.map((point) => [point.bucketStart, point.count]));
    rolled.forEach((point, i) => expect(point.value).toBeCloseTo(raw[i].value, digits));
    expect(rolled.length).toBeGreaterThan(0);
  }
}

/** expectRollupSameAsRaw over 1 h buckets, 6 h buckets and a range that cuts hours at both ends. */
export async function expectRollupSameAsRawOverRanges(
  testApp: TestApp,
  metrics: readonly string[],
  modelId: string,
  digits = 12,
): Promise<void> {
  await expectRollupSameAsRaw(testApp, metrics, modelId, {}, digits);
  await expectRollupSameAsRaw(
    testApp,
    metrics,
    modelId,
    { bucket: '6h', from: '2026-04-01T06:00:00Z', to: '2026-04-01T18:00:00Z' },
    digits,
  );
  await expectRollupSameAsRaw(testApp, metrics, modelId, { from: '2026-04-01T10:30:00Z', to: '2026-04-01T15:20:00Z' }, digits);
}

/** A metric's single point over the whole day 2026-04-01 (1 d bucket). */
export async function dayPoint(testApp: TestApp, modelId: string, metricName: string): Promise<TrendPoint> {
  const [point] = await rollupTestTrend(testApp, modelId, metricName, {
    bucket: '1d',
    from: '2026-04-01T00:00:00Z',
    to: '2026-04-02T00:00:00Z',
  });
  return point;
}

/**
 * Deletes a rollup table's rows and runs its migration's backfill: returns the model's rows as the live writes left
 * them and as the backfill rebuilt them (`columns` of `table`, by bucket), and after checking that the trends of
 * `metrics` read the same before and after (to `digits` digits).
 */
export async function rebuildRollups<Row>(
  testApp: TestApp,
  rollup: { table: string; columns: string; backfill: string },
  modelId: string,
  metrics: readonly string[],
  digits = 12,
): Promise<{ live: Row[]; rebuilt: Row[] }> {
  const dataSource = testApp.get(DataSource);
  const rows = () =>
    dataSource.query<Row[]>(`SELECT ${rollup.columns} FROM ${rollup.table} WHERE model_id = $1 ORDER BY bucket_start`, [modelId]);
  const live = await rows();
  const before = await Promise.all(metrics.map((metric) => rollupTestTrend(testApp, modelId, metric, {})));
  await dataSource.query(`DELETE FROM ${rollup.table}`);
  await dataSource.query(rollup.backfill);
  const rebuilt = await rows();
  const after = await Promise.all(metrics.map((metric) => rollupTestTrend(testApp, modelId, metric, {})));
  after.forEach((points, m) => {
    expect(points.length).toBe(before[m].length);
    points.forEach((point, i) => expect(point.value).toBeCloseTo(before[m][i].value, digits));
  });
  return { live, rebuilt };
}
