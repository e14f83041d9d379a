import { MigrationInterface, QueryRunner } from 'typeorm';

/** No-data rules: the rule's `noData` option and `noDataMinutes`, and the `no_data` alert type. */
export class AddRuleNoData1796000000000 implements MigrationInterface {
  name = 'AddRuleNoData1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Allowed inside a transaction since PostgreSQL 12; the new value is not used before this migration commits.
    await queryRunner.query(`ALTER TYPE "model_alert_type" ADD VALUE IF NOT EXISTS 'no_data'`);
    await queryRunner.query(`CREATE TYPE "model_alert_rule_no_data" AS ENUM('ok', 'alerting', 'keep-last')`);
    await queryRunner.query(`ALTER TABLE "model_alert_rules" ADD "no_data" "model_alert_rule_no_data" NOT NULL DEFAULT 'keep-last'`);
    await queryRunner.query(`ALTER TABLE "model_alert_rules" ADD "no_data_minutes" integer`);
    await queryRunner.query(
      `ALTER TABLE "model_alert_rules" ADD CONSTRAINT "ck_model_alert_rules_no_data_minutes" CHECK ("no_data_minutes" BETWEEN 1 AND 10080)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_alert_rules" DROP CONSTRAINT "ck_model_alert_rules_no_data_minutes"`);
    await queryRunner.query(`ALTER TABLE "model_alert_rules" DROP COLUMN "no_data_minutes"`);
    await queryRunner.query(`ALTER TABLE "model_alert_rules" DROP COLUMN "no_data"`);
    await queryRunner.query(`DROP TYPE "model_alert_rule_no_data"`);
    // PostgreSQL cannot drop an enum value (and the alerts view depends on the column): 'no_data' stays in model_alert_type.
  }
}
