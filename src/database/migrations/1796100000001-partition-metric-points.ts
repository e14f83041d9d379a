import { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS = `"id", "model_id", "model_version", "metric_name", "value", "environment", "segment", "sample_size", "recorded_at", "ingested_at", "idempotency_key"`;

const LATEST_VIEW = `CREATE VIEW "v_latest_model_performance" AS
            SELECT latest."model_id", latest."model_version", latest."environment", latest."metric_name", point."value", latest."recorded_at"
            FROM (
                SELECT "model_id", "metric_name", "environment", "model_version", max("recorded_at") AS "recorded_at"
                FROM "model_performance_metrics"
                GROUP BY "model_id", "metric_name", "environment", "model_version"
            ) latest
            CROSS JOIN LATERAL (
                SELECT max(candidate."value") AS "value"
                FROM "model_performance_metrics" candidate
                WHERE candidate."model_id" = latest."model_id" AND candidate."metric_name" = latest."metric_name"
                  AND candidate."recorded_at" = latest."recorded_at" AND candidate."environment" = latest."environment"
                  AND candidate."model_version" IS NOT DISTINCT FROM latest."model_version"
            ) point`;

/**
 * model_performance_metrics becomes a table partitioned by month of recorded_at (so retention drops whole partitions),
 * with a default partition as a safety net for months that have no partition yet (the maintenance job moves such rows
 * into their month). Every row of the existing table is copied in the same transaction.
 *
 * A unique index of a partitioned table must contain the partition key, so (model_id, idempotency_key) can no longer be
 * unique on the points themselves: a key re-sent months later would land in another partition and not conflict.
 * Idempotency keys move to metric_idempotency_keys (primary key (model_id, idempotency_key), one small table, not
 * partitioned): a point is inserted only when its key is claimed there in the same statement, so duplicates stay exact
 * across partitions. A key that embeds the time would not do: a retry does not always resend the same recordedAt
 * (clients default it to now). The primary key of the points is (model_id, recorded_at, id): the partition key, and
 * model_id as a distributed PostgreSQL (Citus) needs on every unique index of a table distributed by model_id.
 */
export class PartitionMetricPoints1796100000001 implements MigrationInterface {
  name = 'PartitionMetricPoints1796100000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW "v_latest_model_performance"`);
    await queryRunner.query(`ALTER TABLE "model_performance_metrics" RENAME TO "model_performance_metrics_unpartitioned"`);
    await queryRunner.query(
      `ALTER TABLE "model_performance_metrics_unpartitioned" RENAME CONSTRAINT "PK_8e63cd53e4a578cc2d1130dcc07" TO "pk_model_performance_metrics_unpartitioned"`,
    );
    await queryRunner.query(
      `ALTER INDEX "ix_model_performance_metrics_series" RENAME TO "ix_model_performance_metrics_unpartitioned_series"`,
    );
    await queryRunner.query(
      `CREATE TABLE "model_performance_metrics" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "model_id" uuid NOT NULL, "model_version" text,
        "metric_name" text NOT NULL, "value" double precision NOT NULL, "environment" text NOT NULL DEFAULT 'production',
        "segment" jsonb NOT NULL DEFAULT '{}', "sample_size" integer, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "idempotency_key" text,
        CONSTRAINT "ck_model_performance_metrics_sample_size" CHECK ("sample_size" IS NULL OR "sample_size" >= 0),
        CONSTRAINT "ck_model_performance_metrics_value_finite" CHECK ("value" NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)),
        CONSTRAINT "pk_model_performance_metrics" PRIMARY KEY ("model_id", "recorded_at", "id"),
        CONSTRAINT "fk_model_performance_metrics_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION
       ) PARTITION BY RANGE ("recorded_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_model_performance_metrics_series" ON "model_performance_metrics" ("model_id", "metric_name", "recorded_at") INCLUDE ("environment", "model_version", "value")`,
    );
    await queryRunner.query(`CREATE TABLE "model_performance_metrics_default" PARTITION OF "model_performance_metrics" DEFAULT`);
    const months: { month: string }[] = await queryRunner.query(
      `SELECT to_char(month, 'YYYY-MM') AS month FROM (
         SELECT DISTINCT date_trunc('month', "recorded_at" AT TIME ZONE 'UTC') AS month FROM "model_performance_metrics_unpartitioned"
         UNION SELECT date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => ahead) FROM generate_series(0, 2) ahead
       ) months ORDER BY 1`,
    );
    for (const { month } of months) {
      const [year, monthNumber] = month.split('-').map(Number);
      const next = monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
      await queryRunner.query(
        `CREATE TABLE "model_performance_metrics_p${month.replace('-', '')}" PARTITION OF "model_performance_metrics"
           FOR VALUES FROM ('${month}-01T00:00:00Z') TO ('${next}-01T00:00:00Z')`,
      );
    }
    await queryRunner.query(
      `CREATE TABLE "metric_idempotency_keys" ("model_id" uuid NOT NULL, "idempotency_key" text NOT NULL,
        "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "pk_metric_idempotency_keys" PRIMARY KEY ("model_id", "idempotency_key"),
        CONSTRAINT "fk_metric_idempotency_keys_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(
      `INSERT INTO "model_performance_metrics" (${COLUMNS}) SELECT ${COLUMNS} FROM "model_performance_metrics_unpartitioned"`,
    );
    await queryRunner.query(
      `INSERT INTO "metric_idempotency_keys" ("model_id", "idempotency_key", "recorded_at")
       SELECT "model_id", "idempotency_key", "recorded_at" FROM "model_performance_metrics_unpartitioned" WHERE "idempotency_key" IS NOT NULL`,
    );
    await queryRunner.query(`DROP TABLE "model_performance_metrics_unpartitioned"`);
    await queryRunner.query(LATEST_VIEW);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW "v_latest_model_performance"`);
    await queryRunner.query(`ALTER TABLE "model_performance_metrics" RENAME TO "model_performance_metrics_partitioned"`);
    await queryRunner.query(
      `ALTER INDEX "ix_model_performance_metrics_series" RENAME TO "ix_model_performance_metrics_partitioned_series"`,
    );
    await queryRunner.query(
      `CREATE TABLE "model_performance_metrics" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "model_id" uuid NOT NULL, "model_version" text, "metric_name" text NOT NULL, "value" double precision NOT NULL, "environment" text NOT NULL DEFAULT 'production', "segment" jsonb NOT NULL DEFAULT '{}', "sample_size" integer, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "idempotency_key" text, CONSTRAINT "ck_model_performance_metrics_sample_size" CHECK ("sample_size" IS NULL OR "sample_size" >= 0), CONSTRAINT "ck_model_performance_metrics_value_finite" CHECK ("value" NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)), CONSTRAINT "PK_8e63cd53e4a578cc2d1130dcc07" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `INSERT INTO "model_performance_metrics" (${COLUMNS}) SELECT ${COLUMNS} FROM "model_performance_metrics_partitioned"`,
    );
    await queryRunner.query(`DROP TABLE "model_performance_metrics_partitioned"`);
    await queryRunner.query(`DROP TABLE "metric_idempotency_keys"`);
    await queryRunner.query(
      `ALTER TABLE "model_performance_metrics" ADD CONSTRAINT "fk_model_performance_metrics_model" FOREIGN KEY ("model_id") REFERENCES "models"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_model_performance_metrics_series" ON "model_performance_metrics" ("model_id", "metric_name", "recorded_at") INCLUDE ("environment", "model_version", "value")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_model_performance_metrics_idempotency" ON "model_performance_metrics" ("model_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
    await queryRunner.query(LATEST_VIEW);
  }
}
