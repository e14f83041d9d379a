import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Safe rollouts: a test's mode (`experiment` or `rollout`), the ramp of a rollout (model_ab_test_rollouts) and its
 * history (model_ab_test_rollout_events), the `ab_test_rollout` alert type, and the retrain policy's
 * `rollout_on_retrain` settings. v_active_ab_tests is left as it is (the seed system's columns); the repository
 * joins the table for `mode`.
 */
export class AbTestRollouts1796020000000 implements MigrationInterface {
  name = 'AbTestRollouts1796020000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."ab_test_mode" AS ENUM('experiment', 'rollout')`);
    await queryRunner.query(`ALTER TABLE "model_ab_tests" ADD "mode" "public"."ab_test_mode" NOT NULL DEFAULT 'experiment'`);
    await queryRunner.query(`CREATE TYPE "public"."ab_test_rollout_outcome" AS ENUM('promoted', 'rolled_back')`);
    await queryRunner.query(
      `CREATE TABLE "model_ab_test_rollouts" ("test_id" uuid NOT NULL, "steps" double precision array NOT NULL, "step_index" smallint NOT NULL DEFAULT '0', "step_started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "step_start_counts" bigint array NOT NULL, "min_step_duration_seconds" integer NOT NULL, "min_samples_per_step" integer NOT NULL, "no_traffic_after_seconds" integer NOT NULL, "outcome" "public"."ab_test_rollout_outcome", "ended_at" TIMESTAMP WITH TIME ZONE, "training_run_id" uuid, CONSTRAINT "ck_model_ab_test_rollouts_outcome" CHECK (("outcome" IS NULL) = ("ended_at" IS NULL)), CONSTRAINT "ck_model_ab_test_rollouts_settings" CHECK ("min_step_duration_seconds" >= 0 AND "min_samples_per_step" >= 0 AND "no_traffic_after_seconds" >= 1), CONSTRAINT "ck_model_ab_test_rollouts_step" CHECK ("step_index" >= 0 AND "step_index" < cardinality("steps")), CONSTRAINT "PK_model_ab_test_rollouts" PRIMARY KEY ("test_id"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."ab_test_rollout_event_kind" AS ENUM('started', 'step', 'promoted', 'rolled_back')`);
    await queryRunner.query(
      `CREATE TABLE "model_ab_test_rollout_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "test_id" uuid NOT NULL, "kind" "public"."ab_test_rollout_event_kind" NOT NULL, "step_index" smallint NOT NULL, "coverage" double precision NOT NULL, "reason" text, "detail" text, "counts" bigint array NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_model_ab_test_rollout_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_model_ab_test_rollout_events_test" ON "model_ab_test_rollout_events" ("test_id", "occurred_at", "id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_ab_test_rollouts" ADD CONSTRAINT "fk_model_ab_test_rollouts_test" FOREIGN KEY ("test_id") REFERENCES "model_ab_tests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_ab_test_rollout_events" ADD CONSTRAINT "fk_model_ab_test_rollout_events_test" FOREIGN KEY ("test_id") REFERENCES "model_ab_tests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TYPE "model_alert_type" ADD VALUE IF NOT EXISTS 'ab_test_rollout'`);
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" ADD "rollout_on_retrain" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" DROP COLUMN "rollout_on_retrain"`);
    // PostgreSQL cannot drop an enum value; 'ab_test_rollout' stays in model_alert_type (unused after this).
    await queryRunner.query(`DROP TABLE "model_ab_test_rollout_events"`);
    await queryRunner.query(`DROP TYPE "public"."ab_test_rollout_event_kind"`);
    await queryRunner.query(`DROP TABLE "model_ab_test_rollouts"`);
    await queryRunner.query(`DROP TYPE "public"."ab_test_rollout_outcome"`);
    await queryRunner.query(`ALTER TABLE "model_ab_tests" DROP COLUMN "mode"`);
    await queryRunner.query(`DROP TYPE "public"."ab_test_mode"`);
  }
}
