import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { BaselineDirection } from 'src/metrics/degradation.policy';
import { ModelEntity } from 'src/models/model.entity';

/**
 * The reference value a metric is compared with by GET /metrics/degradation (one per model, metric and environment).
 * Keyed by (model_id, id) so the table can be distributed by model_id (migration 1796380000000).
 */
@Entity({ name: 'model_metric_baselines' })
@Index('uq_model_metric_baselines_series', ['modelId', 'metricName', 'environment'], { unique: true })
@Check('ck_model_metric_baselines_tolerance', `"tolerance" >= 0`)
export class MetricBaselineEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_model_metric_baselines' })
  id: string;

  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_metric_baselines' })
  modelId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_metric_baselines_model' })
  model?: ModelEntity;

  @Column({ name: 'metric_name', type: 'text' })
  metricName: string;

  @Column({ type: 'text', default: 'production' })
  environment: string;

  @Column({ type: 'double precision' })
  value: number;

  @Column({ type: 'enum', enum: BaselineDirection, enumName: 'metric_baseline_direction', default: BaselineDirection.HigherIsBetter })
  direction: BaselineDirection;

  /** Relative change in the bad direction tolerated before the metric counts as degraded. */
  @Column({ type: 'double precision', default: 0.05 })
  tolerance: number;

  /** When computed from recorded points: the window and aggregation used (all null for a given value). */
  @Column({ name: 'computed_from', type: 'timestamptz', nullable: true })
  computedFrom: Date | null;

  @Column({ name: 'computed_to', type: 'timestamptz', nullable: true })
  computedTo: Date | null;

  @Column({ name: 'computed_aggregation', type: 'text', nullable: true })
  computedAggregation: string | null;

  @Column({ name: 'computed_count', type: 'integer', nullable: true })
  computedCount: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
