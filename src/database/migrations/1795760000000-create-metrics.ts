import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMetrics1795760000000 implements MigrationInterface {
  name = 'CreateMetrics1795760000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."metric_baseline_direction" AS ENUM('higher_is_better', 'lower_is_better')`);
    await queryRunner.query(
      `CREATE TABLE "model_metric_baselines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "model_id" uuid NOT NULL, "metric_name" text NOT NULL, "environment" text NOT NULL DEFAULT 'production', "value" double precision NOT NULL, "direction" "public"."metric_baseline_direction" NOT NULL DEFAULT 'higher_is_better', "tolerance" double precision NOT NULL DEFAULT '0.05', "computed_from" TIMESTAMP WITH TIME ZONE, "computed_to" TIMESTAMP WITH TIME ZONE, "computed_aggregation" text, "computed_count" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_model_metric_baselines_tolerance" CHECK ("tolerance" >= 0), CONSTRAINT "PK_994038683d317220bab4fa2bee7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_model_metric_baselines_series" ON "model_metric_baselines"  ("model_id", "metric_name", "environment") `,
    );
    await queryRunner.query(
      `CREATE TABLE "model_performance_metrics" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "model_id" uuid NOT NULL, "model_version" text, "metric_name" text NOT NULL, "value" double precision NOT NULL, "environment" text NOT NULL DEFAULT 'production', "segment" jsonb NOT NULL DEFAULT '{}', "sample_size" integer, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "idempotency_key" text, CONSTRAINT "ck_model_performance_metrics_sample_size" CHECK ("sample_size" IS NULL OR "sample_size" >= 0), CONSTRAINT "ck_model_performance_metrics_value_finite" CHECK ("value" NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)), CONSTRAINT "PK_8e63cd53e4a578cc2d1130dcc07" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_metric_baselines" ADD CONSTRAINT "fk_model_metric_baselines_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_performance_metrics" ADD CONSTRAINT "fk_model_performance_metrics_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The one read path of trend, latest, compare, window aggregates and degradation: an index-only range scan on
    // (model_id, metric_name, recorded_at); INCLUDE carries the filter and value columns so the heap is not read.
    // Declared synchronize:false on the entity because TypeORM cannot express INCLUDE.
    await queryRunner.query(
      `CREATE INDEX "ix_model_performance_metrics_series" ON "model_performance_metrics" ("model_id", "metric_name", "recorded_at") INCLUDE ("environment", "model_version", "value")`,
    );
    // Idempotent retries: a key is recorded once per model (partial, so points without a key cost nothing here).
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_model_performance_metrics_idempotency" ON "model_performance_metrics" ("model_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
    // Latest point per series. The DISTINCT ON keys follow the series index (model_id, metric_name first) so a
    // model filter is pushed into the view and read by an index-only scan plus an incremental sort.
    // At equal recorded_at the greater value wins: a deterministic tie-break readable from the index alone.
    await queryRunner.query(`CREATE VIEW "v_latest_model_performance" AS
            SELECT DISTINCT ON ("model_id", "metric_name", "environment", "model_version")
                "model_id", "model_version", "environment", "metric_name", "value", "recorded_at"
            FROM "model_performance_metrics"
            ORDER BY "model_id", "metric_name", "environment", "model_version", "recorded_at" DESC, "value" DESC`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW "v_latest_model_performance"`);
    await queryRunner.query(`DROP INDEX "public"."uq_model_performance_metrics_idempotency"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_performance_metrics_series"`);
    await queryRunner.query(`ALTER TABLE "model_performance_metrics" DROP CONSTRAINT "fk_model_performance_metrics_model"`);
    await queryRunner.query(`ALTER TABLE "model_metric_baselines" DROP CONSTRAINT "fk_model_metric_baselines_model"`);
    await queryRunner.query(`DROP TABLE "model_performance_metrics"`);
    await queryRunner.query(`DROP INDEX "public"."uq_model_metric_baselines_series"`);
    await queryRunner.query(`DROP TABLE "model_metric_baselines"`);
    await queryRunner.query(`DROP TYPE "public"."metric_baseline_direction"`);
  }
}
