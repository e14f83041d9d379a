import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

/**
 * One recorded metric value (table name kept from the user's existing system).
 * The trend/latest/window queries read only the covering index `ix_model_performance_metrics_series`
 * (model_id, metric_name, recorded_at) INCLUDE (environment, model_version, value): an index-only
 * range scan whose cost follows the points in range, not the table size. It is created in the
 * migration (TypeORM cannot describe INCLUDE), hence `synchronize: false` here.
 * The table is partitioned by month of recorded_at (migration 1796100000001), so the primary key carries the
 * partition key and model_id; idempotency keys live in metric_idempotency_keys.
 */
@Entity({ name: 'model_performance_metrics' })
@Index('ix_model_performance_metrics_series', { synchronize: false })
@Check('ck_model_performance_metrics_value_finite', `"value" NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)`)
@Check('ck_model_performance_metrics_sample_size', `"sample_size" IS NULL OR "sample_size" >= 0`)
export class MetricPointEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_model_performance_metrics' })
  id: string;

  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_performance_metrics' })
  modelId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_performance_metrics_model' })
  model?: ModelEntity;

  @Column({ name: 'model_version', type: 'text', nullable: true })
  modelVersion: string | null;

  @Column({ name: 'metric_name', type: 'text' })
  metricName: string;

  @Column({ type: 'double precision' })
  value: number;

  @Column({ type: 'text', default: 'production' })
  environment: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  segment: Record<string, string>;

  @Column({ name: 'sample_size', type: 'integer', nullable: true })
  sampleSize: number | null;

  @PrimaryColumn({ name: 'recorded_at', type: 'timestamptz', primaryKeyConstraintName: 'pk_model_performance_metrics' })
  recordedAt: Date;

  @Column({ name: 'ingested_at', type: 'timestamptz', default: () => 'now()' })
  ingestedAt: Date;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;
}
