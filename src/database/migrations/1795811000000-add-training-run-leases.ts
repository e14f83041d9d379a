import { MigrationInterface, QueryRunner } from 'typeorm';

/** Training-run leases: the retrain policy's queued/running timeouts and each run's last heartbeat. */
export class AddTrainingRunLeases1795811000000 implements MigrationInterface {
  name = 'AddTrainingRunLeases1795811000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" ADD "queued_timeout_minutes" integer NOT NULL DEFAULT '60'`);
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" ADD "running_timeout_minutes" integer NOT NULL DEFAULT '1440'`);
    await queryRunner.query(`ALTER TABLE "model_training_history" ADD "last_heartbeat_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "model_retrain_policies" ADD CONSTRAINT "ck_model_retrain_policies_timeouts" CHECK (queued_timeout_minutes >= 1 AND running_timeout_minutes >= 1)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" DROP CONSTRAINT "ck_model_retrain_policies_timeouts"`);
    await queryRunner.query(`ALTER TABLE "model_training_history" DROP COLUMN "last_heartbeat_at"`);
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" DROP COLUMN "running_timeout_minutes"`);
    await queryRunner.query(`ALTER TABLE "model_retrain_policies" DROP COLUMN "queued_timeout_minutes"`);
  }
}
