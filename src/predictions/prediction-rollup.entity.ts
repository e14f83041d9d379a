import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

/**
 * The realized-metric statistics of a binary model's predictions in one hour of prediction time, per environment
 * (realized-rollup.policy.ts): `cells` holds count, Σ log-loss term and Σ Brier term per (predicted class × label
 * state), `histogram` the labelled predictions per score bin, `aucU`/`aucTies` the Mann–Whitney U and tied pairs of
 * that histogram (null until computed). Kept by the same transactions that write predictions and labels.
 */
@Entity({ name: 'model_prediction_rollups' })
export class PredictionRollupEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_prediction_rollups' })
  modelId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_model_prediction_rollups' })
  environment: string;

  @PrimaryColumn({ name: 'bucket_start', type: 'timestamptz', primaryKeyConstraintName: 'pk_model_prediction_rollups' })
  bucketStart: Date;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_prediction_rollups_model' })
  model?: ModelEntity;

  @Column({ type: 'double precision', array: true })
  cells: number[];

  @Column({ type: 'double precision', array: true })
  histogram: number[];

  @Column({ name: 'auc_u', type: 'double precision', nullable: true })
  aucU: number | null;

  @Column({ name: 'auc_ties', type: 'double precision', nullable: true })
  aucTies: number | null;
}
