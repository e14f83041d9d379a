import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAbTests1795780000000 implements MigrationInterface {
  name = 'CreateAbTests1795780000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."ab_test_metric_type" AS ENUM('binary', 'continuous')`);
    await queryRunner.query(`CREATE TYPE "public"."ab_test_status" AS ENUM('running', 'completed')`);
    await queryRunner.query(
      `CREATE TABLE "model_ab_tests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "model_id" uuid NOT NULL, "description" text, "hypothesis" text, "primary_metric" text NOT NULL, "metric_type" "public"."ab_test_metric_type" NOT NULL, "alpha" double precision NOT NULL, "power" double precision NOT NULL, "minimum_detectable_effect" double precision NOT NULL, "baseline_rate" double precision, "baseline_mean" double precision, "baseline_std_dev" double precision, "hash_seed" text NOT NULL, "sequential" boolean NOT NULL DEFAULT false, "min_samples_per_variant" integer NOT NULL, "status" "public"."ab_test_status" NOT NULL DEFAULT 'running', "winner" text, "conclusion" text, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_model_ab_tests_ended" CHECK (("status" = 'completed') = ("ended_at" IS NOT NULL)), CONSTRAINT "ck_model_ab_tests_power" CHECK ("power" > 0 AND "power" < 1), CONSTRAINT "ck_model_ab_tests_alpha" CHECK ("alpha" > 0 AND "alpha" < 1), CONSTRAINT "PK_a47c96e6c8bc6a0149eea95e6c4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_model_ab_tests_model_started" ON "model_ab_tests"  ("model_id", "started_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_model_ab_tests_started" ON "model_ab_tests"  ("started_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "model_ab_test_batches" ("test_id" uuid NOT NULL, "batch_id" text NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_585ad83b38792f44c556c4f53fb" PRIMARY KEY ("test_id", "batch_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "model_ab_test_variants" ("test_id" uuid NOT NULL, "position" smallint NOT NULL, "name" text NOT NULL, "model_version" text, "weight" double precision NOT NULL, "count" bigint NOT NULL DEFAULT '0', "sum" double precision NOT NULL DEFAULT '0', "sum_squares" double precision NOT NULL DEFAULT '0', CONSTRAINT "ck_model_ab_test_variants_count" CHECK ("count" >= 0), CONSTRAINT "ck_model_ab_test_variants_weight" CHECK ("weight" > 0), CONSTRAINT "PK_217d5280963612e835c047c2ce3" PRIMARY KEY ("test_id", "position"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_model_ab_test_variants_name" ON "model_ab_test_variants"  ("test_id", "name") `);
    await queryRunner.query(
      `ALTER TABLE "model_ab_tests" ADD CONSTRAINT "fk_model_ab_tests_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_ab_test_batches" ADD CONSTRAINT "fk_model_ab_test_batches_test" FOREIGN KEY ("test_id") REFERENCES "model_ab_tests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_ab_test_variants" ADD CONSTRAINT "fk_model_ab_test_variants_test" FOREIGN KEY ("test_id") REFERENCES "model_ab_tests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Running tests with their variants' counts (and sums, for ad-hoc means) and age, for operators and for
    // GET /ab-test?status=running. Kept in the migration only (not a TypeORM view entity) and read with raw SQL.
    await queryRunner.query(`CREATE VIEW "v_active_ab_tests" AS
            SELECT t.id, t.name, t.model_id, t.description, t.hypothesis, t.primary_metric, t.metric_type, t.alpha,
                   t.power, t.minimum_detectable_effect, t.baseline_rate, t.baseline_mean, t.baseline_std_dev,
                   t.hash_seed, t.sequential, t.min_samples_per_variant, t.status, t.winner, t.conclusion,
                   t.started_at, t.ended_at, v.variants, v.total_count, now() - t.started_at AS age
            FROM model_ab_tests t
            CROSS JOIN LATERAL (
                SELECT jsonb_agg(jsonb_build_object('name', variant.name, 'model_version', variant.model_version,
                                                    'weight', variant.weight, 'count', variant.count,
                                                    'sum', variant.sum, 'sum_squares', variant.sum_squares)
                                 ORDER BY variant.position) AS variants,
                       COALESCE(sum(variant.count), 0)::bigint AS total_count
                FROM model_ab_test_variants variant
                WHERE variant.test_id = t.id
            ) v
            WHERE t.status = 'running'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW "v_active_ab_tests"`);
    await queryRunner.query(`ALTER TABLE "model_ab_test_variants" DROP CONSTRAINT "fk_model_ab_test_variants_test"`);
    await queryRunner.query(`ALTER TABLE "model_ab_test_batches" DROP CONSTRAINT "fk_model_ab_test_batches_test"`);
    await queryRunner.query(`ALTER TABLE "model_ab_tests" DROP CONSTRAINT "fk_model_ab_tests_model"`);
    await queryRunner.query(`DROP INDEX "public"."uq_model_ab_test_variants_name"`);
    await queryRunner.query(`DROP TABLE "model_ab_test_variants"`);
    await queryRunner.query(`DROP TABLE "model_ab_test_batches"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_ab_tests_started"`);
    await queryRunner.query(`DROP INDEX "public"."ix_model_ab_tests_model_started"`);
    await queryRunner.query(`DROP TABLE "model_ab_tests"`);
    await queryRunner.query(`DROP TYPE "public"."ab_test_status"`);
    await queryRunner.query(`DROP TYPE "public"."ab_test_metric_type"`);
  }
}
