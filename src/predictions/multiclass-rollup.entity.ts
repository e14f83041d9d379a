import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

/**
 * A multiclass model's predictions in one hour of prediction time, per environment (multiclass-rollup.policy.ts):
 * `sums` = [predictions, labelled, Σ log-loss term], `counts` = {true class: {predicted class: n}} of the labelled
 * ones. Kept by the same transactions that write predictions and labels.
 */
@Entity({ name: 'model_multiclass_rollups' })
export class MulticlassRollupEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_multiclass_rollups' })
  modelId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_model_multiclass_rollups' })
  environment: string;

  @PrimaryColumn({ name: 'bucket_start', type: 'timestamptz', primaryKeyConstraintName: 'pk_model_multiclass_rollups' })
  bucketStart: Date;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_multiclass_rollups_model' })
  model?: ModelEntity;

  @Column({ type: 'double precision', array: true })
  sums: number[];

  @Column({ type: 'jsonb' })
  counts: Record<string, Record<string, number>>;
}
