import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The prediction log and its labels (issue 17), and each model's decision threshold. Both growing tables are keyed
 * (model_id, prediction_id) and reference only models, so a distributed PostgreSQL can shard them by model_id and
 * colocate the label join; a label may arrive before its prediction (pending: no row moves when the prediction comes).
 */
export class CreatePredictions1796040000000 implements MigrationInterface {
  name = 'CreatePredictions1796040000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "models" ADD "decision_threshold" double precision NOT NULL DEFAULT '0.5'`);
    await queryRunner.query(
      `ALTER TABLE "models" ADD CONSTRAINT "ck_models_decision_threshold" CHECK ("decision_threshold" >= 0 AND "decision_threshold" <= 1)`,
    );
    await queryRunner.query(
      `CREATE TABLE "model_predictions" ("model_id" uuid NOT NULL, "prediction_id" text NOT NULL, "model_version" text, "environment" text NOT NULL DEFAULT 'production', "segment" jsonb NOT NULL DEFAULT '{}', "predicted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "score" double precision, "predicted_class" text, "probabilities" jsonb, "prediction" double precision, "features" jsonb, "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_model_predictions_score" CHECK ("score" IS NULL OR ("score" >= 0 AND "score" <= 1)), CONSTRAINT "pk_model_predictions" PRIMARY KEY ("model_id", "prediction_id"))`,
    );
    // Realized and estimated metrics read a model's predictions by time range.
    await queryRunner.query(`CREATE INDEX "ix_model_predictions_time" ON "model_predictions"  ("model_id", "predicted_at") `);
    await queryRunner.query(
      `CREATE TABLE "model_labels" ("model_id" uuid NOT NULL, "prediction_id" text NOT NULL, "label_class" text, "label_value" double precision, "labelled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_model_labels_one_label" CHECK (("label_class" IS NULL) <> ("label_value" IS NULL)), CONSTRAINT "pk_model_labels" PRIMARY KEY ("model_id", "prediction_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_predictions" ADD CONSTRAINT "fk_model_predictions_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_labels" ADD CONSTRAINT "fk_model_labels_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_labels" DROP CONSTRAINT "fk_model_labels_model"`);
    await queryRunner.query(`ALTER TABLE "model_predictions" DROP CONSTRAINT "fk_model_predictions_model"`);
    await queryRunner.query(`DROP TABLE "model_labels"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_predictions_time"`);
    await queryRunner.query(`DROP TABLE "model_predictions"`);
    await queryRunner.query(`ALTER TABLE "models" DROP CONSTRAINT "ck_models_decision_threshold"`);
    await queryRunner.query(`ALTER TABLE "models" DROP COLUMN "decision_threshold"`);
  }
}
