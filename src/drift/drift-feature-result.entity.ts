import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { FeatureKind } from 'src/drift/reference-feature.entity';
import { DriftCheckEntity } from 'src/drift/drift-check.entity';
import type { FeatureHistogram } from 'src/drift/histogram.stats';
import { ModelEntity } from 'src/models/model.entity';

/**
 * One feature's outcome in a check. model_id and checked_at are copied from the check so the heatmap reads one table;
 * model_id leads the key and the foreign key to the check, so a check and its results share a shard when the tables are
 * distributed by model_id (migration 1796390000000).
 */
@Entity({ name: 'model_drift_feature_results' })
@Index('ix_model_drift_feature_results_model_checked', ['modelId', 'checkedAt'])
export class DriftFeatureResultEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_drift_feature_results' })
  modelId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @PrimaryColumn({ name: 'check_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_drift_feature_results' })
  checkId: string;

  @ManyToOne(() => DriftCheckEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'model_id', referencedColumnName: 'modelId', foreignKeyConstraintName: 'fk_model_drift_feature_results_check' },
    { name: 'check_id', referencedColumnName: 'id' },
  ])
  check?: DriftCheckEntity;

  @PrimaryColumn({ name: 'feature_name', type: 'text', primaryKeyConstraintName: 'pk_model_drift_feature_results' })
  featureName: string;

  /** Position of the feature in the request, so a check reads back in the order it was sent. */
  @Column({ type: 'integer' })
  position: number;

  @Column({ name: 'checked_at', type: 'timestamptz' })
  checkedAt: Date;

  @Column({ type: 'enum', enum: FeatureKind, enumName: 'drift_feature_type' })
  type: FeatureKind;

  @Column({ type: 'text' })
  stattest: string;

  /** p-value (ks, chisquare, z) or distance (wasserstein, psi, kl_div, jensenshannon). */
  @Column({ type: 'float8' })
  score: number;

  @Column({ type: 'float8' })
  threshold: number;

  @Column({ type: 'boolean' })
  drifted: boolean;

  @Column({ name: 'reference_size', type: 'integer' })
  referenceSize: number;

  @Column({ name: 'current_size', type: 'integer' })
  currentSize: number;

  /** Reference and current bin counts on shared edges (numerical features; null for categorical), for display. */
  @Column({ type: 'jsonb', nullable: true })
  histogram: FeatureHistogram | null;
}
