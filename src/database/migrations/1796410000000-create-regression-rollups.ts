import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hourly rollups of regression predictions for realized.mae, rmse, mape, r2 and labels.coverage
 * (src/predictions/regression-rollup.policy.ts). The service keeps them in the transactions that write predictions
 * and labels; this migration rolls up what is already logged, with the policy's sums spelled in SQL once
 * (e = y − ŷ; MAPE's ε = 2⁻⁵²; layout [predictions, labelled, Σ|e|, Σe², Σ|e|/max(|y|, ε), Σy, Σy²]).
 */
export const BACKFILL_REGRESSION_ROLLUPS = `
  INSERT INTO model_regression_rollups (model_id, environment, bucket_start, sums)
  SELECT model_id, environment, bucket_start,
    ARRAY[count(*), count(y), coalesce(sum(abs(y - yhat)), 0), coalesce(sum((y - yhat) * (y - yhat)), 0),
          coalesce(sum(abs(y - yhat) / greatest(abs(y), 2.220446049250313e-16::float8)), 0), coalesce(sum(y), 0), coalesce(sum(y * y), 0)]::float8[]
  FROM (
    SELECT p.model_id, p.environment, to_timestamp(floor(extract(epoch FROM p.predicted_at) / 3600) * 3600) AS bucket_start,
      p.prediction AS yhat, l.label_value AS y
    FROM model_predictions p LEFT JOIN model_labels l USING (model_id, prediction_id)
    WHERE p.prediction IS NOT NULL
  ) p
  GROUP BY 1, 2, 3`;

export class CreateRegressionRollups1796410000000 implements MigrationInterface {
  name = 'CreateRegressionRollups1796410000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "model_regression_rollups" ("model_id" uuid NOT NULL, "environment" text NOT NULL, "bucket_start" TIMESTAMP WITH TIME ZONE NOT NULL, "sums" double precision array NOT NULL, CONSTRAINT "pk_model_regression_rollups" PRIMARY KEY ("model_id", "environment", "bucket_start"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_regression_rollups" ADD CONSTRAINT "fk_model_regression_rollups_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(BACKFILL_REGRESSION_ROLLUPS);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_regression_rollups" DROP CONSTRAINT "fk_model_regression_rollups_model"`);
    await queryRunner.query(`DROP TABLE "model_regression_rollups"`);
  }
}
