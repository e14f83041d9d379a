import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hourly CBPE statistics of binary predictions under the model's current reference fit (estimation-rollup.policy.ts).
 * Rows are keyed by the reference's new fit_id. Nothing to backfill: a row is computed from the raw predictions by the first read that needs it.
 */
export class CreateEstimationRollups1796360000000 implements MigrationInterface {
  name = 'CreateEstimationRollups1796360000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_estimation_rollups" ("model_id" uuid NOT NULL, "environment" text NOT NULL, "bucket_start" TIMESTAMP WITH TIME ZONE NOT NULL, "fit_id" uuid NOT NULL, "sums" double precision array NOT NULL, "histogram" double precision array NOT NULL, "auc_u" double precision, "auc_ties" double precision, CONSTRAINT "pk_model_estimation_rollups" PRIMARY KEY ("model_id", "environment", "bucket_start"))`,
    );
    // Each fit gets a fresh id (a refit at the same clock instant is still a new fit); existing fits get one now.
    await queryRunner.query(`ALTER TABLE "model_estimation_references" ADD "fit_id" uuid NOT NULL DEFAULT gen_random_uuid()`);
    await queryRunner.query(`ALTER TABLE "model_estimation_references" ALTER COLUMN "fit_id" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "model_estimation_rollups" ADD CONSTRAINT "fk_model_estimation_rollups_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_estimation_rollups" DROP CONSTRAINT "fk_model_estimation_rollups_model"`);
    await queryRunner.query(`DROP TABLE "model_estimation_rollups"`);
    await queryRunner.query(`ALTER TABLE "model_estimation_references" DROP COLUMN "fit_id"`);
  }
}
