import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

/**
 * One logged prediction. The table is partitioned by month of predicted_at (migration 1796370000000), so the primary
 * key (model_id, prediction_id, predicted_at) carries the partition key; a prediction id is unique per model through
 * model_prediction_ids, which ingest claims in the same statement. Distribution-ready: every key leads with model_id,
 * the only foreign key is to models, and labels join by (model_id, prediction_id) (colocated when the tables are
 * distributed by model_id).
 * Per task type one output is set: binary `score` (+ `predicted_class` '0'/'1'), multiclass `probabilities`
 * (+ `predicted_class`), regression `prediction`.
 */
@Entity({ name: 'model_predictions' })
@Index('ix_model_predictions_time', ['modelId', 'predictedAt'])
@Check('ck_model_predictions_score', `"score" IS NULL OR ("score" >= 0 AND "score" <= 1)`)
export class PredictionEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_predictions' })
  modelId: string;

  @PrimaryColumn({ name: 'prediction_id', type: 'text', primaryKeyConstraintName: 'pk_model_predictions' })
  predictionId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_predictions_model' })
  model?: ModelEntity;

  @Column({ name: 'model_version', type: 'text', nullable: true })
  modelVersion: string | null;

  @Column({ type: 'text', default: 'production' })
  environment: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  segment: Record<string, string>;

  @PrimaryColumn({ name: 'predicted_at', type: 'timestamptz', primaryKeyConstraintName: 'pk_model_predictions' })
  predictedAt: Date;

  @Column({ type: 'double precision', nullable: true })
  score: number | null;

  @Column({ name: 'predicted_class', type: 'text', nullable: true })
  predictedClass: string | null;

  @Column({ type: 'jsonb', nullable: true })
  probabilities: Record<string, number> | null;

  @Column({ type: 'double precision', nullable: true })
  prediction: number | null;

  @Column({ type: 'jsonb', nullable: true })
  features: Record<string, number | string | null> | null;

  @Column({ name: 'ingested_at', type: 'timestamptz', default: () => 'now()' })
  ingestedAt: Date;
}
