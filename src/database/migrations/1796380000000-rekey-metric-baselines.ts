import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * model_metric_baselines is keyed by (model_id, id), so a distributed PostgreSQL (Citus) can distribute it by model_id:
 * every unique index of a distributed table must contain the distribution column (test/schema-distribution.e2e-spec.ts).
 * Every read of the table names its model, so no index on id alone is kept.
 */
export class RekeyMetricBaselines1796380000000 implements MigrationInterface {
  name = 'RekeyMetricBaselines1796380000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_metric_baselines" DROP CONSTRAINT "PK_994038683d317220bab4fa2bee7"`);
    await queryRunner.query(
      `ALTER TABLE "model_metric_baselines" ADD CONSTRAINT "pk_model_metric_baselines" PRIMARY KEY ("model_id", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_metric_baselines" DROP CONSTRAINT "pk_model_metric_baselines"`);
    await queryRunner.query(`ALTER TABLE "model_metric_baselines" ADD CONSTRAINT "PK_994038683d317220bab4fa2bee7" PRIMARY KEY ("id")`);
  }
}
