import { MigrationInterface, QueryRunner } from 'typeorm';

/** A drift check keeps the data quality of its current sample (per feature shares, jsonb), so GET returns what POST did. */
export class AddDriftCheckDataQuality1796330000001 implements MigrationInterface {
  name = 'AddDriftCheckDataQuality1796330000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_drift_checks" ADD "data_quality" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_drift_checks" DROP COLUMN "data_quality"`);
  }
}
