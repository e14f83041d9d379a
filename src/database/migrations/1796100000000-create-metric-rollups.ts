import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollups of model_performance_metrics per series (model, metric, environment, version, segment set) per minute, hour
 * and day, maintained at ingest in the same statement as the insert (src/metrics/metric-rollups.sql.ts), so a trend never
 * misses an acknowledged point. Each row holds the exact aggregates (count, sum, sum of squares, min, max, last with its
 * time) and a mergeable log-bucket quantile sketch: jsonb { key: count } where key is metric_sketch_key(value).
 *
 * The sketch is DDSketch's logarithmic mapping (Masson, Rim & Lee, "DDSketch", VLDB 2019, §2): γ = (1 + α)/(1 − α),
 * key i = ⌈log_γ |v|⌉ (prefixed p/n for the sign), bucket (γ^(i−1), γ^i] represented by 2γ^i/(γ + 1), so every value
 * is estimated within relative error α = 0.01. |v| < 1e-9 counts as zero (key z). Written in SQL rather than with a
 * JavaScript sketch library because the rollup is merged inside PostgreSQL by INSERT … ON CONFLICT DO UPDATE
 * (atomic under concurrent batches, no read-modify-write in the service).
 *
 * Existing points are rolled up here, so the trend answers from rollups right after the upgrade.
 */
export class CreateMetricRollups1796100000000 implements MigrationInterface {
  name = 'CreateMetricRollups1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // 0.020000666706669435 = ln((1 + 0.01) / (1 − 0.01)); python3 -c "import math; print(repr(math.log(1.01/0.99)))"
    await queryRunner.query(`CREATE FUNCTION metric_sketch_key(value float8) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN abs(value) < 1e-9 THEN 'z'
                  WHEN value > 0 THEN 'p' || ceil(ln(value) / 0.020000666706669435)::int
                  ELSE 'n' || ceil(ln(-value) / 0.020000666706669435)::int END $$`);
    await queryRunner.query(`CREATE FUNCTION metric_sketch_merge(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT coalesce(jsonb_object_agg(key, total), '{}'::jsonb)
      FROM (SELECT key, sum(value::bigint) AS total
            FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) cells GROUP BY key) merged $$`);
    await queryRunner.query(`CREATE TYPE "public"."metric_rollup_resolution" AS ENUM('minute', 'hour', 'day')`);
    await queryRunner.query(
      `CREATE TABLE "metric_rollups" ("model_id" uuid NOT NULL, "metric_name" text NOT NULL, "environment" text NOT NULL,
        "model_version" text, "segment" jsonb NOT NULL DEFAULT '{}', "resolution" "public"."metric_rollup_resolution" NOT NULL,
        "bucket_start" TIMESTAMP WITH TIME ZONE NOT NULL, "count" bigint NOT NULL, "sum" double precision NOT NULL,
        "sum_squares" double precision NOT NULL, "min" double precision NOT NULL, "max" double precision NOT NULL,
        "last_value" double precision NOT NULL, "last_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sketch" jsonb NOT NULL,
        CONSTRAINT "fk_metric_rollups_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE)`,
    );
    // One row per series and bucket; the trend reads a range of (model_id, metric_name, resolution, bucket_start) and
    // filters the rest. NULLS NOT DISTINCT: a point without a model version is one series, not one per insert.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_metric_rollups_series" ON "metric_rollups"
        ("model_id", "metric_name", "resolution", "bucket_start", "environment", "model_version", "segment") NULLS NOT DISTINCT`,
    );
    for (const [resolution, seconds] of [
      ['minute', 60],
      ['hour', 3600],
      ['day', 86400],
    ] as const) {
      await queryRunner.query(
        `INSERT INTO metric_rollups (model_id, metric_name, environment, model_version, segment, resolution, bucket_start,
           count, sum, sum_squares, min, max, last_value, last_at, sketch)
         SELECT model_id, metric_name, environment, model_version, segment, '${resolution}',
                to_timestamp(floor(extract(epoch FROM recorded_at) / ${seconds}) * ${seconds}) AS bucket_start,
                count(*), sum(value), sum(value * value), min(value), max(value),
                (array_agg(value ORDER BY recorded_at DESC, value DESC))[1], max(recorded_at),
                (SELECT jsonb_object_agg(key, n) FROM (SELECT metric_sketch_key(v) AS key, count(*) AS n FROM unnest(array_agg(value)) v GROUP BY 1) cells)
         FROM model_performance_metrics
         GROUP BY model_id, metric_name, environment, model_version, segment, bucket_start`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "metric_rollups"`);
    await queryRunner.query(`DROP TYPE "public"."metric_rollup_resolution"`);
    await queryRunner.query(`DROP FUNCTION metric_sketch_merge(jsonb, jsonb)`);
    await queryRunner.query(`DROP FUNCTION metric_sketch_key(float8)`);
  }
}
