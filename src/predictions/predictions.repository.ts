import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { managerOf, Transaction } from 'src/database/transaction';
import type { NewLabel, NewPrediction } from 'src/predictions/predictions.policy';
import type { BinaryGroupRow, DelayRow, MulticlassGroupRow, RegressionGroupRow } from 'src/predictions/realized-buckets.policy';

/** The predictions of one series in [from, to): the predicate of the realized-metric reads. */
export interface PredictionSeriesFilter {
  modelId: string;
  environment: string;
  from: Date;
  to: Date;
  modelVersion?: string;
  segment?: Record<string, string>;
}

/** WHERE over model_predictions `p` (a range on ix_model_predictions_time), parameters after `first`; the data-quality reads use it too. */
export function seriesWhere(filter: PredictionSeriesFilter, first: unknown[]): { where: string; parameters: unknown[] } {
  const parameters = [...first, filter.modelId, filter.environment, filter.from.toISOString(), filter.to.toISOString()];
  const n = first.length;
  let where = `p.model_id = $${n + 1} AND p.environment = $${n + 2} AND p.predicted_at >= $${n + 3} AND p.predicted_at < $${n + 4}`;
  if (filter.modelVersion !== undefined) {
    parameters.push(filter.modelVersion);
    where += ` AND p.model_version = $${parameters.length}`;
  }
  if (filter.segment && Object.keys(filter.segment).length > 0) {
    parameters.push(JSON.stringify(filter.segment));
    where += ` AND p.segment @> $${parameters.length}::jsonb`;
  }
  return { where, parameters };
}

export const BUCKET_SQL = 'floor(extract(epoch FROM p.predicted_at) * 1000 / $1::bigint)::bigint';

export interface StoredLabel {
  modelId: string;
  predictionId: string;
  labelClass: string | null;
  labelValue: number | null;
}

const jsonOrNull = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));

/** The (model_id, prediction_id) keys of a batch as two array parameters, zipped back by unnest(). */
function keyColumns(items: readonly { modelId: string; predictionId: string }[]): [string[], string[]] {
  return [items.map((item) => item.modelId), items.map((item) => item.predictionId)];
}

/**
 * SQL of the prediction log and its labels. Every batch is one statement per step: columns travel as array
 * parameters and unnest() zips them into rows (10,000 rows, one round trip), rows go in ordered by key so two
 * concurrent batches with overlapping keys lock them in the same order and cannot deadlock.
 */
@Injectable()
export class PredictionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts the predictions whose (model_id, prediction_id) is new (ON CONFLICT DO NOTHING: retries are idempotent);
   * returns how many were written and how many of those already had a label waiting.
   */
  async insertPredictions(predictions: NewPrediction[], transaction: Transaction): Promise<{ recorded: number; labelled: number }> {
    const [modelIds, predictionIds] = keyColumns(predictions);
    const rows: { recorded: number; labelled: number }[] = await managerOf(this.dataSource, transaction).query(
      `WITH inserted AS (
         INSERT INTO model_predictions
           (model_id, prediction_id, model_version, environment, segment, predicted_at, score, predicted_class, probabilities, prediction, features)
         SELECT model_id, prediction_id, model_version, environment, segment, predicted_at, score, predicted_class, probabilities, prediction, features
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[], $7::float8[], $8::text[], $9::jsonb[],
                     $10::float8[], $11::jsonb[])
           AS item (model_id, prediction_id, model_version, environment, segment, predicted_at, score, predicted_class, probabilities, prediction, features)
         ORDER BY model_id, prediction_id
         ON CONFLICT (model_id, prediction_id) DO NOTHING
         RETURNING model_id, prediction_id
       )
       SELECT count(*)::int AS recorded, count(label.prediction_id)::int AS labelled
       FROM inserted LEFT JOIN model_labels label USING (model_id, prediction_id)`,
      [
        modelIds,
        predictionIds,
        predictions.map((p) => p.modelVersion),
        predictions.map((p) => p.environment),
        predictions.map((p) => JSON.stringify(p.segment)),
        predictions.map((p) => p.predictedAt.toISOString()),
        predictions.map((p) => p.score),
        predictions.map((p) => p.predictedClass),
        predictions.map((p) => jsonOrNull(p.probabilities)),
        predictions.map((p) => p.prediction),
        predictions.map((p) => jsonOrNull(p.features)),
      ],
    );
    return rows[0];
  }

  /**
   * Inserts labels for keys that have none yet, received at `receivedAt` (the service clock, which pending expiry
   * compares with); returns the keys written ("model_id/prediction_id" pairs).
   */
  async insertLabelsIfAbsent(labels: NewLabel[], receivedAt: Date, transaction: Transaction): Promise<Set<string>> {
    const [modelIds, predictionIds] = keyColumns(labels);
    const rows: { model_id: string; prediction_id: string }[] = await managerOf(this.dataSource, transaction).query(
      `INSERT INTO model_labels (model_id, prediction_id, label_class, label_value, labelled_at, received_at)
       SELECT model_id, prediction_id, label_class, label_value, labelled_at, $6::timestamptz
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[])
         AS item (model_id, prediction_id, label_class, label_value, labelled_at)
       ORDER BY model_id, prediction_id
       ON CONFLICT (model_id, prediction_id) DO NOTHING
       RETURNING model_id, prediction_id`,
      [
        modelIds,
        predictionIds,
        labels.map((l) => l.labelClass),
        labels.map((l) => l.labelValue),
        labels.map((l) => l.labelledAt.toISOString()),
        receivedAt.toISOString(),
      ],
    );
    return new Set(rows.map((row) => labelKey(row.model_id, row.prediction_id)));
  }

  /**
   * The stored labels of these keys, locked until the transaction ends (FOR UPDATE, in key order), so the
   * compare-then-overwrite of POST /labels cannot interleave with another writer of the same labels.
   */
  async lockLabels(keys: readonly { modelId: string; predictionId: string }[], transaction: Transaction): Promise<StoredLabel[]> {
    if (keys.length === 0) return [];
    const [modelIds, predictionIds] = keyColumns(keys);
    const rows: { model_id: string; prediction_id: string; label_class: string | null; label_value: number | null }[] = await managerOf(
      this.dataSource,
      transaction,
    ).query(
      `SELECT label.model_id, label.prediction_id, label.label_class, label.label_value
       FROM model_labels label
       JOIN unnest($1::uuid[], $2::text[]) AS item (model_id, prediction_id) USING (model_id, prediction_id)
       ORDER BY label.model_id, label.prediction_id
       FOR UPDATE OF label`,
      [modelIds, predictionIds],
    );
    return rows.map((row) => ({
      modelId: row.model_id,
      predictionId: row.prediction_id,
      labelClass: row.label_class,
      labelValue: row.label_value,
    }));
  }

  async overwriteLabels(labels: NewLabel[], transaction: Transaction): Promise<void> {
    if (labels.length === 0) return;
    const [modelIds, predictionIds] = keyColumns(labels);
    await managerOf(this.dataSource, transaction).query(
      `UPDATE model_labels label
       SET label_class = item.label_class, label_value = item.label_value, labelled_at = item.labelled_at, updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[])
         AS item (model_id, prediction_id, label_class, label_value, labelled_at)
       WHERE label.model_id = item.model_id AND label.prediction_id = item.prediction_id`,
      [
        modelIds,
        predictionIds,
        labels.map((l) => l.labelClass),
        labels.map((l) => l.labelValue),
        labels.map((l) => l.labelledAt.toISOString()),
      ],
    );
  }

  /**
   * A binary model's predictions per bucket grouped by (score, predicted class, label or null), sorted by bucket and
   * score: the sufficient statistics of every realized binary metric, exact AUC included (src/predictions/
   * realized-buckets.policy.ts). The SQL only counts; each metric's formula lives once, in realized.stats.ts.
   */
  async binaryBucketGroups(filter: PredictionSeriesFilter, bucketMs: number, transaction?: Transaction): Promise<BinaryGroupRow[]> {
    const { where, parameters } = seriesWhere(filter, [bucketMs]);
    const rows: { bucket: string; score: number; predicted_class: string; label_class: string | null; count: number }[] = await managerOf(
      this.dataSource,
      transaction,
    ).query(
      `SELECT ${BUCKET_SQL} AS bucket, p.score, p.predicted_class, label.label_class, count(*)::int AS count
       FROM model_predictions p
       LEFT JOIN model_labels label ON label.model_id = p.model_id AND label.prediction_id = p.prediction_id
       WHERE ${where}
       GROUP BY 1, 2, 3, 4 ORDER BY 1, 2`,
      parameters,
    );
    return rows.map((row) => ({
      bucket: Number(row.bucket),
      score: row.score,
      predictedClass: row.predicted_class,
      labelClass: row.label_class,
      count: row.count,
    }));
  }

  /** A multiclass model's predictions per bucket grouped by (predicted class, label, predicted probability of the label). */
  async multiclassBucketGroups(filter: PredictionSeriesFilter, bucketMs: number, transaction?: Transaction): Promise<MulticlassGroupRow[]> {
    const { where, parameters } = seriesWhere(filter, [bucketMs]);
    const rows: { bucket: string; predicted_class: string; label_class: string | null; label_probability: number | null; count: number }[] =
      await managerOf(this.dataSource, transaction).query(
        `SELECT ${BUCKET_SQL} AS bucket, p.predicted_class, label.label_class,
           (p.probabilities ->> label.label_class)::float8 AS label_probability, count(*)::int AS count
         FROM model_predictions p
         LEFT JOIN model_labels label ON label.model_id = p.model_id AND label.prediction_id = p.prediction_id
         WHERE ${where}
         GROUP BY 1, 2, 3, 4 ORDER BY 1`,
        parameters,
      );
    return rows.map((row) => ({
      bucket: Number(row.bucket),
      predictedClass: row.predicted_class,
      labelClass: row.label_class,
      labelProbability: row.label_probability,
      count: row.count,
    }));
  }

  /** A regression model's predictions per bucket grouped by (prediction, label). */
  async regressionBucketGroups(filter: PredictionSeriesFilter, bucketMs: number, transaction?: Transaction): Promise<RegressionGroupRow[]> {
    const { where, parameters } = seriesWhere(filter, [bucketMs]);
    const rows: { bucket: string; prediction: number; label_value: number | null; count: number }[] = await managerOf(
      this.dataSource,
      transaction,
    ).query(
      `SELECT ${BUCKET_SQL} AS bucket, p.prediction, label.label_value, count(*)::int AS count
       FROM model_predictions p
       LEFT JOIN model_labels label ON label.model_id = p.model_id AND label.prediction_id = p.prediction_id
       WHERE ${where}
       GROUP BY 1, 2, 3 ORDER BY 1`,
      parameters,
    );
    return rows.map((row) => ({ bucket: Number(row.bucket), prediction: row.prediction, labelValue: row.label_value, count: row.count }));
  }

  /** Label delay (labelled_at − predicted_at, seconds) p50 and p95 per bucket: percentile_cont, linear interpolation (type 7). */
  async labelDelayBuckets(filter: PredictionSeriesFilter, bucketMs: number, transaction?: Transaction): Promise<DelayRow[]> {
    const { where, parameters } = seriesWhere(filter, [bucketMs]);
    const rows: { bucket: string; p50: number; p95: number }[] = await managerOf(this.dataSource, transaction).query(
      `SELECT ${BUCKET_SQL} AS bucket,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM label.labelled_at - p.predicted_at)::float8) AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM label.labelled_at - p.predicted_at)::float8) AS p95
       FROM model_predictions p
       JOIN model_labels label ON label.model_id = p.model_id AND label.prediction_id = p.prediction_id
       WHERE ${where}
       GROUP BY 1 ORDER BY 1`,
      parameters,
    );
    return rows.map((row) => ({ bucket: Number(row.bucket), p50: row.p50, p95: row.p95 }));
  }

  /**
   * Deletes up to `limit` labels received before `receivedBefore` whose prediction never came (pending too long);
   * returns how many. A label whose prediction exists is never removed.
   */
  async deleteExpiredPendingLabels(receivedBefore: Date, limit: number): Promise<number> {
    const rows: { deleted: number }[] = await this.dataSource.query(
      `WITH expired AS (
         DELETE FROM model_labels label
         WHERE (label.model_id, label.prediction_id) IN (
           SELECT pending.model_id, pending.prediction_id FROM model_labels pending
           WHERE pending.received_at < $1
             AND NOT EXISTS (SELECT 1 FROM model_predictions p WHERE p.model_id = pending.model_id AND p.prediction_id = pending.prediction_id)
           LIMIT $2)
         RETURNING 1
       )
       SELECT count(*)::int AS deleted FROM expired`,
      [receivedBefore.toISOString(), limit],
    );
    return rows[0].deleted;
  }

  /** How many of these keys have no logged prediction (their labels are pending). */
  async countWithoutPrediction(keys: readonly { modelId: string; predictionId: string }[], transaction: Transaction): Promise<number> {
    const [modelIds, predictionIds] = keyColumns(keys);
    const rows: { pending: number }[] = await managerOf(this.dataSource, transaction).query(
      `SELECT count(*)::int AS pending
       FROM unnest($1::uuid[], $2::text[]) AS item (model_id, prediction_id)
       WHERE NOT EXISTS (SELECT 1 FROM model_predictions p WHERE p.model_id = item.model_id AND p.prediction_id = item.prediction_id)`,
      [modelIds, predictionIds],
    );
    return rows[0].pending;
  }
}

export const labelKey = (modelId: string, predictionId: string): string => `${modelId}/${predictionId}`;
