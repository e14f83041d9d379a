import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AlertSeverity, RuleAggregation, RuleComparator, RuleNoData } from 'src/alerts/alert.enums';
import type { BucketSize } from 'src/metrics/buckets.policy';
import { ModelEntity } from 'src/models/model.entity';

/** `model_alert_rules`: a threshold on an aggregated metric window, evaluated on new metrics and every minute. */
@Entity({ name: 'model_alert_rules' })
@Index('ix_model_alert_rules_target', ['modelId', 'metricName', 'environment'])
@Check('ck_model_alert_rules_window', '"window_minutes" BETWEEN 1 AND 10080')
@Check('ck_model_alert_rules_for', '"for_minutes" BETWEEN 0 AND 10080')
@Check('ck_model_alert_rules_keep_firing', '"keep_firing_for_minutes" BETWEEN 0 AND 10080')
@Check('ck_model_alert_rules_no_data_minutes', '"no_data_minutes" BETWEEN 1 AND 10080')
@Check('ck_model_alert_rules_bucket', `"bucket" IN ('1m', '5m', '15m', '1h', '6h', '1d', '1w')`)
@Check('ck_model_alert_rules_evaluation_lag', '"evaluation_lag_minutes" BETWEEN 0 AND 43200')
export class AlertRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ name: 'metric_name', type: 'text' })
  metricName: string;

  @Column({ type: 'text' })
  environment: string;

  @Column({ type: 'enum', enum: RuleAggregation, enumName: 'model_alert_aggregation' })
  aggregation: RuleAggregation;

  @Column({ name: 'window_minutes', type: 'integer' })
  windowMinutes: number;

  @Column({ type: 'enum', enum: RuleComparator, enumName: 'model_alert_comparator' })
  comparator: RuleComparator;

  @Column({ type: 'double precision' })
  threshold: number;

  @Column({ type: 'enum', enum: AlertSeverity, enumName: 'model_alert_severity' })
  severity: AlertSeverity;

  @Column({ name: 'for_minutes', type: 'integer', default: 0 })
  forMinutes: number;

  @Column({ name: 'keep_firing_for_minutes', type: 'integer', default: 0 })
  keepFiringForMinutes: number;

  /** What the threshold alert does while the rule has no data. */
  @Column({ name: 'no_data', type: 'enum', enum: RuleNoData, enumName: 'model_alert_rule_no_data', default: RuleNoData.KeepLast })
  noData: RuleNoData;

  /** No points for this long raises a `no_data` alert (null: off; "no data" is then an empty window). */
  @Column({ name: 'no_data_minutes', type: 'integer', nullable: true })
  noDataMinutes: number | null;

  /** Computed metrics only: the bucket size of the series the rule reads (as GET /metrics/trend serves it); null for a pushed metric. */
  @Column({ type: 'text', nullable: true })
  bucket: BucketSize | null;

  /** Computed metrics only: the window ends this many minutes before the evaluation (buckets whose labels are not due yet). */
  @Column({ name: 'evaluation_lag_minutes', type: 'integer', default: 0 })
  evaluationLagMinutes: number;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  labels: Record<string, string>;

  @Column({ name: 'last_evaluated_at', type: 'timestamptz', nullable: true })
  lastEvaluatedAt: Date | null;

  /** The aggregated value at the last evaluation (null: no data in the window). */
  @Column({ name: 'last_value', type: 'double precision', nullable: true })
  lastValue: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
