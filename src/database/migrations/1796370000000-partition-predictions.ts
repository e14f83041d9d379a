import { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS = `"model_id", "prediction_id", "model_version", "environment", "segment", "predicted_at", "score", "predicted_class",
  "probabilities", "prediction", "features", "ingested_at"`;

const CREATE_PARENT = `CREATE TABLE "model_predictions" ("model_id" uuid NOT NULL, "prediction_id" text NOT NULL, "model_version" text,
    "environment" text NOT NULL DEFAULT 'production', "segment" jsonb NOT NULL DEFAULT '{}', "predicted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
    "score" double precision, "predicted_class" text, "probabilities" jsonb, "prediction" double precision, "features" jsonb,
    "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    CONSTRAINT "ck_model_predictions_score" CHECK ("score" IS NULL OR ("score" >= 0 AND "score" <= 1)),
    CONSTRAINT "pk_model_predictions" PRIMARY KEY ("model_id", "prediction_id", "predicted_at"),
    CONSTRAINT "fk_model_predictions_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION
  ) PARTITION BY RANGE ("predicted_at")`;

/**
 * The prediction log becomes a table partitioned by month of predicted_at, like the metric points (issue 17 builds on
 * issue 16): retention drops whole months, and each month's indexes stay the size of a month. A default partition is
 * the safety net for months without a partition; the maintenance job moves its rows out. Every existing row is copied
 * in this transaction.
 *
 * A unique index of a partitioned table must contain the partition key, so (model_id, prediction_id) can no longer be
 * unique on the predictions themselves: a prediction re-sent with another predictedAt would land in another partition
 * and not conflict. The ids move to model_prediction_ids (primary key (model_id, prediction_id), with the prediction's
 * time): a prediction is inserted only when its id is claimed there in the same statement, so idempotency by
 * predictionId stays exact across partitions, and a label finds its prediction's partition through it. Labels stay in
 * model_labels (one row per labelled prediction, the same key). The primary key of the predictions is
 * (model_id, prediction_id, predicted_at): model_id first, as Citus needs on every unique index of a table distributed
 * by model_id, and a label's lookup is one probe of one partition's index.
 */
export class PartitionPredictions1796370000000 implements MigrationInterface {
  name = 'PartitionPredictions1796370000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_predictions" RENAME TO "model_predictions_unpartitioned"`);
    await queryRunner.query(
      `ALTER TABLE "model_predictions_unpartitioned" RENAME CONSTRAINT "pk_model_predictions" TO "pk_model_predictions_unpartitioned"`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_predictions_unpartitioned" RENAME CONSTRAINT "fk_model_predictions_model" TO "fk_model_predictions_unpartitioned_model"`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_predictions_unpartitioned" RENAME CONSTRAINT "ck_model_predictions_score" TO "ck_model_predictions_unpartitioned_score"`,
    );
    await queryRunner.query(`ALTER INDEX "ix_model_predictions_time" RENAME TO "ix_model_predictions_unpartitioned_time"`);
    await queryRunner.query(CREATE_PARENT);
    await queryRunner.query(`CREATE INDEX "ix_model_predictions_time" ON "model_predictions" ("model_id", "predicted_at")`);
    await queryRunner.query(`CREATE TABLE "model_predictions_default" PARTITION OF "model_predictions" DEFAULT`);
    const months: { month: string }[] = await queryRunner.query(
      `SELECT to_char(month, 'YYYY-MM') AS month FROM (
         SELECT DISTINCT date_trunc('month', "predicted_at" AT TIME ZONE 'UTC') AS month FROM "model_predictions_unpartitioned"
         UNION SELECT date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => ahead) FROM generate_series(0, 2) ahead
       ) months ORDER BY 1`,
    );
    for (const { month } of months) {
      const [year, monthNumber] = month.split('-').map(Number);
      const next = monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
      await queryRunner.query(
        `CREATE TABLE "model_predictions_p${month.replace('-', '')}" PARTITION OF "model_predictions"
           FOR VALUES FROM ('${month}-01T00:00:00Z') TO ('${next}-01T00:00:00Z')`,
      );
    }
    await queryRunner.query(
      `CREATE TABLE "model_prediction_ids" ("model_id" uuid NOT NULL, "prediction_id" text NOT NULL,
        "predicted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "pk_model_prediction_ids" PRIMARY KEY ("model_id", "prediction_id"),
        CONSTRAINT "fk_model_prediction_ids_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(`INSERT INTO "model_predictions" (${COLUMNS}) SELECT ${COLUMNS} FROM "model_predictions_unpartitioned"`);
    await queryRunner.query(
      `INSERT INTO "model_prediction_ids" ("model_id", "prediction_id", "predicted_at")
       SELECT "model_id", "prediction_id", "predicted_at" FROM "model_predictions_unpartitioned"`,
    );
    await queryRunner.query(`DROP TABLE "model_predictions_unpartitioned"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "model_predictions" RENAME TO "model_predictions_partitioned"`);
    await queryRunner.query(`ALTER INDEX "ix_model_predictions_time" RENAME TO "ix_model_predictions_partitioned_time"`);
    await queryRunner.query(
      `ALTER TABLE "model_predictions_partitioned" RENAME CONSTRAINT "pk_model_predictions" TO "pk_model_predictions_partitioned"`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_predictions_partitioned" RENAME CONSTRAINT "fk_model_predictions_model" TO "fk_model_predictions_partitioned_model"`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_predictions_partitioned" RENAME CONSTRAINT "ck_model_predictions_score" TO "ck_model_predictions_partitioned_score"`,
    );
    await queryRunner.query(
      `CREATE TABLE "model_predictions" ("model_id" uuid NOT NULL, "prediction_id" text NOT NULL, "model_version" text, "environment" text NOT NULL DEFAULT 'production', "segment" jsonb NOT NULL DEFAULT '{}', "predicted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "score" double precision, "predicted_class" text, "probabilities" jsonb, "prediction" double precision, "features" jsonb, "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_model_predictions_score" CHECK ("score" IS NULL OR ("score" >= 0 AND "score" <= 1)), CONSTRAINT "pk_model_predictions" PRIMARY KEY ("model_id", "prediction_id"))`,
    );
    await queryRunner.query(`INSERT INTO "model_predictions" (${COLUMNS}) SELECT ${COLUMNS} FROM "model_predictions_partitioned"`);
    await queryRunner.query(`DROP TABLE "model_predictions_partitioned"`);
    await queryRunner.query(`DROP TABLE "model_prediction_ids"`);
    await queryRunner.query(`CREATE INDEX "ix_model_predictions_time" ON "model_predictions" ("model_id", "predicted_at")`);
    await queryRunner.query(
      `ALTER TABLE "model_predictions" ADD CONSTRAINT "fk_model_predictions_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }
}
