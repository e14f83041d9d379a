import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 15: GrowthBook coverage, relative/absolute analysis, the Bayesian engine with its prior, sequential N*. */
export class AbTestCoverageAnalysisEngine1795900000000 implements MigrationInterface {
  name = 'AbTestCoverageAnalysisEngine1795900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."ab_test_analysis" AS ENUM('relative', 'absolute')`);
    await queryRunner.query(`CREATE TYPE "public"."ab_test_engine" AS ENUM('frequentist', 'bayesian')`);
    await queryRunner.query(`ALTER TABLE "model_ab_tests" ADD "coverage" double precision NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "model_ab_tests" ADD "analysis" "public"."ab_test_analysis" NOT NULL DEFAULT 'relative'`);
    await queryRunner.query(`ALTER TABLE "model_ab_tests" ADD "engine" "public"."ab_test_engine" NOT NULL DEFAULT 'frequentist'`);
    await queryRunner.query(`ALTER TABLE "model_ab_tests" ADD "sequential_tuning_parameter" double precision NOT NULL DEFAULT '5000'`);
    await queryRunner.query(`ALTER TABLE "model_ab_tests" ADD "prior_mean" double precision`);
    await queryRunner.query(`ALTER TABLE "model_ab_tests" ADD "prior_variance" double precision`);
    await queryRunner.query(
      `ALTER TABLE "model_ab_tests" ADD CONSTRAINT "ck_model_ab_tests_coverage" CHECK ("coverage" > 0 AND "coverage" <= 1)`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_ab_tests" ADD CONSTRAINT "ck_model_ab_tests_prior" CHECK (("prior_mean" IS NULL) = ("prior_variance" IS NULL) AND ("prior_variance" IS NULL OR "prior_variance" > 0))`,
    );
    // The view lists columns explicitly, so it is recreated with the new ones (same definition otherwise).
    await queryRunner.query(`DROP VIEW "v_active_ab_tests"`);
    await queryRunner.query(`CREATE VIEW "v_active_ab_tests" AS
            SELECT t.id, t.name, t.model_id, t.description, t.hypothesis, t.primary_metric, t.metric_type, t.alpha,
                   t.power, t.minimum_detectable_effect, t.baseline_rate, t.baseline_mean, t.baseline_std_dev,
                   t.hash_seed, t.sequential, t.min_samples_per_variant, t.status, t.winner, t.conclusion,
                   t.started_at, t.ended_at, v.variants, v.total_count, now() - t.started_at AS age,
                   t.coverage, t.analysis, t.engine, t.sequential_tuning_parameter, t.prior_mean, t.prior_variance
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
    await queryRunner.query(`ALTER TABLE "model_ab_tests" DROP CONSTRAINT "ck_model_ab_tests_prior"`);
    await queryRunner.query(`ALTER TABLE "model_ab_tests" DROP CONSTRAINT "ck_model_ab_tests_coverage"`);
    for (const column of ['prior_variance', 'prior_mean', 'sequential_tuning_parameter', 'engine', 'analysis', 'coverage']) {
      await queryRunner.query(`ALTER TABLE "model_ab_tests" DROP COLUMN "${column}"`);
    }
    await queryRunner.query(`DROP TYPE "public"."ab_test_engine"`);
    await queryRunner.query(`DROP TYPE "public"."ab_test_analysis"`);
  }
}
