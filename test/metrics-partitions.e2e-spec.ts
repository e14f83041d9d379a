import { TransactionRunner } from 'src/database/transaction';
import { MetricMaintenanceService } from 'src/metrics/metric-maintenance.service';
import { MetricRollupWorker } from 'src/metrics/metric-rollup-worker.service';
import { MetricsService } from 'src/metrics/metrics.service';
import { createModel } from 'test/support/factories';
import { recordMetrics } from 'test/support/metrics-factories';
import { createEmptyDatabase, migrate, partitionsOf as partitionsOfTable, query } from 'test/support/migration-database';
import { createTestApp, type TestApp } from 'test/support/test-app';

jest.setTimeout(300_000);

const partitionsOf = (url: string) => partitionsOfTable(url, 'model_performance_metrics');

const POINTS_DIGEST = `SELECT count(*)::int AS count, md5(string_agg(concat_ws('|', id, model_id, model_version, metric_name, value::text,
  environment, segment::text, sample_size, recorded_at, ingested_at, idempotency_key), ',' ORDER BY id)) AS digest FROM model_performance_metrics`;

const LATEST_ROWS = `SELECT model_id, model_version, environment, metric_name, value, recorded_at FROM v_latest_model_performance
  ORDER BY metric_name, model_version NULLS FIRST`;

describe('partitioned metric points (e2e)', () => {
  it('converts an existing table with data into monthly partitions without losing a row, and keeps its idempotency keys', async () => {
    const database = await createEmptyDatabase();
    let testApp: TestApp | undefined;
    try {
      await migrate(database.url, 'CreateMetricRollups1796100000000');
      const [model] = await query<{ id: string }>(database.url, `INSERT INTO models (name) VALUES ('converted') RETURNING id`);
      // 3,000 points over three months: keys on some, versions and segments on others.
      await query(
        database.url,
        `INSERT INTO model_performance_metrics (model_id, model_version, metric_name, value, environment, segment, sample_size, recorded_at, idempotency_key)
         SELECT $1, CASE WHEN i % 3 = 0 THEN NULL ELSE 'v' || (i % 2) END, 'm' || (i % 4), i * 0.5, 'production',
                CASE WHEN i % 5 = 0 THEN '{"region":"eu"}'::jsonb ELSE '{}'::jsonb END, i % 7,
                timestamptz '2025-01-01T00:00:00Z' + i * interval '45 minutes', CASE WHEN i % 2 = 0 THEN 'key-' || i END
         FROM generate_series(1, 3000) i`,
        [model.id],
      );
      const [before] = await query<{ count: number; digest: string }>(database.url, POINTS_DIGEST);
      expect(before.count).toBe(3000);
      const latestBefore = await query(database.url, LATEST_ROWS);
      expect(latestBefore).toHaveLength(8);

      await migrate(database.url);

      const [after] = await query<{ count: number; digest: string }>(database.url, POINTS_DIGEST);
      expect(after).toEqual(before);
      // The latest value per series, now from metric_latest (filled by the migration), is what the old view said.
      expect(await query(database.url, LATEST_ROWS)).toEqual(latestBefore);
      const [latestRows] = await query<{ count: number }>(database.url, `SELECT count(*)::int AS count FROM metric_latest`);
      expect(latestRows.count).toBe(8);
      expect(await partitionsOf(database.url)).toEqual(
        expect.arrayContaining([
          'model_performance_metrics_default',
          'model_performance_metrics_p202501',
          'model_performance_metrics_p202502',
          'model_performance_metrics_p202503',
        ]),
      );
      const [defaultRows] = await query<{ count: number }>(
        database.url,
        `SELECT count(*)::int AS count FROM model_performance_metrics_default`,
      );
      expect(defaultRows.count).toBe(0);
      const [keys] = await query<{ count: number }>(database.url, `SELECT count(*)::int AS count FROM metric_idempotency_keys`);
      expect(keys.count).toBe(1500);
      const [rolled] = await query<{ count: string; sum: number }>(
        database.url,
        `SELECT sum(count) AS count, sum(sum) AS sum FROM metric_rollups WHERE resolution = 'day'`,
      );
      expect(Number(rolled.count)).toBe(3000);
      expect(rolled.sum).toBeCloseTo((3000 * 3001) / 4, 6);

      // A key recorded before the conversion is still a duplicate, even re-sent in another month.
      testApp = await createTestApp({ database });
      testApp.clock.set('2025-06-01T00:00:00Z');
      const resent = await recordMetrics(testApp, [
        { modelId: model.id, metricName: 'm0', value: 1, recordedAt: '2025-05-20T00:00:00Z', idempotencyKey: 'key-2' },
        { modelId: model.id, metricName: 'm0', value: 1, recordedAt: '2025-05-20T00:00:00Z', idempotencyKey: 'key-new' },
      ]);
      expect(resent).toEqual({ recorded: 1, duplicates: 1 });
    } finally {
      if (testApp) await testApp.app.close();
      await database.drop();
    }
  });

  describe('maintenance', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      process.env.RETENTION_RAW_DAYS = '400';
      testApp = await createTestApp();
      delete process.env.RETENTION_RAW_DAYS;
      testApp.clock.set('2025-06-01T00:00:00Z');
    });
    afterAll(() => testApp.close());

    it('creates a backfill month on demand, moves default-partition rows out, keeps keys exact across partitions and drops expired months whole', async () => {
      const model = await createModel(testApp);
      const base = { modelId: model.id, metricName: 'latency' };
      await recordMetrics(testApp, [
        { ...base, value: 2, recordedAt: '2019-03-15T10:00:00Z', idempotencyKey: 'k1' },
        { ...base, value: 4, recordedAt: '2019-03-16T10:00:00Z' },
      ]);
      expect(await partitionsOf(testApp.database.url)).toContain('model_performance_metrics_p201903');

      // The same key months later (another partition) is still a duplicate.
      expect(await recordMetrics(testApp, [{ ...base, value: 9, recordedAt: '2019-09-01T00:00:00Z', idempotencyKey: 'k1' }])).toEqual({
        recorded: 0,
        duplicates: 1,
      });

      // Inside a caller's transaction no partition is created: the point waits in the default partition.
      const metrics = testApp.get(MetricsService);
      await testApp
        .get(TransactionRunner)
        .run((transaction) => metrics.recordPoints([{ ...base, value: 8, recordedAt: new Date('2018-07-04T00:00:00Z') }], transaction));
      const stray = await query<{ count: number }>(
        testApp.database.url,
        `SELECT count(*)::int AS count FROM model_performance_metrics_default`,
      );
      expect(stray[0].count).toBe(1);

      await testApp.get(MetricRollupWorker).catchUp({ wait: true });
      const maintenance = testApp.get(MetricMaintenanceService);
      testApp.clock.set('2019-05-01T00:00:00Z');
      const moved = await maintenance.runMaintenance();
      expect(moved).toMatchObject({ movedFromDefault: 1, dropped: [] });
      expect(moved.created).toContain('2018-07');
      expect(await partitionsOf(testApp.database.url)).toContain('model_performance_metrics_p201807');

      // 400 days before 2025-06-01 is 2024-04-27: every 2018/2019 month goes, whole.
      testApp.clock.set('2025-06-01T00:00:00Z');
      const dropped = await maintenance.runMaintenance();
      expect(dropped.dropped).toEqual(expect.arrayContaining(['2018-07', '2019-03']));
      const [left] = await query<{ count: number }>(
        testApp.database.url,
        `SELECT count(*)::int AS count FROM model_performance_metrics WHERE model_id = $1`,
        [model.id],
      );
      expect(left.count).toBe(0);

      // The trend over the dropped range still answers from the rollups.
      const { body } = await testApp
        .http()
        .get('/api/v1/metrics/trend')
        .query({ ...base, from: '2019-03-01T00:00:00Z', to: '2019-04-01T00:00:00Z', bucket: '1d', aggregation: 'sum' })
        .expect(200);
      expect(body).toMatchObject({
        source: 'rollup',
        points: [
          { value: 2, count: 1 },
          { value: 4, count: 1 },
        ],
      });
    });
  });
});
