import { MigrationInterface, QueryRunner } from 'typeorm';

/** The fitted CBPE reference of each model (issue 17, performance estimation): one row per model, replaced on refit. */
export class CreateEstimationReferences1796320000000 implements MigrationInterface {
  name = 'CreateEstimationReferences1796320000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_estimation_references" ("model_id" uuid NOT NULL, "reference_from" TIMESTAMP WITH TIME ZONE NOT NULL, "reference_to" TIMESTAMP WITH TIME ZONE NOT NULL, "environment" text NOT NULL, "labelled" integer NOT NULL, "positives" integer NOT NULL, "labels_updated_at" TIMESTAMP WITH TIME ZONE, "calibrator" jsonb NOT NULL, "sampling_error" jsonb NOT NULL, "fitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_model_estimation_references" PRIMARY KEY ("model_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_estimation_references" ADD CONSTRAINT "fk_model_estimation_references_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_estimation_references" DROP CONSTRAINT "fk_model_estimation_references_model"`);
    await queryRunner.query(`DROP TABLE "model_estimation_references"`);
  }
}
