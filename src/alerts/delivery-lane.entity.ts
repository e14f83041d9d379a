import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * `model_alert_outbox_lanes`: the circuit breaker of one delivery lane (a channel, or the URL of a webhook
 * queued without one). Kept in PostgreSQL so every instance sees the same breaker; a row exists only for
 * lanes that have failed to answer at least once.
 */
@Entity({ name: 'model_alert_outbox_lanes' })
export class DeliveryLaneEntity {
  /** `channel:<uuid>` or `url:<url>`. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_model_alert_outbox_lanes' })
  lane: string;

  /** Attempts in a row that got no HTTP answer (timeout, refused, reset). */
  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures: number;

  /** While in the future, the lane's deliveries are not attempted (they stay pending, no attempt is used). */
  @Column({ name: 'open_until', type: 'timestamptz', nullable: true })
  openUntil: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
