import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

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

  /** `{ x: number[], y: number[] }`: the calibrator's points. */
  @Column({ type: 'jsonb' })
  calibrator: { x: number[]; y: number[] };

  /** metric → `{ std, fraction }` (NannyML sampling-error components; std may be null when undefined on the reference). */
  @Column({ name: 'sampling_error', type: 'jsonb' })
  samplingError: Record<string, { std: number | null; fraction: number }>;

  @Column({ name: 'fitted_at', type: 'timestamptz' })
  fittedAt: Date;
}
