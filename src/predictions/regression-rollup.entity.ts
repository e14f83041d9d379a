import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

/**
 * A regression model's predictions in one hour of prediction time, per environment (regression-rollup.policy.ts):
 * `sums` = [predictions, labelled, Σ|e|, Σe², Σ|e|/max(|y|, ε), Σy, Σy²]. Kept by the same transactions that write
 * predictions and labels.
 */
@Entity({ name: 'model_regression_rollups' })
export class RegressionRollupEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_regression_rollups' })
  modelId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_model_regression_rollups' })
  environment: string;

  @PrimaryColumn({ name: 'bucket_start', type: 'timestamptz', primaryKeyConstraintName: 'pk_model_regression_rollups' })
  bucketStart: Date;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_regression_rollups_model' })
  model?: ModelEntity;

  @Column({ type: 'double precision', array: true })
  sums: number[];
}
