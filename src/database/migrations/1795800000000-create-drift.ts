import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDrift1795800000000 implements MigrationInterface {
  name = 'CreateDrift1795800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_drift_checks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "model_id" uuid NOT NULL, "checked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reference_source" text NOT NULL, "dataset_drift" boolean NOT NULL, "drift_share" double precision NOT NULL, "drift_share_threshold" double precision NOT NULL, "number_of_features" integer NOT NULL, "number_of_drifted_features" integer NOT NULL, "alert_id" uuid, "retrain_triggered" boolean, "retrain_reason" text, "retrain_detail" text, "training_run_id" uuid, CONSTRAINT "PK_f801b555f6e5fddb957274c722d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_model_drift_checks_model_checked" ON "model_drift_checks"  ("model_id", "checked_at", "id") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."drift_feature_type" AS ENUM('numerical', 'categorical')`);
    await queryRunner.query(
      `CREATE TABLE "model_reference_features" ("model_id" uuid NOT NULL, "name" text NOT NULL, "type" "public"."drift_feature_type" NOT NULL, "size" integer NOT NULL, "missing_count" integer NOT NULL, "distinct_count" integer NOT NULL, "numeric_values" double precision array, "mean" double precision, "std" double precision, "categories" text array, "category_counts" integer array, "numeric_categories" boolean NOT NULL DEFAULT false, "display" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_model_reference_features_storage" CHECK ((type = 'numerical' AND numeric_values IS NOT NULL) OR (type = 'categorical' AND categories IS NOT NULL AND category_counts IS NOT NULL)), CONSTRAINT "PK_bd883543738a3caaaf0252f22ee" PRIMARY KEY ("model_id", "name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "model_drift_feature_results" ("check_id" uuid NOT NULL, "feature_name" text NOT NULL, "position" integer NOT NULL, "model_id" uuid NOT NULL, "checked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "type" "public"."drift_feature_type" NOT NULL, "stattest" text NOT NULL, "score" double precision NOT NULL, "threshold" double precision NOT NULL, "drifted" boolean NOT NULL, "reference_size" integer NOT NULL, "current_size" integer NOT NULL, CONSTRAINT "PK_08ddfe0ec76340938614227c385" PRIMARY KEY ("check_id", "feature_name"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_model_drift_feature_results_model_checked" ON "model_drift_feature_results"  ("model_id", "checked_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "model_references" ("model_id" uuid NOT NULL, "description" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9fd86727562c8f12e8c4b28f930" PRIMARY KEY ("model_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "model_retrain_policies" ("model_id" uuid NOT NULL, "enabled" boolean NOT NULL, "on_data_drift" boolean NOT NULL DEFAULT true, "on_performance_degradation" boolean NOT NULL DEFAULT true, "cooldown_minutes" integer NOT NULL DEFAULT '1440', "webhook_url" text, "webhook_secret" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_13243bd5fd0cbb88b6727509291" PRIMARY KEY ("model_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_drift_checks" ADD CONSTRAINT "FK_094973e909a6ab715be7a6839b7" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_reference_features" ADD CONSTRAINT "FK_1c22d4aede17e31d4fbddbe7a73" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_drift_feature_results" ADD CONSTRAINT "FK_8592b1a3791d05f002c8276f29f" FOREIGN KEY ("check_id") REFERENCES "model_drift_checks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_drift_feature_results" ADD CONSTRAINT "FK_d9edb7e0b909c628b45a97937b9" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_references" ADD CONSTRAINT "FK_9fd86727562c8f12e8c4b28f930" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_retrain_policies" ADD CONSTRAINT "FK_13243bd5fd0cbb88b6727509291" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" DROP CONSTRAINT "FK_13243bd5fd0cbb88b6727509291"`);
    await queryRunner.query(`ALTER TABLE "model_references" DROP CONSTRAINT "FK_9fd86727562c8f12e8c4b28f930"`);
    await queryRunner.query(`ALTER TABLE "model_drift_feature_results" DROP CONSTRAINT "FK_d9edb7e0b909c628b45a97937b9"`);
    await queryRunner.query(`ALTER TABLE "model_drift_feature_results" DROP CONSTRAINT "FK_8592b1a3791d05f002c8276f29f"`);
    await queryRunner.query(`ALTER TABLE "model_reference_features" DROP CONSTRAINT "FK_1c22d4aede17e31d4fbddbe7a73"`);
    await queryRunner.query(`ALTER TABLE "model_drift_checks" DROP CONSTRAINT "FK_094973e909a6ab715be7a6839b7"`);
    await queryRunner.query(`DROP TABLE "model_retrain_policies"`);
    await queryRunner.query(`DROP TABLE "model_references"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_drift_feature_results_model_checked"`);
    await queryRunner.query(`DROP TABLE "model_drift_feature_results"`);
    await queryRunner.query(`DROP TABLE "model_reference_features"`);
    await queryRunner.query(`DROP TYPE "public"."drift_feature_type"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_drift_checks_model_checked"`);
    await queryRunner.query(`DROP TABLE "model_drift_checks"`);
  }
}
