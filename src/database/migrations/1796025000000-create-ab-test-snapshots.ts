import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAbTestSnapshots1796025000000 implements MigrationInterface {
  name = 'CreateAbTestSnapshots1796025000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_ab_test_snapshots" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "test_id" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "metric_position" smallint, "variant_position" smallint NOT NULL, "count" bigint NOT NULL, "sum" double precision NOT NULL, "sum_squares" double precision NOT NULL, "centered_sum_squares" double precision NOT NULL, "denominator_sum" double precision, "denominator_sum_squares" double precision, "sum_products" double precision, CONSTRAINT "PK_5a416fc66db6cefdc082f6828e1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_model_ab_test_snapshots_test" ON "model_ab_test_snapshots"  ("test_id", "id") `);
    await queryRunner.query(
      `ALTER TABLE "model_ab_test_snapshots" ADD CONSTRAINT "fk_model_ab_test_snapshots_test" FOREIGN KEY ("test_id") REFERENCES "model_ab_tests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Counters recorded before: their history is unknown, so they enter as one snapshot at the end of the test (or
    // now, while it runs); the newest snapshot then still equals the counters.
    await queryRunner.query(
      `INSERT INTO "model_ab_test_snapshots" ("test_id", "recorded_at", "metric_position", "variant_position", "count", "sum", "sum_squares", "centered_sum_squares")
       SELECT v."test_id", COALESCE(t."ended_at", now()), NULL, v."position", v."count", v."sum", v."sum_squares", v."centered_sum_squares"
       FROM "model_ab_test_variants" v JOIN "model_ab_tests" t ON t."id" = v."test_id"
       WHERE v."count" > 0 ORDER BY v."test_id", v."position"`,
    );
    await queryRunner.query(
      `INSERT INTO "model_ab_test_snapshots" ("test_id", "recorded_at", "metric_position", "variant_position", "count", "sum", "sum_squares", "centered_sum_squares", "denominator_sum", "denominator_sum_squares", "sum_products")
       SELECT s."test_id", COALESCE(t."ended_at", now()), s."metric_position", s."variant_position", s."count", s."sum", s."sum_squares", s."centered_sum_squares", s."denominator_sum", s."denominator_sum_squares", s."sum_products"
       FROM "model_ab_test_metric_stats" s JOIN "model_ab_tests" t ON t."id" = s."test_id"
       WHERE s."count" > 0 ORDER BY s."test_id", s."metric_position", s."variant_position"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_ab_test_snapshots" DROP CONSTRAINT "fk_model_ab_test_snapshots_test"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_ab_test_snapshots_test"`);
    await queryRunner.query(`DROP TABLE "model_ab_test_snapshots"`);
  }
}
