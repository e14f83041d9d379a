import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAbTestVariantCenteredSumSquares1795780000001 implements MigrationInterface {
  name = 'AddAbTestVariantCenteredSumSquares1795780000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_ab_test_variants" ADD "centered_sum_squares" double precision NOT NULL DEFAULT '0'`);
    // Rows recorded before: the best available value is the difference of sums (clamped at 0).
    await queryRunner.query(
      `UPDATE "model_ab_test_variants" SET "centered_sum_squares" = GREATEST("sum_squares" - "sum" * "sum" / "count", 0) WHERE "count" > 0`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_ab_test_variants" DROP COLUMN "centered_sum_squares"`);
  }
}
