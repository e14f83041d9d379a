import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-feature bin counts (reference vs current) on drift check results, for the dashboard's distributions. */
export class AddDriftFeatureHistogram1795805130000 implements MigrationInterface {
  name = 'AddDriftFeatureHistogram1795805130000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_drift_feature_results" ADD "histogram" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_drift_feature_results" DROP COLUMN "histogram"`);
  }
}
