import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { binaryParameter, decodeFloat8ArraySend, encodeFloat8ArraySend } from 'src/common/pg-float8-array';
import { managerOf, Transaction } from 'src/database/transaction';
import type { BinaryBucketStats } from 'src/predictions/realized-buckets.policy';
import { HISTOGRAM_LENGTH, histogramU, type RollupDelta } from 'src/predictions/realized-rollup.policy';
import type { MulticlassBucketStats, RegressionBucketStats } from 'src/predictions/realized-buckets.policy';
import { multiclassStatsFromStored, multiclassStatsToStored, type MulticlassRollupDelta } from 'src/predictions/multiclass-rollup.policy';
import {
  type RegressionRollupDelta,
  regressionStatsFromArray,
  regressionStatsToArray,
  REGRESSION_SUMS_LENGTH,
} from 'src/predictions/regression-rollup.policy';

/** Which rows of a rollup read bring their score histogram (the rest bring their stored U, or no AUC at all). */
export type HistogramNeed = 'none' | 'missing-u' | 'all';

/**
 * SQL of model_prediction_rollups, the hourly statistics of binary predictions (realized-rollup.policy.ts). Rows are
 * written only by the transactions that write predictions and labels, in key order (no deadlock between batches).
 */
@Injectable()
export class PredictionRollupsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Adds the deltas to their rows (created when absent). A delta that changes the histogram clears the row's stored
   * U, and the new histogram comes back (binary array_send) so U and the tied pairs are computed here, by the policy,
   * and stored before the transaction ends: a read of one row never needs its histogram.
   */
  async applyDeltas(deltas: readonly RollupDelta[], transaction: Transaction): Promise<void> {
    if (deltas.length === 0) return;
    const parameters: unknown[] = [HISTOGRAM_LENGTH];
    const values = deltas.map((delta) => {
      parameters.push(
        delta.modelId,
        delta.environment,
        new Date(delta.bucketStart).toISOString(),
        Array.from(delta.cells),
        delta.histogram && binaryParameter(encodeFloat8ArraySend(delta.histogram)),
      );
      const n = parameters.length;
      return `($${n - 4}::uuid, $${n - 3}::text, $${n - 2}::timestamptz, $${n - 1}::float8[], $${n}::float8[])`;
    });
    const manager = managerOf(this.dataSource, transaction);
    // auc_u of the inserted row doubles as the flag "this delta leaves the histogram alone" (0) or not (null).
    const changed: { model_id: string; environment: string; bucket_start: Date; histogram: Buffer }[] = await manager.query(
      `INSERT INTO model_prediction_rollups AS r (model_id, environment, bucket_start, cells, histogram, auc_u, auc_ties)
       SELECT model_id, environment, bucket_start, cells, coalesce(histogram, array_fill(0::float8, ARRAY[$1::int])),
         CASE WHEN histogram IS NULL THEN 0 END, CASE WHEN histogram IS NULL THEN 0 END
       FROM (VALUES ${values.join(', ')}) AS delta (model_id, environment, bucket_start, cells, histogram)
       ORDER BY model_id, environment, bucket_start
       ON CONFLICT (model_id, environment, bucket_start) DO UPDATE SET
         cells = model_prediction_rollup_add(r.cells, EXCLUDED.cells),
         histogram = CASE WHEN EXCLUDED.auc_u IS NULL THEN model_prediction_rollup_add(r.histogram, EXCLUDED.histogram) ELSE r.histogram END,
         auc_u = CASE WHEN EXCLUDED.auc_u IS NULL THEN NULL ELSE r.auc_u END,
         auc_ties = CASE WHEN EXCLUDED.auc_u IS NULL THEN NULL ELSE r.auc_ties END
       RETURNING model_id, environment, bucket_start, CASE WHEN auc_u IS NULL THEN array_send(histogram) END AS histogram`,
      parameters,
    );
    const stale = changed.filter((row) => row.histogram !== null);
    if (stale.length === 0) return;
    const computed = stale.map((row) => histogramU(decodeFloat8ArraySend(row.histogram)));
    await manager.query(
      `UPDATE model_prediction_rollups r SET auc_u = item.u, auc_ties = item.ties
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::float8[], $5::float8[]) AS item (model_id, environment, bucket_start, u, ties)
       WHERE (r.model_id, r.environment, r.bucket_start) = (item.model_id, item.environment, item.bucket_start)`,
      [
        stale.map((row) => row.model_id),
        stale.map((row) => row.environment),
        stale.map((row) => row.bucket_start),
        computed.map((value) => value.u),
        computed.map((value) => value.ties),
      ],
    );
  }

  /**
   * The hours of [from, to) (hour-aligned) of one model and environment, as trend buckets of `bucketMs` (a multiple
   * of an hour; a bucket of several hours comes as several entries, merged by the caller). The histogram travels as
   * binary array_send only where `histograms` asks (an entry without it has an empty one and cannot be merged): 720 rows of 18 sums are read in milliseconds, 720 histograms of
   * 2,002 doubles are ~17 MB.
   */
  async readBinaryHours(
    filter: { modelId: string; environment: string; from: Date; to: Date },
    bucketMs: number,
    histograms: HistogramNeed,
    transaction?: Transaction,
  ): Promise<BinaryBucketStats[]> {
    const rows = await this.readHours<{ cells: number[]; auc_u: number | null; auc_ties: number | null; histogram: Buffer | null }>(
      'model_prediction_rollups',
      `r.cells, r.auc_u, r.auc_ties,
       CASE WHEN $6 = 'all' OR ($6 = 'missing-u' AND r.auc_u IS NULL) THEN array_send(r.histogram) END AS histogram`,
      filter,
      bucketMs,
      transaction,
      [histograms],
    );
    return rows.map((row) => ({
      bucket: Number(row.bucket),
      stats: {
        cells: Float64Array.from(row.cells),
        histogram: row.histogram ? decodeFloat8ArraySend(row.histogram) : new Float64Array(0),
        auc: row.auc_u !== null && row.auc_ties !== null ? { u: row.auc_u, ties: row.auc_ties } : undefined,
      },
    }));
  }

  /** Adds regression deltas to their rows of model_regression_rollups (created when absent), in key order. */
  async applyRegressionDeltas(deltas: readonly RegressionRollupDelta[], transaction: Transaction): Promise<void> {
    if (deltas.length === 0) return;
    await managerOf(this.dataSource, transaction).query(
      `INSERT INTO model_regression_rollups AS r (model_id, environment, bucket_start, sums)
       SELECT model_id, environment, bucket_start, sums
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS key (model_id, environment, bucket_start, i)
       CROSS JOIN LATERAL (SELECT ($4::float8[])[(i - 1) * ${REGRESSION_SUMS_LENGTH} + 1 : i * ${REGRESSION_SUMS_LENGTH}] AS sums) delta
       ORDER BY model_id, environment, bucket_start
       ON CONFLICT (model_id, environment, bucket_start) DO UPDATE SET sums = model_prediction_rollup_add(r.sums, EXCLUDED.sums)`,
      [
        deltas.map((delta) => delta.modelId),
        deltas.map((delta) => delta.environment),
        deltas.map((delta) => new Date(delta.bucketStart).toISOString()),
        deltas.flatMap((delta) => regressionStatsToArray(delta.stats)),
      ],
    );
  }

  /** The hours of [from, to) (hour-aligned) of one regression model and environment, as trend buckets of `bucketMs` (merged by the caller). */
  async readRegressionHours(
    filter: { modelId: string; environment: string; from: Date; to: Date },
    bucketMs: number,
    transaction?: Transaction,
  ): Promise<RegressionBucketStats[]> {
    const rows = await this.readHours<{ sums: number[] }>('model_regression_rollups', 'r.sums', filter, bucketMs, transaction);
    return rows.map((row) => ({ bucket: Number(row.bucket), stats: regressionStatsFromArray(row.sums) }));
  }

  /** Adds multiclass deltas to their rows of model_multiclass_rollups (created when absent), in key order. */
  async applyMulticlassDeltas(deltas: readonly MulticlassRollupDelta[], transaction: Transaction): Promise<void> {
    if (deltas.length === 0) return;
    const rows = deltas.map((delta) => ({
      model_id: delta.modelId,
      environment: delta.environment,
      bucket_start: new Date(delta.bucketStart).toISOString(),
      ...multiclassStatsToStored(delta.stats),
    }));
    await managerOf(this.dataSource, transaction).query(
      `INSERT INTO model_multiclass_rollups AS r (model_id, environment, bucket_start, sums, counts)
       SELECT model_id, environment, bucket_start, ARRAY(SELECT jsonb_array_elements_text(sums)::float8), counts
       FROM json_to_recordset($1::json) AS delta (model_id uuid, environment text, bucket_start timestamptz, sums jsonb, counts jsonb)
       ORDER BY model_id, environment, bucket_start
       ON CONFLICT (model_id, environment, bucket_start) DO UPDATE SET
         sums = model_prediction_rollup_add(r.sums, EXCLUDED.sums),
         counts = model_multiclass_counts_add(r.counts, EXCLUDED.counts)`,
      [JSON.stringify(rows)],
    );
  }

  /** The hours of [from, to) (hour-aligned) of one multiclass model and environment, as trend buckets of `bucketMs` (merged by the caller). */
  async readMulticlassHours(
    filter: { modelId: string; environment: string; from: Date; to: Date },
    bucketMs: number,
    transaction?: Transaction,
  ): Promise<MulticlassBucketStats[]> {
    const rows = await this.readHours<{ sums: number[]; counts: Record<string, Record<string, number>> }>(
      'model_multiclass_rollups',
      'r.sums, r.counts',
      filter,
      bucketMs,
      transaction,
    );
    return rows.map((row) => ({ bucket: Number(row.bucket), stats: multiclassStatsFromStored(row.sums, row.counts) }));
  }

  /**
   * The rows of one rollup table for the hours of [from, to) of one model and environment, in hour order, each with
   * its trend bucket of `bucketMs` (`columns` read from `r`; `extra` parameters bind from $6).
   */
  private readHours<Row>(
    table: string,
    columns: string,
    filter: { modelId: string; environment: string; from: Date; to: Date },
    bucketMs: number,
    transaction?: Transaction,
    extra: unknown[] = [],
  ): Promise<(Row & { bucket: string })[]> {
    return managerOf(this.dataSource, transaction).query(
      `SELECT floor(extract(epoch FROM r.bucket_start) * 1000 / $1::bigint)::bigint AS bucket, ${columns}
       FROM ${table} r
       WHERE r.model_id = $2 AND r.environment = $3 AND r.bucket_start >= $4 AND r.bucket_start < $5
       ORDER BY r.bucket_start`,
      [bucketMs, filter.modelId, filter.environment, filter.from.toISOString(), filter.to.toISOString(), ...extra],
    );
  }
}
