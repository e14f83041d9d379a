import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { managerOf, type Transaction } from 'src/database/transaction';
import { EstimationReferenceEntity } from 'src/predictions/estimation-reference.entity';
import type { MulticlassEstimationRow } from 'src/predictions/estimation-multiclass.policy';

/** The labelled predictions of a reference window: the model, environment and [from, to) by prediction time. */
export interface ReferenceWindow {
  modelId: string;
  environment: string;
  from: Date;
  to: Date;
}

/** Labelled predictions of a reference window with the same score, predicted class and label. */
export interface ReferenceGroupRow {
  score: number;
  predictedClass: string;
  labelClass: string;
  count: number;
}

export interface ReferenceLabelState {
  labelled: number;
  positives: number;
  /** Latest time a label of the window was received or overwritten (null: no label). */
  labelsUpdatedAt: Date | null;
}

const WINDOW_SQL = `FROM model_predictions p
  JOIN model_labels label ON label.model_id = p.model_id AND label.prediction_id = p.prediction_id
  WHERE p.model_id = $1 AND p.environment = $2 AND p.predicted_at >= $3 AND p.predicted_at < $4`;

const windowParameters = (window: ReferenceWindow) => [
  window.modelId,
  window.environment,
  window.from.toISOString(),
  window.to.toISOString(),
];

/** SQL of the stored CBPE references and of the labelled reference windows they are fitted on. */
@Injectable()
export class EstimationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findReference(modelId: string, transaction?: Transaction): Promise<EstimationReferenceEntity | null> {
    return managerOf(this.dataSource, transaction).getRepository(EstimationReferenceEntity).findOneBy({ modelId });
  }

  /** The fit id of each of these models' binary reference (models without one, or with a multiclass one, absent). */
  async binaryFitIds(modelIds: readonly string[], transaction?: Transaction): Promise<Map<string, string>> {
    const rows: { model_id: string; fit_id: string }[] = await managerOf(this.dataSource, transaction).query(
      `SELECT model_id, fit_id FROM model_estimation_references WHERE model_id = ANY($1::uuid[]) AND NOT calibrator ? 'classes'`,
      [[...new Set(modelIds)]],
    );
    return new Map(rows.map((row) => [row.model_id, row.fit_id]));
  }

  /** Replaces the model's reference (one row per model): INSERT … ON CONFLICT (model_id) DO UPDATE, so two concurrent PUTs cannot both insert. */
  async saveReference(reference: Omit<EstimationReferenceEntity, 'model'>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO model_estimation_references
         (model_id, reference_from, reference_to, environment, labelled, positives, labels_updated_at, calibrator, sampling_error, fitted_at, fit_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (model_id) DO UPDATE SET reference_from = EXCLUDED.reference_from, reference_to = EXCLUDED.reference_to,
         environment = EXCLUDED.environment, labelled = EXCLUDED.labelled, positives = EXCLUDED.positives,
         labels_updated_at = EXCLUDED.labels_updated_at, calibrator = EXCLUDED.calibrator, sampling_error = EXCLUDED.sampling_error,
         fitted_at = EXCLUDED.fitted_at, fit_id = EXCLUDED.fit_id`,
      [
        reference.modelId,
        reference.referenceFrom.toISOString(),
        reference.referenceTo.toISOString(),
        reference.environment,
        reference.labelled,
        reference.positives,
        reference.labelsUpdatedAt?.toISOString() ?? null,
        JSON.stringify(reference.calibrator),
        JSON.stringify(reference.samplingError),
        reference.fittedAt.toISOString(),
        reference.fitId,
      ],
    );
  }

  /**
   * How many labelled predictions the window holds, how many labelled 1, and when its labels last changed: checked
   * before a fit (enough of both classes?) and compared with the stored fit to tell it is stale. One indexed range read.
   */
  async labelState(window: ReferenceWindow): Promise<ReferenceLabelState> {
    const rows: { labelled: number; positives: number; labels_updated_at: Date | null }[] = await this.dataSource.query(
      `SELECT count(*)::int AS labelled, count(*) FILTER (WHERE label.label_class = '1')::int AS positives,
         max(greatest(label.received_at, label.updated_at)) AS labels_updated_at
       ${WINDOW_SQL}`,
      windowParameters(window),
    );
    const row = rows[0];
    return {
      labelled: row.labelled,
      positives: row.positives,
      labelsUpdatedAt: row.labels_updated_at ? new Date(row.labels_updated_at) : null,
    };
  }

  /** The window's labelled predictions grouped by (score, predicted class, label): what the calibrator and sampling errors are fitted on. */
  async referenceGroups(window: ReferenceWindow): Promise<ReferenceGroupRow[]> {
    const rows: { score: number; predicted_class: string; label_class: string; count: number }[] = await this.dataSource.query(
      `SELECT p.score, p.predicted_class, label.label_class, count(*)::int AS count
       ${WINDOW_SQL}
       GROUP BY 1, 2, 3 ORDER BY 1`,
      windowParameters(window),
    );
    return rows.map((row) => ({ score: row.score, predictedClass: row.predicted_class, labelClass: row.label_class, count: row.count }));
  }

  /** A multiclass window's labelled predictions grouped by (probabilities, predicted class, label). */
  async multiclassReferenceGroups(window: ReferenceWindow): Promise<Omit<MulticlassEstimationRow, 'bucket'>[]> {
    const rows: { probabilities: Record<string, number> | string; predicted_class: string; label_class: string; count: number }[] =
      await this.dataSource.query(
        `SELECT p.probabilities, p.predicted_class, label.label_class, count(*)::int AS count
         ${WINDOW_SQL} AND p.probabilities IS NOT NULL
         GROUP BY 1, 2, 3`,
        windowParameters(window),
      );
    return rows.map((row) => ({
      probabilities: typeof row.probabilities === 'string' ? JSON.parse(row.probabilities) : row.probabilities,
      predictedClass: row.predicted_class,
      labelClass: row.label_class,
      count: row.count,
    }));
  }
}
