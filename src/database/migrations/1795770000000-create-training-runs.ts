import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTrainingRuns1795770000000 implements MigrationInterface {
  name = 'CreateTrainingRuns1795770000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."training_run_trigger" AS ENUM('manual', 'scheduled', 'data_drift', 'performance_degradation', 'ab_test', 'api')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."training_run_status" AS ENUM('queued', 'running', 'succeeded', 'failed', 'cancelled')`);
    await queryRunner.query(
      `CREATE TABLE "model_training_history" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "model_id" uuid NOT NULL, "model_version" text, "trigger" "public"."training_run_trigger" NOT NULL, "status" "public"."training_run_status" NOT NULL, "reason" text, "triggered_by" text NOT NULL, "drift_check_id" uuid, "parent_run_id" uuid, "hyperparameters" jsonb NOT NULL DEFAULT '{}', "dataset" jsonb, "metrics" jsonb NOT NULL DEFAULT '{}', "artifact_uri" text, "external_run_id" text, "error" text, "notes" text, "queued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_training_runs_json_objects" CHECK (jsonb_typeof(hyperparameters) = 'object' AND jsonb_typeof(metrics) = 'object'), CONSTRAINT "ck_training_runs_failed_has_error" CHECK (status <> 'failed' OR error IS NOT NULL), CONSTRAINT "ck_training_runs_running_started" CHECK (status <> 'running' OR started_at IS NOT NULL), CONSTRAINT "ck_training_runs_finished_iff_terminal" CHECK ((finished_at IS NOT NULL) = (status IN ('succeeded', 'failed', 'cancelled'))), CONSTRAINT "ck_training_runs_finished_after_started" CHECK (finished_at IS NULL OR finished_at >= COALESCE(started_at, queued_at)), CONSTRAINT "ck_training_runs_started_after_queued" CHECK (started_at IS NULL OR started_at >= queued_at), CONSTRAINT "PK_16892901f0466154b746336e60d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_training_runs_parent" ON "model_training_history"  ("parent_run_id") `);
    await queryRunner.query(`CREATE INDEX "ix_training_runs_queued" ON "model_training_history"  ("queued_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_training_runs_model_queued" ON "model_training_history"  ("model_id", "queued_at", "id") `);
    // At most one automated run per model queued or running; TrainingRunsRepository.insertRun names this predicate
    // in its ON CONFLICT clause, so the two must stay identical.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_training_runs_active_automated" ON "model_training_history"  ("model_id") WHERE status IN ('queued', 'running') AND trigger <> 'manual'`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_training_history" ADD CONSTRAINT "fk_training_runs_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_training_history" ADD CONSTRAINT "fk_training_runs_parent" FOREIGN KEY ("parent_run_id") REFERENCES "model_training_history"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_training_history" DROP CONSTRAINT "fk_training_runs_parent"`);
    await queryRunner.query(`ALTER TABLE "model_training_history" DROP CONSTRAINT "fk_training_runs_model"`);
    await queryRunner.query(`DROP INDEX "public"."uq_training_runs_active_automated"`);
    await queryRunner.query(`DROP INDEX "public"."ix_training_runs_model_queued"`);
    await queryRunner.query(`DROP INDEX "public"."ix_training_runs_queued"`);
    await queryRunner.query(`DROP INDEX "public"."ix_training_runs_parent"`);
    await queryRunner.query(`DROP TABLE "model_training_history"`);
    await queryRunner.query(`DROP TYPE "public"."training_run_status"`);
    await queryRunner.query(`DROP TYPE "public"."training_run_trigger"`);
  }
}
