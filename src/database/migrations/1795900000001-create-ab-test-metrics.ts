import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAbTestMetrics1795900000001 implements MigrationInterface {
  name = 'CreateAbTestMetrics1795900000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."ab_test_metric_role" AS ENUM('primary', 'secondary', 'guardrail')`);
    await queryRunner.query(`CREATE TYPE "public"."ab_test_metric_kind" AS ENUM('continuous', 'binomial', 'ratio')`);
    await queryRunner.query(`CREATE TYPE "public"."ab_test_metric_direction" AS ENUM('higher_is_better', 'lower_is_better')`);
    await queryRunner.query(
      `CREATE TABLE "model_ab_test_metrics" ("test_id" uuid NOT NULL, "position" smallint NOT NULL, "name" text NOT NULL, "role" "public"."ab_test_metric_role" NOT NULL, "type" "public"."ab_test_metric_kind" NOT NULL, "direction" "public"."ab_test_metric_direction" NOT NULL, "tolerance" double precision, CONSTRAINT "ck_model_ab_test_metrics_tolerance" CHECK (("role" = 'guardrail') = ("tolerance" IS NOT NULL)), CONSTRAINT "PK_8410d3da269e9565c21317fa77a" PRIMARY KEY ("test_id", "position"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_model_ab_test_metrics_name" ON "model_ab_test_metrics"  ("test_id", "name") `);
    await queryRunner.query(
      `CREATE TABLE "model_ab_test_metric_stats" ("test_id" uuid NOT NULL, "metric_position" smallint NOT NULL, "variant_position" smallint NOT NULL, "count" bigint NOT NULL DEFAULT '0', "sum" double precision NOT NULL DEFAULT '0', "sum_squares" double precision NOT NULL DEFAULT '0', "centered_sum_squares" double precision NOT NULL DEFAULT '0', "denominator_sum" double precision NOT NULL DEFAULT '0', "denominator_sum_squares" double precision NOT NULL DEFAULT '0', "sum_products" double precision NOT NULL DEFAULT '0', CONSTRAINT "PK_375887321a60a197ad94edc762d" PRIMARY KEY ("test_id", "metric_position", "variant_position"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."ab_test_correction_scope" AS ENUM('variants', 'variants_and_metrics')`);
    await queryRunner.query(
      `ALTER TABLE "model_ab_tests" ADD "correction_scope" "public"."ab_test_correction_scope" NOT NULL DEFAULT 'variants'`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_ab_test_metrics" ADD CONSTRAINT "fk_model_ab_test_metrics_test" FOREIGN KEY ("test_id") REFERENCES "model_ab_tests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_ab_test_metric_stats" ADD CONSTRAINT "fk_model_ab_test_metric_stats_test" FOREIGN KEY ("test_id") REFERENCES "model_ab_tests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_ab_test_metric_stats" DROP CONSTRAINT "fk_model_ab_test_metric_stats_test"`);
    await queryRunner.query(`ALTER TABLE "model_ab_test_metrics" DROP CONSTRAINT "fk_model_ab_test_metrics_test"`);
    await queryRunner.query(`ALTER TABLE "model_ab_tests" DROP COLUMN "correction_scope"`);
    await queryRunner.query(`DROP TYPE "public"."ab_test_correction_scope"`);
    await queryRunner.query(`DROP TABLE "model_ab_test_metric_stats"`);
    await queryRunner.query(`DROP INDEX "public"."uq_model_ab_test_metrics_name"`);
    await queryRunner.query(`DROP TABLE "model_ab_test_metrics"`);
    await queryRunner.query(`DROP TYPE "public"."ab_test_metric_direction"`);
    await queryRunner.query(`DROP TYPE "public"."ab_test_metric_kind"`);
    await queryRunner.query(`DROP TYPE "public"."ab_test_metric_role"`);
  }
}
