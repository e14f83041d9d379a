import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DeliveryStatus } from 'src/alerts/alert.enums';
import { AlertChannelEntity } from 'src/alerts/alert-channel.entity';
import { AlertEntity } from 'src/alerts/alert.entity';
import { ModelEntity } from 'src/models/model.entity';

/**
 * `model_alert_outbox`: one signed webhook to deliver. Generic: alert notifications and other modules'
 * webhooks share it. A row names its target either through a channel (whose current url and secret are
 * used at delivery) or by its own url and secret snapshot.
 */
@Entity({ name: 'model_alert_outbox' })
@Index('ix_model_alert_outbox_alert_channel', ['alertId', 'channelId', 'createdAt'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** `firing`, `resolved`, `escalated`, or another module's event name. */
  @Column({ type: 'text' })
  event: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text', nullable: true })
  secret: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Index('ix_model_alert_outbox_model')
  @Column({ name: 'model_id', type: 'uuid', nullable: true })
  modelId: string | null;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Index('ix_model_alert_outbox_channel')
  @Column({ name: 'channel_id', type: 'uuid', nullable: true })
  channelId: string | null;

  @ManyToOne(() => AlertChannelEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'channel_id' })
  channel?: AlertChannelEntity;

  @Column({ name: 'alert_id', type: 'uuid', nullable: true })
  alertId: string | null;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'alert_id' })
  alert?: AlertEntity;

  @Column({ type: 'enum', enum: DeliveryStatus, enumName: 'model_alert_delivery_status', default: DeliveryStatus.Pending })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Due rows are found through the partial index `ix_model_alert_outbox_due` (migration only). */
  @Index('ix_model_alert_outbox_due', { synchronize: false })
  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  /** A worker's claim: others skip the row until then (a crashed worker's claim simply expires). */
  @Index('ix_model_alert_outbox_claimed', { synchronize: false })
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  /** From the service clock (repeat intervals are measured against it). */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
