import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hourly rollups of binary predictions for the realized metrics (src/predictions/realized-rollup.policy.ts), so a
 * 30-day hourly trend reads 720 rows instead of every prediction. The service keeps them in the transactions that
 * write predictions and labels; this migration rolls up what is already logged, with the policy's definitions
 * spelled in SQL once (K = 1000 bins, log-loss clip ε = 2⁻⁵², cells ordered predicted 0/1 × unlabelled/0/1).
 */
export const BACKFILL_PREDICTION_ROLLUPS = `
  WITH p AS (
    SELECT p.model_id, p.environment, to_timestamp(floor(extract(epoch FROM p.predicted_at) / 3600) * 3600) AS bucket_start,
      (CASE WHEN p.predicted_class = '1' THEN 3 ELSE 0 END + CASE WHEN l.label_class IS NULL THEN 0 WHEN l.label_class = '1' THEN 2 ELSE 1 END) AS cell,
      l.label_class, p.score, least(floor(p.score * 1000), 1000)::int AS bin,
      greatest(least(p.score, 1 - 2.220446049250313e-16::float8), 2.220446049250313e-16::float8) AS clipped
    FROM model_predictions p LEFT JOIN model_labels l USING (model_id, prediction_id)
    WHERE p.score IS NOT NULL
  ),
  cells AS (
    SELECT model_id, environment, bucket_start, cell, count(*)::float8 AS n,
      coalesce(sum(CASE WHEN label_class = '1' THEN -ln(clipped) WHEN label_class = '0' THEN -ln(1 - clipped) END), 0) AS log_loss,
      coalesce(sum(CASE WHEN label_class = '1' THEN (1 - score) ^ 2 WHEN label_class = '0' THEN score ^ 2 END), 0) AS brier
    FROM p GROUP BY 1, 2, 3, 4
  ),
  bins AS (
    SELECT model_id, environment, bucket_start, (CASE WHEN label_class = '1' THEN 1001 ELSE 0 END + bin) AS slot, count(*)::float8 AS n
    FROM p WHERE label_class IS NOT NULL GROUP BY 1, 2, 3, 4
  ),
  keys AS (SELECT DISTINCT model_id, environment, bucket_start FROM cells),
  dense_cells AS (
    SELECT k.model_id, k.environment, k.bucket_start,
      array_agg(coalesce(CASE i % 3 WHEN 0 THEN c.n WHEN 1 THEN c.log_loss ELSE c.brier END, 0) ORDER BY i) AS cells
    FROM keys k CROSS JOIN generate_series(0, 17) AS i
    LEFT JOIN cells c ON (c.model_id, c.environment, c.bucket_start, c.cell) = (k.model_id, k.environment, k.bucket_start, i / 3)
    GROUP BY 1, 2, 3
  ),
  dense_bins AS (
    SELECT k.model_id, k.environment, k.bucket_start, array_agg(coalesce(b.n, 0) ORDER BY i) AS histogram
    FROM keys k CROSS JOIN generate_series(0, 2001) AS i
    LEFT JOIN bins b ON (b.model_id, b.environment, b.bucket_start, b.slot) = (k.model_id, k.environment, k.bucket_start, i)
    GROUP BY 1, 2, 3
  )
  INSERT INTO model_prediction_rollups (model_id, environment, bucket_start, cells, histogram)
  SELECT model_id, environment, bucket_start, cells, histogram FROM dense_cells JOIN dense_bins USING (model_id, environment, bucket_start)`;

export class CreatePredictionRollups1796350000000 implements MigrationInterface {
  name = 'CreatePredictionRollups1796350000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_prediction_rollups" ("model_id" uuid NOT NULL, "environment" text NOT NULL, "bucket_start" TIMESTAMP WITH TIME ZONE NOT NULL, "cells" double precision array NOT NULL, "histogram" double precision array NOT NULL, "auc_u" double precision, "auc_ties" double precision, CONSTRAINT "pk_model_prediction_rollups" PRIMARY KEY ("model_id", "environment", "bucket_start"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_prediction_rollups" ADD CONSTRAINT "fk_model_prediction_rollups_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Elementwise a + b, for folding a delta into a stored row inside the upsert.
    await queryRunner.query(
      `CREATE FUNCTION model_prediction_rollup_add(a float8[], b float8[]) RETURNS float8[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t (x, y, i) $$`,
    );
    await queryRunner.query(BACKFILL_PREDICTION_ROLLUPS);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION model_prediction_rollup_add(float8[], float8[])`);
    await queryRunner.query(`ALTER TABLE "model_prediction_rollups" DROP CONSTRAINT "fk_model_prediction_rollups_model"`);
    await queryRunner.query(`DROP TABLE "model_prediction_rollups"`);
  }
}
