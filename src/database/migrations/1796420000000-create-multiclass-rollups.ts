import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hourly rollups of multiclass predictions for realized.accuracy, macro precision / recall / F1, weighted F1, log loss
 * and labels.coverage (src/predictions/multiclass-rollup.policy.ts). The service keeps them in the transactions that
 * write predictions and labels; this migration rolls up what is already logged, with the policy's definitions spelled
 * in SQL once (log-loss term −ln p(true class) with p clipped to [ε, 1 − ε], ε = 2⁻⁵², an absent class p = 0; sums
 * [predictions, labelled, Σ log-loss term]; counts {true: {predicted: n}}).
 */
export const BACKFILL_MULTICLASS_ROLLUPS = `
  WITH p AS (
    SELECT p.model_id, p.environment, to_timestamp(floor(extract(epoch FROM p.predicted_at) / 3600) * 3600) AS bucket_start,
      p.predicted_class, l.label_class,
      -ln(least(greatest(coalesce((p.probabilities ->> l.label_class)::float8, 0), 2.220446049250313e-16::float8), 1 - 2.220446049250313e-16::float8)) AS loss
    FROM model_predictions p LEFT JOIN model_labels l USING (model_id, prediction_id)
    WHERE p.probabilities IS NOT NULL
  ),
  cells AS (
    SELECT model_id, environment, bucket_start, label_class, predicted_class, count(*)::float8 AS n
    FROM p WHERE label_class IS NOT NULL GROUP BY 1, 2, 3, 4, 5
  ),
  counts AS (
    SELECT model_id, environment, bucket_start, jsonb_object_agg(label_class, row) AS counts
    FROM (SELECT model_id, environment, bucket_start, label_class, jsonb_object_agg(predicted_class, n) AS row FROM cells GROUP BY 1, 2, 3, 4) rows
    GROUP BY 1, 2, 3
  ),
  sums AS (
    SELECT model_id, environment, bucket_start,
      ARRAY[count(*), count(label_class), coalesce(sum(loss) FILTER (WHERE label_class IS NOT NULL), 0)]::float8[] AS sums
    FROM p GROUP BY 1, 2, 3
  )
  INSERT INTO model_multiclass_rollups (model_id, environment, bucket_start, sums, counts)
  SELECT model_id, environment, bucket_start, sums, coalesce(counts, '{}')
  FROM sums LEFT JOIN counts USING (model_id, environment, bucket_start)`;

export class CreateMulticlassRollups1796420000000 implements MigrationInterface {
  name = 'CreateMulticlassRollups1796420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_multiclass_rollups" ("model_id" uuid NOT NULL, "environment" text NOT NULL, "bucket_start" TIMESTAMP WITH TIME ZONE NOT NULL, "sums" double precision array NOT NULL, "counts" jsonb NOT NULL, CONSTRAINT "pk_model_multiclass_rollups" PRIMARY KEY ("model_id", "environment", "bucket_start"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_multiclass_rollups" ADD CONSTRAINT "fk_model_multiclass_rollups_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // counts a + b, cell by cell ({true: {predicted: n}}), for folding a delta into a stored row inside the upsert.
    await queryRunner.query(
      `CREATE FUNCTION model_multiclass_counts_add(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT coalesce(jsonb_object_agg(label, row), '{}'::jsonb) FROM (
            SELECT label, jsonb_object_agg(predicted, n) AS row FROM (
              SELECT side.key AS label, cell.key AS predicted, sum(cell.value::float8) AS n
              FROM (SELECT * FROM jsonb_each(a) UNION ALL SELECT * FROM jsonb_each(b)) side, jsonb_each_text(side.value) cell
              GROUP BY 1, 2) cells
            GROUP BY 1) rows $$`,
    );
    await queryRunner.query(BACKFILL_MULTICLASS_ROLLUPS);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION model_multiclass_counts_add(jsonb, jsonb)`);
    await queryRunner.query(`ALTER TABLE "model_multiclass_rollups" DROP CONSTRAINT "fk_model_multiclass_rollups_model"`);
    await queryRunner.query(`DROP TABLE "model_multiclass_rollups"`);
  }
}
