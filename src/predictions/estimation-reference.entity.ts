import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

export interface StoredCalibrator {
  x: number[];
  y: number[];
}
export interface StoredMulticlassCalibrator {
  classes: string[];
  perClass: StoredCalibrator[];
}
export interface StoredSamplingError {
  std: number | null;
  fraction: number;
}

/**
 * The CBPE reference of one model: the labelled window it was fitted on and what the fit produced (the trimmed
 * isotonic calibrator and NannyML's sampling-error components), so trends estimate without refitting per request.
 * `labelled` and `labels_updated_at` record the window's labels as fitted, to tell when they have changed since.
 */
@Entity({ name: 'model_estimation_references' })
export class EstimationReferenceEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_estimation_references' })
  modelId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_estimation_references_model' })
  model?: ModelEntity;

  @Column({ name: 'reference_from', type: 'timestamptz' })
  referenceFrom: Date;

  @Column({ name: 'reference_to', type: 'timestamptz' })
  referenceTo: Date;

  @Column({ type: 'text' })
  environment: string;

  /** Labelled predictions the fit used, and how many of them were labelled 1. */
  @Column({ type: 'integer' })
  labelled: number;

  @Column({ type: 'integer' })
  positives: number;

  /** Latest received_at/updated_at of the window's labels at fit time (null: none). */
  @Column({ name: 'labels_updated_at', type: 'timestamptz', nullable: true })
  labelsUpdatedAt: Date | null;

  /**
   * Binary: `{ x: number[], y: number[] }`, the calibrator's points. Multiclass: `{ classes, perClass }`, the sorted
   * class names and one calibrator of P(label = class) per class, in that order.
   */
  @Column({ type: 'jsonb' })
  calibrator: StoredCalibrator | StoredMulticlassCalibrator;

  /**
   * metric → `{ std, fraction }` (NannyML sampling-error components; std null when undefined on the reference); for a
   * multiclass fit the macro metrics hold one `{ std, fraction }` per class, in the calibrator's class order.
   */
  @Column({ name: 'sampling_error', type: 'jsonb' })
  samplingError: Record<string, StoredSamplingError | StoredSamplingError[]>;

  @Column({ name: 'fitted_at', type: 'timestamptz' })
  fittedAt: Date;

  /** A fresh id per fit: the CBPE rollup rows (model_estimation_rollups) computed under this fit carry it. */
  @Column({ name: 'fit_id', type: 'uuid' })
  fitId: string;
}
