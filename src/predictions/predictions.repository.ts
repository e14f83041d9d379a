import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { managerOf, Transaction } from 'src/database/transaction';
import type { NewLabel, NewPrediction } from 'src/predictions/predictions.policy';
import type { BinaryGroupRow, DelayRow, MulticlassGroupRow, RegressionGroupRow } from 'src/predictions/realized-buckets.policy';
import type { LabelState, LocatedMove } from 'src/predictions/realized-rollup.policy';
import type { RegressionMove } from 'src/predictions/regression-rollup.policy';
import type { MulticlassLabel, MulticlassMove } from 'src/predictions/multiclass-rollup.policy';
import type { MulticlassEstimationRow } from 'src/predictions/estimation-multiclass.policy';

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

/** A binary prediction's rollup move as the write statements return it (at_ms: its time, or its hour for a count). */
interface MoveRow {
  model_id: string;
  environment: string;
  predicted_class: string;
  label_class: string | null;
  score: number | null;
  at_ms: number | string;
  count: number;
}

const locatedMove = (row: MoveRow, from: LabelState | undefined, to: LabelState): LocatedMove => ({
  modelId: row.model_id,
  environment: row.environment,
  predictedAt: Number(row.at_ms),
  predictedClass: row.predicted_class,
  score: row.score ?? 0,
  from,
  to,
  count: row.count,
});

/** A regression prediction's rollup move as the write statements return it (at_ms: its time, or its hour). */
interface RegressionMoveRow {
  model_id: string;
  environment: string;
  prediction: number | null;
  label_value: number | null;
  at_ms: number | string;
  count: number;
}

const regressionMove = (row: RegressionMoveRow, from: number | null | undefined, to: number | null): RegressionMove => ({
  modelId: row.model_id,
  environment: row.environment,
  predictedAt: Number(row.at_ms),
  prediction: row.prediction as number,
  from,
  to,
  count: row.count,
});

/** A multiclass prediction's rollup move as the write statements return it (at_ms: its time, or its hour). */
interface MulticlassMoveRow {
  model_id: string;
  environment: string;
  predicted_class: string;
  label_class: string | null;
  label_probability: number | null;
  at_ms: number | string;
  count: number;
}

const multiclassLabel = (label: string | null, probability: number | null): MulticlassLabel | null =>
  label === null ? null : { label, probability };

const multiclassMove = (row: MulticlassMoveRow, from: MulticlassLabel | null | undefined, to: MulticlassLabel | null): MulticlassMove => ({
  modelId: row.model_id,
  environment: row.environment,
  predictedAt: Number(row.at_ms),
  predictedClass: row.predicted_class,
  from,
  to,
  count: row.count,
});

/**
 * Joins the logged prediction `p` of each row of `rows` (columns model_id, prediction_id): through its claimed id,
 * whose time names the one partition to probe.
 */
const PREDICTION_OF = (join: 'JOIN' | 'LEFT JOIN', rows: string) =>
  `${join} model_prediction_ids id ON id.model_id = ${rows}.model_id AND id.prediction_id = ${rows}.prediction_id
   ${join} model_predictions p ON p.model_id = id.model_id AND p.prediction_id = id.prediction_id AND p.predicted_at = id.predicted_at`;

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
   * Serialises label writes against prediction writes of the same models, so the rollup never misses a join: a
   * prediction batch takes each model's lock shared (batches run side by side), a label batch exclusive (it waits for
   * the prediction batches in flight, and sees their rows). Without it a label and its prediction committed
   * concurrently would each miss the other, and the prediction would stay "unlabelled" in the rollup. Locks are taken
   * in one order (by key), so batches naming several models cannot deadlock. A CBPE rollup fill takes it exclusive
   * too: the hours it computes from raw predictions cannot miss a prediction batch committed beside it.
   */
  async lockModelsForWrite(
    modelIds: readonly string[],
    mode: 'predictions' | 'labels' | 'estimation-fill',
    transaction: Transaction,
  ): Promise<void> {
    const lock = mode === 'predictions' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
    await managerOf(this.dataSource, transaction).query(
      `SELECT ${lock}(key) FROM (SELECT DISTINCT hashtext('predictions:' || id) AS key FROM unnest($1::text[]) AS id) keys ORDER BY key`,
      [[...new Set(modelIds)]],
    );
  }

  /**
   * Inserts the predictions whose (model_id, prediction_id) is new: the id is claimed in model_prediction_ids (ON
   * CONFLICT DO NOTHING: retries are idempotent, whichever month partition the first copy went to) and only claimed
   * ones reach model_predictions, in the same statement;
   * returns how many were written, how many of those already had a label waiting, and the binary ones as rollup
   * moves: unlabelled ones counted per hour and predicted class (a count is all the rollup needs of them), labelled
   * ones one by one (their score enters the histogram and the loss sums). Unlabelled ones of `scoredModels` (binary
   * models with a CBPE fit) come per score too, for the estimation rollup.
   */
  async insertPredictions(
    predictions: NewPrediction[],
    scoredModels: readonly string[],
    transaction: Transaction,
  ): Promise<{
    recorded: number;
    labelled: number;
    moves: LocatedMove[];
    regressionMoves: RegressionMove[];
    multiclassMoves: MulticlassMove[];
  }> {
    // One json parameter for the whole batch (one JSON.stringify, parsed once by the server), not eleven arrays: the
    // array literals of jsonb[] columns cost an escape pass per element in the driver and garbage per batch.
    const rows: {
      recorded: number;
      labelled: number;
      moves: MoveRow[];
      regression_moves: RegressionMoveRow[];
      multiclass_moves: MulticlassMoveRow[];
    }[] = await managerOf(this.dataSource, transaction).query(
      `WITH item AS (
         SELECT * FROM json_to_recordset($1::json)
           AS item (model_id uuid, prediction_id text, model_version text, environment text, segment jsonb, predicted_at timestamptz,
                    score float8, predicted_class text, probabilities jsonb, prediction float8, features jsonb)
       ),
       claimed AS (
         INSERT INTO model_prediction_ids (model_id, prediction_id, predicted_at)
         SELECT model_id, prediction_id, predicted_at FROM item
         ORDER BY model_id, prediction_id
         ON CONFLICT (model_id, prediction_id) DO NOTHING
         RETURNING model_id, prediction_id
       ),
       inserted AS (
         INSERT INTO model_predictions
           (model_id, prediction_id, model_version, environment, segment, predicted_at, score, predicted_class, probabilities, prediction, features)
         SELECT model_id, prediction_id, model_version, environment, segment, predicted_at, score, predicted_class, probabilities, prediction, features
         FROM item JOIN claimed USING (model_id, prediction_id)
         RETURNING model_id, prediction_id, environment, predicted_at, score, predicted_class, prediction, probabilities
       ),
       joined AS (SELECT inserted.*, label.label_class, label.label_value FROM inserted LEFT JOIN model_labels label USING (model_id, prediction_id))
       SELECT count(*)::int AS recorded, count(label_class)::int AS labelled,
         (SELECT coalesce(json_agg(m), '[]') FROM (
            SELECT model_id, environment, predicted_class, label_class, score, at_ms, count(*)::int AS count
            FROM (SELECT model_id, environment, predicted_class, label_class,
                    CASE WHEN label_class IS NULL AND NOT model_id = ANY($2::uuid[]) THEN 0 ELSE score END AS score,
                    CASE WHEN label_class IS NULL THEN floor(extract(epoch FROM predicted_at) / 3600) * 3600000
                         ELSE extract(epoch FROM predicted_at) * 1000 END AS at_ms
                  FROM joined WHERE score IS NOT NULL) binary_rows
            GROUP BY 1, 2, 3, 4, 5, 6) m) AS moves,
         (SELECT coalesce(json_agg(m), '[]') FROM (
            SELECT model_id, environment, floor(extract(epoch FROM predicted_at) / 3600) * 3600000 AS at_ms,
              CASE WHEN label_value IS NULL THEN 0 ELSE prediction END AS prediction, label_value, count(*)::int AS count
            FROM joined WHERE prediction IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5) m) AS regression_moves,
         (SELECT coalesce(json_agg(m), '[]') FROM (
            SELECT model_id, environment, floor(extract(epoch FROM predicted_at) / 3600) * 3600000 AS at_ms, predicted_class, label_class,
              (probabilities ->> label_class)::float8 AS label_probability, count(*)::int AS count
            FROM joined WHERE probabilities IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5, 6) m) AS multiclass_moves
       FROM joined`,
      [
        JSON.stringify(
          predictions.map((p) => ({
            model_id: p.modelId,
            prediction_id: p.predictionId,
            model_version: p.modelVersion,
            environment: p.environment,
            segment: p.segment,
            predicted_at: p.predictedAt.toISOString(),
            score: p.score,
            predicted_class: p.predictedClass,
            probabilities: p.probabilities,
            prediction: p.prediction,
            features: p.features,
          })),
        ),
        scoredModels,
      ],
    );
    const { recorded, labelled, moves, regression_moves: regressionMoves, multiclass_moves: multiclassMoves } = rows[0];
    return {
      recorded,
      labelled,
      moves: moves.map((row) => locatedMove(row, undefined, row.label_class as LabelState)),
      regressionMoves: regressionMoves.map((row) => regressionMove(row, undefined, row.label_value)),
      multiclassMoves: multiclassMoves.map((row) =>
        multiclassMove(row, undefined, multiclassLabel(row.label_class, row.label_probability)),
      ),
    };
  }

  /**
   * Inserts labels for keys that have none yet, received at `receivedAt` (the service clock, which pending expiry
   * compares with); returns the keys written ("model_id/prediction_id" pairs) and, for binary predictions already
   * logged, their rollup moves (unlabelled → label).
   */
  async insertLabelsIfAbsent(
    labels: NewLabel[],
    receivedAt: Date,
    transaction: Transaction,
  ): Promise<{ inserted: Set<string>; moves: LocatedMove[]; regressionMoves: RegressionMove[]; multiclassMoves: MulticlassMove[] }> {
    const [modelIds, predictionIds] = keyColumns(labels);
    const rows: (MoveRow & RegressionMoveRow & MulticlassMoveRow & { prediction_id: string; multiclass: boolean | null })[] =
      await managerOf(this.dataSource, transaction).query(
        `WITH inserted AS (
         INSERT INTO model_labels (model_id, prediction_id, label_class, label_value, labelled_at, received_at)
         SELECT model_id, prediction_id, label_class, label_value, labelled_at, $6::timestamptz
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[])
           AS item (model_id, prediction_id, label_class, label_value, labelled_at)
         ORDER BY model_id, prediction_id
         ON CONFLICT (model_id, prediction_id) DO NOTHING
         RETURNING model_id, prediction_id, label_class, label_value
       )
       SELECT inserted.model_id, inserted.prediction_id, inserted.label_class, inserted.label_value, p.environment, p.predicted_class,
         p.score, p.prediction, p.probabilities IS NOT NULL AS multiclass, (p.probabilities ->> inserted.label_class)::float8 AS label_probability,
         extract(epoch FROM p.predicted_at) * 1000 AS at_ms, 1 AS count
       FROM inserted ${PREDICTION_OF('LEFT JOIN', 'inserted')}`,
        [
          modelIds,
          predictionIds,
          labels.map((l) => l.labelClass),
          labels.map((l) => l.labelValue),
          labels.map((l) => l.labelledAt.toISOString()),
          receivedAt.toISOString(),
        ],
      );
    return {
      inserted: new Set(rows.map((row) => labelKey(row.model_id, row.prediction_id))),
      moves: rows.filter((row) => row.score !== null).map((row) => locatedMove(row, null, row.label_class as LabelState)),
      regressionMoves: rows.filter((row) => row.prediction !== null).map((row) => regressionMove(row, null, row.label_value)),
      multiclassMoves: rows
        .filter((row) => row.multiclass === true)
        .map((row) => multiclassMove(row, null, multiclassLabel(row.label_class, row.label_probability))),
    };
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

  /** Replaces the labels (already locked by lockLabels); returns the rollup moves (old label → new) of binary and regression predictions. */
  async overwriteLabels(
    labels: NewLabel[],
    transaction: Transaction,
  ): Promise<{ moves: LocatedMove[]; regressionMoves: RegressionMove[]; multiclassMoves: MulticlassMove[] }> {
    if (labels.length === 0) return { moves: [], regressionMoves: [], multiclassMoves: [] };
    const [modelIds, predictionIds] = keyColumns(labels);
    // `previous` reads the statement's snapshot, taken before the UPDATE: the labels being replaced.
    const rows: (MoveRow &
      RegressionMoveRow &
      MulticlassMoveRow & {
        previous_class: string;
        previous_value: number | null;
        previous_probability: number | null;
        multiclass: boolean;
      })[] = await managerOf(this.dataSource, transaction).query(
      `WITH item AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[])
           AS item (model_id, prediction_id, label_class, label_value, labelled_at)
       ),
       previous AS (
         SELECT label.model_id, label.prediction_id, label.label_class, label.label_value
         FROM model_labels label JOIN item USING (model_id, prediction_id)
       ),
       updated AS (
         UPDATE model_labels label
         SET label_class = item.label_class, label_value = item.label_value, labelled_at = item.labelled_at, updated_at = now()
         FROM item
         WHERE label.model_id = item.model_id AND label.prediction_id = item.prediction_id
         RETURNING label.model_id, label.prediction_id, label.label_class, label.label_value
       )
       SELECT updated.model_id, updated.label_class, previous.label_class AS previous_class, updated.label_value,
         previous.label_value AS previous_value, p.environment, p.predicted_class, p.score, p.prediction,
         p.probabilities IS NOT NULL AS multiclass, (p.probabilities ->> updated.label_class)::float8 AS label_probability,
         (p.probabilities ->> previous.label_class)::float8 AS previous_probability,
         extract(epoch FROM p.predicted_at) * 1000 AS at_ms, 1 AS count
       FROM updated JOIN previous USING (model_id, prediction_id) ${PREDICTION_OF('JOIN', 'updated')}
       WHERE p.score IS NOT NULL OR p.prediction IS NOT NULL OR p.probabilities IS NOT NULL`,
      [
        modelIds,
        predictionIds,
        labels.map((l) => l.labelClass),
        labels.map((l) => l.labelValue),
        labels.map((l) => l.labelledAt.toISOString()),
      ],
    );
    return {
      moves: rows
        .filter((row) => row.score !== null)
        .map((row) => locatedMove(row, row.previous_class as LabelState, row.label_class as LabelState)),
      regressionMoves: rows.filter((row) => row.prediction !== null).map((row) => regressionMove(row, row.previous_value, row.label_value)),
      multiclassMoves: rows
        .filter((row) => row.multiclass)
        .map((row) =>
          multiclassMove(
            row,
            multiclassLabel(row.previous_class, row.previous_probability),
            multiclassLabel(row.label_class, row.label_probability),
          ),
        ),
    };
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

  /**
   * A multiclass model's predictions per bucket grouped by (probabilities, predicted class, label or null): what CBPE
   * estimates from, and, through the label, what the realized values and label coverage it is compared with come from.
   */
  async multiclassEstimationGroups(
    filter: PredictionSeriesFilter,
    bucketMs: number,
    transaction?: Transaction,
  ): Promise<MulticlassEstimationRow[]> {
    const { where, parameters } = seriesWhere(filter, [bucketMs]);
    const rows: {
      bucket: string;
      probabilities: Record<string, number>;
      predicted_class: string;
      label_class: string | null;
      count: number;
    }[] = await managerOf(this.dataSource, transaction).query(
      `SELECT ${BUCKET_SQL} AS bucket, p.probabilities, p.predicted_class, label.label_class, count(*)::int AS count
         FROM model_predictions p
         LEFT JOIN model_labels label ON label.model_id = p.model_id AND label.prediction_id = p.prediction_id
         WHERE ${where} AND p.probabilities IS NOT NULL
         GROUP BY 1, 2, 3, 4 ORDER BY 1`,
      parameters,
    );
    return rows.map((row) => ({
      bucket: Number(row.bucket),
      probabilities: typeof row.probabilities === 'string' ? JSON.parse(row.probabilities) : row.probabilities,
      predictedClass: row.predicted_class,
      labelClass: row.label_class,
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
             AND NOT EXISTS (SELECT 1 FROM model_prediction_ids id WHERE id.model_id = pending.model_id AND id.prediction_id = pending.prediction_id)
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
       WHERE NOT EXISTS (SELECT 1 FROM model_prediction_ids id WHERE id.model_id = item.model_id AND id.prediction_id = item.prediction_id)`,
      [modelIds, predictionIds],
    );
    return rows[0].pending;
  }
}

export const labelKey = (modelId: string, predictionId: string): string => `${modelId}/${predictionId}`;
