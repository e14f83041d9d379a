import { MigrationInterface, QueryRunner } from 'typeorm';

const PREVIOUS_LATEST_VIEW = `CREATE VIEW "v_latest_model_performance" AS
            SELECT latest."model_id", latest."model_version", latest."environment", latest."metric_name", point."value", latest."recorded_at"
            FROM (
                SELECT "model_id", "metric_name", "environment", "model_version", max("recorded_at") AS "recorded_at"
                FROM "model_performance_metrics"
                GROUP BY "model_id", "metric_name", "environment", "model_version"
            ) latest
            CROSS JOIN LATERAL (
                SELECT max(candidate."value") AS "value"
                FROM "model_performance_metrics" candidate
                WHERE candidate."model_id" = latest."model_id" AND candidate."metric_name" = latest."metric_name"
                  AND candidate."recorded_at" = latest."recorded_at" AND candidate."environment" = latest."environment"
                  AND candidate."model_version" IS NOT DISTINCT FROM latest."model_version"
            ) point`;

/**
 * Rollups and the latest value per series move off the ingest statement (issue 16: the same-statement rollup upsert
 * cut API ingest to 21 % of `\copy`, and the latest view aggregated every partition: 308 ms at 259,200 points).
 *
 * - metric_rollup_inbox: the outbox of the rollups. Ingest inserts each new point here too, in the same statement as the
 *   point (a heap append: no index, no foreign key); the rollup worker (src/metrics/metric-rollup-worker.service.ts)
 *   deletes a slice and folds it into metric_rollups and metric_latest in one transaction, so every point is folded
 *   exactly once. Readers see rollups ∪ inbox: a trend reads rollups only before the series' oldest inbox point (its
 *   watermark) and raw points from there on; the latest view reads metric_latest ∪ inbox in one statement.
 * - metric_latest: one row per (model, metric, environment, version), maintained by the worker.
 * - v_latest_model_performance: the newest point per series of metric_latest and the inbox (ties: greater value, as
 *   before), a few rows per model instead of an aggregate over every partition.
 */
export class MetricRollupInboxAndLatest1796100000002 implements MigrationInterface {
  name = 'MetricRollupInboxAndLatest1796100000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "metric_rollup_inbox" ("model_id" uuid NOT NULL, "model_version" text, "metric_name" text NOT NULL,
        "environment" text NOT NULL, "segment" jsonb NOT NULL, "value" double precision NOT NULL,
        "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "metric_latest" ("model_id" uuid NOT NULL, "metric_name" text NOT NULL, "environment" text NOT NULL,
        "model_version" text, "value" double precision NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "fk_metric_latest_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_metric_latest_series" ON "metric_latest" ("model_id", "metric_name", "environment", "model_version") NULLS NOT DISTINCT`,
    );
    await queryRunner.query(
      `INSERT INTO "metric_latest" ("model_id", "metric_name", "environment", "model_version", "value", "recorded_at")
       SELECT DISTINCT ON ("model_id", "metric_name", "environment", "model_version")
              "model_id", "metric_name", "environment", "model_version", "value", "recorded_at"
       FROM "model_performance_metrics"
       ORDER BY "model_id", "metric_name", "environment", "model_version", "recorded_at" DESC, "value" DESC`,
    );
    await queryRunner.query(`DROP VIEW "v_latest_model_performance"`);
    await queryRunner.query(`CREATE VIEW "v_latest_model_performance" AS
            SELECT DISTINCT ON ("model_id", "metric_name", "environment", "model_version")
                "model_id", "model_version", "environment", "metric_name", "value", "recorded_at"
            FROM (
                SELECT "model_id", "model_version", "environment", "metric_name", "value", "recorded_at" FROM "metric_latest"
                UNION ALL
                SELECT "model_id", "model_version", "environment", "metric_name", "value", "recorded_at" FROM "metric_rollup_inbox"
            ) candidate
            ORDER BY "model_id", "metric_name", "environment", "model_version", "recorded_at" DESC, "value" DESC`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Points still in the inbox are folded into the rollups first, so nothing acknowledged is lost from them.
    await queryRunner.query(
      `INSERT INTO metric_rollups AS rollup (model_id, metric_name, environment, model_version, segment, resolution, bucket_start,
         count, sum, sum_squares, min, max, last_value, last_at, sketch)
       SELECT point.model_id, point.metric_name, point.environment, point.model_version, point.segment, level.resolution,
              to_timestamp(floor(extract(epoch FROM point.recorded_at) / level.seconds) * level.seconds),
              count(*), sum(point.value), sum(point.value * point.value), min(point.value), max(point.value),
              (array_agg(point.value ORDER BY point.recorded_at DESC, point.value DESC))[1], max(point.recorded_at),
              (SELECT jsonb_object_agg(key, n) FROM (SELECT metric_sketch_key(v) AS key, count(*) AS n FROM unnest(array_agg(point.value)) v GROUP BY 1) keys)
       FROM metric_rollup_inbox point
         CROSS JOIN (VALUES ('minute'::metric_rollup_resolution, 60), ('hour', 3600), ('day', 86400)) AS level (resolution, seconds)
       WHERE EXISTS (SELECT 1 FROM models WHERE models.id = point.model_id)
       GROUP BY 1, 2, 3, 4, 5, 6, 7
       ON CONFLICT (model_id, metric_name, resolution, bucket_start, environment, model_version, segment) DO UPDATE SET
         count = rollup.count + excluded.count, sum = rollup.sum + excluded.sum,
         sum_squares = rollup.sum_squares + excluded.sum_squares,
         min = least(rollup.min, excluded.min), max = greatest(rollup.max, excluded.max),
         last_value = CASE WHEN (excluded.last_at, excluded.last_value) > (rollup.last_at, rollup.last_value)
                           THEN excluded.last_value ELSE rollup.last_value END,
         last_at = greatest(rollup.last_at, excluded.last_at),
         sketch = metric_sketch_merge(rollup.sketch, excluded.sketch)`,
    );
    await queryRunner.query(`DROP VIEW "v_latest_model_performance"`);
    await queryRunner.query(PREVIOUS_LATEST_VIEW);
    await queryRunner.query(`DROP TABLE "metric_latest"`);
    await queryRunner.query(`DROP TABLE "metric_rollup_inbox"`);
  }
}
