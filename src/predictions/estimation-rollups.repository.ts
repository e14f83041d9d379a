import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { binaryParameter, decodeFloat8ArraySend, encodeFloat8ArraySend } from 'src/common/pg-float8-array';
import { managerOf, type Transaction } from 'src/database/transaction';
import type { ScorePredictionGroup } from 'src/predictions/cbpe.stats';
import type { EstimationHour } from 'src/predictions/estimation-rollup.policy';
import { HISTOGRAM_LENGTH } from 'src/predictions/realized-rollup.policy';

/**
 * Hours as VALUES rows (model_id, environment, bucket_start, fit_id, sums, histogram, ...extra), in key order so
 * two writers lock rows in one order; the histogram travels as binary array_send (a Buffer parameter is sent binary).
 */
function hourValues(
  hours: readonly EstimationHour[],
  extra: (hour: EstimationHour) => unknown[],
  extraTypes: readonly string[],
): { values: string; parameters: unknown[] } {
  const key = (h: EstimationHour) => `${h.modelId}\u0000${h.environment}\u0000${String(h.hour).padStart(16, '0')}`;
  const sorted = [...hours].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const types = ['uuid', 'text', 'timestamptz', 'uuid', 'float8[]', 'float8[]', ...extraTypes];
  const parameters: unknown[] = [];
  const rows = sorted.map((hour) => {
    const first = parameters.length + 1;
    parameters.push(
      hour.modelId,
      hour.environment,
      new Date(hour.hour).toISOString(),
      hour.fitId,
      Array.from(hour.stats.sums),
      binaryParameter(encodeFloat8ArraySend(hour.stats.histogram)),
      ...extra(hour),
    );
    return `(${types.map((type, i) => `$${first + i}::${type}`).join(', ')})`;
  });
  return { values: rows.join(', '), parameters };
}

/**
 * SQL of model_estimation_rollups (estimation-rollup.policy.ts). Whole rows are written by the read that fills them,
 * deltas by the prediction writes; both hold the model's predictions lock (PredictionsRepository.lockModelsForWrite),
 * the filler exclusively, so a row never misses a prediction committed beside its computation.
 */
@Injectable()
export class EstimationRollupsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The stored hours of [from, to) computed under the fit of `fitId` (rows of another fit are stale and left out).
   * A row's histogram comes only when its U is not stored, or when `histograms` (a bucket of several hours merges them).
   */
  async readHours(
    filter: { modelId: string; environment: string; from: Date; to: Date },
    fitId: string,
    histograms: boolean,
    transaction?: Transaction,
  ): Promise<EstimationHour[]> {
    const rows: { hour: string; sums: number[]; histogram: Buffer | null; auc_u: number | null; auc_ties: number | null }[] =
      await managerOf(this.dataSource, transaction).query(
        `SELECT (extract(epoch FROM r.bucket_start) * 1000)::bigint AS hour, r.sums, r.auc_u, r.auc_ties,
           CASE WHEN $6 OR r.auc_u IS NULL THEN array_send(r.histogram) END AS histogram
         FROM model_estimation_rollups r
         WHERE r.model_id = $1 AND r.environment = $2 AND r.bucket_start >= $3 AND r.bucket_start < $4 AND r.fit_id = $5
         ORDER BY r.bucket_start`,
        [filter.modelId, filter.environment, filter.from.toISOString(), filter.to.toISOString(), fitId, histograms],
      );
    return rows.map((row) => ({
      modelId: filter.modelId,
      environment: filter.environment,
      hour: Number(row.hour),
      fitId,
      stats: {
        sums: Float64Array.from(row.sums),
        histogram: row.histogram ? decodeFloat8ArraySend(row.histogram) : new Float64Array(HISTOGRAM_LENGTH),
        auc: row.auc_u !== null && row.auc_ties !== null && !row.histogram ? { u: row.auc_u, ties: row.auc_ties } : undefined,
      },
    }));
  }

  /** The predictions of [from, to) of one series grouped by (hour, score, predicted class): what a fill calibrates. */
  async hourlyScoreGroups(
    filter: { modelId: string; environment: string; from: Date; to: Date },
    transaction?: Transaction,
  ): Promise<(ScorePredictionGroup & { hour: number })[]> {
    const rows: { hour: string; score: number; predicted_class: string; count: number }[] = await managerOf(
      this.dataSource,
      transaction,
    ).query(
      `SELECT (floor(extract(epoch FROM p.predicted_at) / 3600) * 3600000)::bigint AS hour, p.score, p.predicted_class, count(*)::int AS count
       FROM model_predictions p
       WHERE p.model_id = $1 AND p.environment = $2 AND p.predicted_at >= $3 AND p.predicted_at < $4 AND p.score IS NOT NULL
       GROUP BY 1, 2, 3`,
      [filter.modelId, filter.environment, filter.from.toISOString(), filter.to.toISOString()],
    );
    return rows.map((row) => ({
      hour: Number(row.hour),
      score: row.score,
      predictedLabel: row.predicted_class === '1' ? 1 : 0,
      count: row.count,
    }));
  }

  /** Writes whole hours (replacing a stale row of an older fit), with their histogram's U when known. */
  async upsertHours(hours: readonly EstimationHour[], transaction: Transaction): Promise<void> {
    if (hours.length === 0) return;
    const { values, parameters } = hourValues(hours, (hour) => [hour.stats.auc?.u ?? null, hour.stats.auc?.ties ?? null], [
      'float8',
      'float8',
    ]);
    await managerOf(this.dataSource, transaction).query(
      `INSERT INTO model_estimation_rollups AS r (model_id, environment, bucket_start, fit_id, sums, histogram, auc_u, auc_ties)
       SELECT * FROM (VALUES ${values}) AS item (model_id, environment, bucket_start, fit_id, sums, histogram, auc_u, auc_ties)
       ON CONFLICT (model_id, environment, bucket_start) DO UPDATE SET fit_id = EXCLUDED.fit_id, sums = EXCLUDED.sums,
         histogram = EXCLUDED.histogram, auc_u = EXCLUDED.auc_u, auc_ties = EXCLUDED.auc_ties`,
      parameters,
    );
  }

  /**
   * Adds newly logged predictions to the rows of their hours that exist under the same fit (an hour with no row, or
   * a stale one, is left to the next read's fill, which sees these predictions). The stored U is cleared.
   */
  async applyDeltas(deltas: readonly EstimationHour[], transaction: Transaction): Promise<void> {
    if (deltas.length === 0) return;
    const { values, parameters } = hourValues(deltas, () => [], []);
    await managerOf(this.dataSource, transaction).query(
      `UPDATE model_estimation_rollups r SET sums = model_prediction_rollup_add(r.sums, delta.sums),
         histogram = model_prediction_rollup_add(r.histogram, delta.histogram), auc_u = NULL, auc_ties = NULL
       FROM (VALUES ${values}) AS delta (model_id, environment, bucket_start, fit_id, sums, histogram)
       WHERE (r.model_id, r.environment, r.bucket_start, r.fit_id) = (delta.model_id, delta.environment, delta.bucket_start, delta.fit_id)`,
      parameters,
    );
  }
}
