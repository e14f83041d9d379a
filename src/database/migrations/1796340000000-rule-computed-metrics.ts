import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert rules on computed metrics (realized.*, labels.* …): the bucket size their series is read in (null for a pushed
 * metric) and the evaluation lag, so buckets whose labels are not due yet are not judged.
 */
export class RuleComputedMetrics1796340000000 implements MigrationInterface {
  name = 'RuleComputedMetrics1796340000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_alert_rules" ADD "bucket" text`);
    await queryRunner.query(`ALTER TABLE "model_alert_rules" ADD "evaluation_lag_minutes" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "model_alert_rules" ADD CONSTRAINT "ck_model_alert_rules_bucket" CHECK ("bucket" IN ('1m', '5m', '15m', '1h', '6h', '1d', '1w'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_alert_rules" ADD CONSTRAINT "ck_model_alert_rules_evaluation_lag" CHECK ("evaluation_lag_minutes" BETWEEN 0 AND 43200)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_alert_rules" DROP CONSTRAINT "ck_model_alert_rules_evaluation_lag"`);
    await queryRunner.query(`ALTER TABLE "model_alert_rules" DROP CONSTRAINT "ck_model_alert_rules_bucket"`);
    await queryRunner.query(`ALTER TABLE "model_alert_rules" DROP COLUMN "evaluation_lag_minutes"`);
    await queryRunner.query(`ALTER TABLE "model_alert_rules" DROP COLUMN "bucket"`);
  }
}
