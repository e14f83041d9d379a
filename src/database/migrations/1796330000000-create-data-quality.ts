import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data-quality checks on prediction features (issue 17, item 5): per-feature expectations (learned from a reference
 * window or given), each model's thresholds and reference window, and the `data_quality` alert type. Both tables are
 * small (one row per model and feature) and keyed by model_id first, like every per-model table.
 */
export class CreateDataQuality1796330000000 implements MigrationInterface {
  name = 'CreateDataQuality1796330000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Allowed inside a transaction since PostgreSQL 12; the new value is not used before this migration commits.
    await queryRunner.query(`ALTER TYPE "model_alert_type" ADD VALUE IF NOT EXISTS 'data_quality'`);
    await queryRunner.query(
      `CREATE TABLE "model_data_quality_expectations" ("model_id" uuid NOT NULL, "source" text NOT NULL, "feature" text NOT NULL, "type" text NOT NULL, "min" double precision, "max" double precision, "categories" jsonb, "nullable" boolean NOT NULL DEFAULT true, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_model_data_quality_expectations_source" CHECK ("source" IN ('learned', 'given')), CONSTRAINT "ck_model_data_quality_expectations_type" CHECK ("type" IN ('numerical', 'categorical')), CONSTRAINT "pk_model_data_quality_expectations" PRIMARY KEY ("model_id", "source", "feature"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "model_data_quality_settings" ("model_id" uuid NOT NULL, "reference_from" TIMESTAMP WITH TIME ZONE, "reference_to" TIMESTAMP WITH TIME ZONE, "environment" text NOT NULL DEFAULT 'production', "missing_share" double precision NOT NULL, "out_of_range_share" double precision NOT NULL, "unseen_category_share" double precision NOT NULL, "type_mismatch_share" double precision NOT NULL, "window_minutes" integer NOT NULL, "min_count" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_model_data_quality_settings" PRIMARY KEY ("model_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_data_quality_expectations" ADD CONSTRAINT "fk_model_data_quality_expectations_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_data_quality_settings" ADD CONSTRAINT "fk_model_data_quality_settings_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_data_quality_settings" DROP CONSTRAINT "fk_model_data_quality_settings_model"`);
    await queryRunner.query(`ALTER TABLE "model_data_quality_expectations" DROP CONSTRAINT "fk_model_data_quality_expectations_model"`);
    await queryRunner.query(`DROP TABLE "model_data_quality_settings"`);
    await queryRunner.query(`DROP TABLE "model_data_quality_expectations"`);
    // PostgreSQL cannot drop an enum value: 'data_quality' stays in model_alert_type.
  }
}
