import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AlertSeverity, ChannelKind } from 'src/alerts/alert.enums';
import { ModelEntity } from 'src/models/model.entity';

/** `model_alert_channels`: receivers of alert notifications. The secret and routing key are write-only in the API. */
@Entity({ name: 'model_alert_channels' })
@Check('ck_model_alert_channels_repeat', '"repeat_interval_minutes" BETWEEN 1 AND 10080')
export class AlertChannelEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_model_alert_channels_name', { unique: true })
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'enum', enum: ChannelKind, enumName: 'model_alert_channel_kind', default: ChannelKind.Webhook })
  kind: ChannelKind;

  /** The receiver (webhook, Slack incoming webhook, PagerDuty enqueue endpoint, or Alertmanager's base URL). */
  @Column({ type: 'text' })
  url: string;

  /** PagerDuty's integration (routing) key, sealed like the secret; null for other kinds. */
  @Column({ name: 'routing_key', type: 'text', nullable: true })
  routingKey: string | null;

  /** The signing secret, sealed with AES-256-GCM under SECRETS_KEY (src/common/secrets); opened only to sign. */
  @Column({ type: 'text', nullable: true })
  secret: string | null;

  @Column({ name: 'min_severity', type: 'enum', enum: AlertSeverity, enumName: 'model_alert_severity', default: AlertSeverity.Info })
  minSeverity: AlertSeverity;

  /** Only this model's alerts (null: every model). */
  @Index('ix_model_alert_channels_model')
  @Column({ name: 'model_id', type: 'uuid', nullable: true })
  modelId: string | null;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Column({ name: 'send_resolved', type: 'boolean', default: true })
  sendResolved: boolean;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'repeat_interval_minutes', type: 'integer', default: 240 })
  repeatIntervalMinutes: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
