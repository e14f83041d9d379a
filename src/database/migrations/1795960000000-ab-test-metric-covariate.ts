import { MigrationInterface, QueryRunner } from 'typeorm';

/** CUPED: a metric may carry a pre-experiment covariate; its sums use the stats row's paired columns. */
export class AbTestMetricCovariate1795960000000 implements MigrationInterface {
  name = 'AbTestMetricCovariate1795960000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_ab_test_metrics" ADD "covariate" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `ALTER TABLE "model_ab_test_metrics" ADD CONSTRAINT "ck_model_ab_test_metrics_covariate" CHECK (NOT ("covariate" AND "type" = 'ratio'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_ab_test_metrics" DROP CONSTRAINT "ck_model_ab_test_metrics_covariate"`);
    await queryRunner.query(`ALTER TABLE "model_ab_test_metrics" DROP COLUMN "covariate"`);
  }
}
