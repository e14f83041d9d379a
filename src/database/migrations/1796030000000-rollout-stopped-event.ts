import { MigrationInterface, QueryRunner } from 'typeorm';

/** A rollout stopped by hand (POST /ab-test/{id}/stop) records a `stopped` event, announced like the other transitions. */
export class RolloutStoppedEvent1796030000000 implements MigrationInterface {
  name = 'RolloutStoppedEvent1796030000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."ab_test_rollout_event_kind" ADD VALUE IF NOT EXISTS 'stopped'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop an enum value: the type is rebuilt without it (the rows that used it go first).
    await queryRunner.query(`DELETE FROM "model_ab_test_rollout_events" WHERE "kind" = 'stopped'`);
    await queryRunner.query(`ALTER TYPE "public"."ab_test_rollout_event_kind" RENAME TO "ab_test_rollout_event_kind_old"`);
    await queryRunner.query(`CREATE TYPE "public"."ab_test_rollout_event_kind" AS ENUM('started', 'step', 'promoted', 'rolled_back')`);
    await queryRunner.query(
      `ALTER TABLE "model_ab_test_rollout_events" ALTER COLUMN "kind" TYPE "public"."ab_test_rollout_event_kind" USING "kind"::text::"public"."ab_test_rollout_event_kind"`,
    );
    await queryRunner.query(`DROP TYPE "public"."ab_test_rollout_event_kind_old"`);
  }
}
