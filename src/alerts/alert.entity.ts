import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AlertSeverity, AlertStatus, AlertType } from 'src/alerts/alert.enums';
import { AlertRuleEntity } from 'src/alerts/alert-rule.entity';
import type { StoredInhibition } from 'src/alerts/alert-suppression.types';
import { ModelEntity } from 'src/models/model.entity';

/**
 * `model_alerts`: deduplicated alerts. The unique partial index on fingerprint where status ≠ resolved
 * is what makes dedup hold across instances (INSERT … ON CONFLICT against it).
 */
@Entity({ name: 'model_alerts' })
@Index('ix_model_alerts_first_seen', ['firstSeenAt', 'id'])
@Index('ix_model_alerts_unresolved', { synchronize: false })
@Index('ix_model_alerts_model_first_seen', ['modelId', 'firstSeenAt'])
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Null for an alert from outside (Alertmanager) that names no model. */
  @Column({ name: 'model_id', type: 'uuid', nullable: true })
  modelId: string | null;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Column({ type: 'enum', enum: AlertType, enumName: 'model_alert_type' })
  type: AlertType;

  @Column({ type: 'enum', enum: AlertSeverity, enumName: 'model_alert_severity' })
  severity: AlertSeverity;

  @Column({ type: 'enum', enum: AlertStatus, enumName: 'model_alert_status' })
  status: AlertStatus;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  message: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  labels: Record<string, string>;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  /** Unique among unresolved alerts: a partial unique index TypeORM cannot describe, created in the migration. */
  @Index('uq_model_alerts_open_fingerprint', { synchronize: false })
  @Column({ type: 'text' })
  fingerprint: string;

  @Column({ type: 'integer', default: 1 })
  occurrences: number;

  /** Latest observed value. */
  @Column({ type: 'double precision', nullable: true })
  value: number | null;

  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;

  /** When it first became firing (null while it has only been pending). */
  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true })
  firedAt: Date | null;

  /** The severity last announced to channels, so an increase is announced once (under the row lock). */
  @Column({ name: 'notified_severity', type: 'enum', enum: AlertSeverity, enumName: 'model_alert_severity', nullable: true })
  notifiedSeverity: AlertSeverity | null;

  /** Rule alerts: when the condition was first seen false while firing (the keep-firing countdown). */
  @Column({ name: 'cleared_since', type: 'timestamptz', nullable: true })
  clearedSince: Date | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: 'acknowledged_by', type: 'text', nullable: true })
  acknowledgedBy: string | null;

  @Column({ name: 'acknowledgement_note', type: 'text', nullable: true })
  acknowledgementNote: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'resolved_by', type: 'text', nullable: true })
  resolvedBy: string | null;

  @Column({ name: 'resolution_note', type: 'text', nullable: true })
  resolutionNote: string | null;

  @Index('ix_model_alerts_rule')
  @Column({ name: 'rule_id', type: 'uuid', nullable: true })
  ruleId: string | null;

  @ManyToOne(() => AlertRuleEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'rule_id' })
  rule?: AlertRuleEntity;

  /** Ids of the silences that held back its latest notification (evaluated and stored whenever it would notify). */
  @Column({ name: 'silenced_by', type: 'jsonb', default: () => "'[]'" })
  silencedBy: string[];

  /** Built-in inhibitions that held back its latest notification (same moment as silencedBy). */
  @Column({ name: 'inhibited_by', type: 'jsonb', default: () => "'[]'" })
  inhibitedBy: StoredInhibition[];

  /** Who raised it: `api`, `rule`, or a module such as `drift`. */
  @Column({ type: 'text', default: 'api' })
  source: string;
}
