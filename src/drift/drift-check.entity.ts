import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { SampleFeatureQuality } from 'src/data-quality/sample-quality';
import { ModelEntity } from 'src/models/model.entity';

/**
 * One drift check: the dataset-level outcome, and what the check did about it (alert, retraining).
 * Keyed by (model_id, id) so the table can be distributed by model_id (migration 1796390000000); ix_model_drift_checks_id
 * serves GET /drift/checks/{checkId}, which names no model.
 */
@Entity({ name: 'model_drift_checks' })
@Index('ix_model_drift_checks_model_checked', ['modelId', 'checkedAt', 'id'])
@Index('ix_model_drift_checks_id', ['id'])
export class DriftCheckEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_model_drift_checks' })
  id: string;

  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_drift_checks' })
  modelId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Column({ name: 'checked_at', type: 'timestamptz' })
  checkedAt: Date;

  /** 'stored' (the model's reference) or 'inline' (sent with the check). */
  @Column({ name: 'reference_source', type: 'text' })
  referenceSource: 'stored' | 'inline';

  @Column({ name: 'dataset_drift', type: 'boolean' })
  datasetDrift: boolean;

  @Column({ name: 'drift_share', type: 'float8' })
  driftShare: number;

  @Column({ name: 'drift_share_threshold', type: 'float8' })
  driftShareThreshold: number;

  @Column({ name: 'number_of_features', type: 'integer' })
  numberOfFeatures: number;

  @Column({ name: 'number_of_drifted_features', type: 'integer' })
  numberOfDriftedFeatures: number;

  /** The data_drift alert raised for this check (owned by the alerts module, so no foreign key). */
  @Column({ name: 'alert_id', type: 'uuid', nullable: true })
  alertId: string | null;

  /** Null when retraining was not considered; otherwise whether it was triggered and why (not). */
  @Column({ name: 'retrain_triggered', type: 'boolean', nullable: true })
  retrainTriggered: boolean | null;

  @Column({ name: 'retrain_reason', type: 'text', nullable: true })
  retrainReason: string | null;

  @Column({ name: 'retrain_detail', type: 'text', nullable: true })
  retrainDetail: string | null;

  /** Data quality of each current feature (src/data-quality/sample-quality.ts); null for checks recorded before it. */
  @Column({ name: 'data_quality', type: 'jsonb', nullable: true })
  dataQuality: SampleFeatureQuality[] | null;

  /** The training run the check triggered (owned by the training-runs module, so no foreign key). */
  @Column({ name: 'training_run_id', type: 'uuid', nullable: true })
  trainingRunId: string | null;
}
