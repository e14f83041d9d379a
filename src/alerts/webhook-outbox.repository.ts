import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AlertEvent, ChannelKind, DeliveryStatus } from 'src/alerts/alert.enums';
import { CIRCUIT_THRESHOLD, LANE_CONCURRENCY, nextLaneState } from 'src/alerts/delivery-lane.policy';
import { rowToEntity } from 'src/alerts/entity-rows';
import { WebhookDeliveryAttemptEntity } from 'src/alerts/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from 'src/alerts/webhook-delivery.entity';
import { managerOf, Transaction } from 'src/database/transaction';

export type NewWebhookDelivery = Pick<
  WebhookDeliveryEntity,
  'event' | 'url' | 'secret' | 'payload' | 'modelId' | 'channelId' | 'alertId' | 'createdAt'
>;

/** A claimed row with the target to use now: the channel's current url and secret when it has one. */
export interface ClaimedDelivery {
  delivery: WebhookDeliveryEntity;
  /** `channel:<id>`, or `url:<url>` for a webhook queued without a channel (delivery-lane.policy.ts). */
  lane: string;
  url: string;
  secret: string | null;
  /** False when the row's channel has since been disabled. */
  channelEnabled: boolean;
  /** The channel's kind (null: no channel, a plain webhook). */
  kind: ChannelKind | null;
  /** The channel's PagerDuty routing key as stored (sealed). */
  routingKey: string | null;
}

export interface AttemptRecord {
  attempt: number;
  attemptedAt: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export type AttemptOutcome =
  | { status: DeliveryStatus.Delivered; at: Date }
  | { status: DeliveryStatus.Pending; nextAttemptAt: Date }
  | { status: DeliveryStatus.Failed };

@Injectable()
export class WebhookOutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(deliveries: NewWebhookDelivery[], transaction?: Transaction): Promise<string[]> {
    if (deliveries.length === 0) return [];
    const result = await managerOf(this.dataSource, transaction)
      .createQueryBuilder()
      .insert()
      .into(WebhookDeliveryEntity)
      .values(
        deliveries.map((delivery) => ({
          ...delivery,
          status: DeliveryStatus.Pending,
          attempts: 0,
          nextAttemptAt: delivery.createdAt,
        })) as QueryDeepPartialEntity<WebhookDeliveryEntity>[],
      )
      .returning('id')
      .execute();
    return (result.raw as { id: string }[]).map((row) => row.id);
  }

  /**
   * Claims up to `limit` due rows in one statement (its own short transaction): rows another worker holds
   * are skipped (SKIP LOCKED), and each claimed row gets `locked_until` and one more attempt, so the claim
   * outlives the row lock while the HTTP call runs outside any transaction. A worker that dies mid-delivery
   * leaves a claim that simply expires, and the row is claimed again.
   * Lanes (delivery-lane.policy.ts): a row's lane is its channel, or its URL when it has none. A lane whose
   * breaker is open is skipped, and a lane gets only as many rows as it has free slots, counting the rows
   * claimed and not yet recorded by every instance (so several instances together stay within the limit,
   * up to the rows two of them claim in the same instant). Full lanes are filtered out before the LIMIT,
   * so a backlog on one lane never hides another lane's due rows.
   */
  async claimDue(now: Date, lockedUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH busy AS (
         SELECT COALESCE('channel:' || channel_id::text, 'url:' || url) AS lane, count(*)::int AS in_flight
         FROM model_alert_outbox WHERE status = 'pending' AND locked_until > $1 GROUP BY 1),
       candidates AS (
         SELECT due.id, due.lane, due.next_attempt_at,
                (CASE WHEN COALESCE(breaker.consecutive_failures, 0) >= $5 THEN 1 ELSE $4 END) - COALESCE(busy.in_flight, 0) AS free
         FROM (SELECT id, next_attempt_at, COALESCE('channel:' || channel_id::text, 'url:' || url) AS lane
               FROM model_alert_outbox
               WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)) due
         LEFT JOIN busy ON busy.lane = due.lane
         LEFT JOIN model_alert_outbox_lanes breaker ON breaker.lane = due.lane
         WHERE (breaker.open_until IS NULL OR breaker.open_until <= $1)
           AND COALESCE(busy.in_flight, 0) < (CASE WHEN COALESCE(breaker.consecutive_failures, 0) >= $5 THEN 1 ELSE $4 END)
         ORDER BY due.next_attempt_at
         LIMIT $6),
       ranked AS (
         SELECT id, next_attempt_at FROM (
           SELECT id, next_attempt_at, free, row_number() OVER (PARTITION BY lane ORDER BY next_attempt_at) AS slot FROM candidates) slots
         WHERE slot <= free),
       due AS (
         SELECT delivery.id FROM model_alert_outbox delivery JOIN ranked ON ranked.id = delivery.id
         WHERE delivery.status = 'pending' AND (delivery.locked_until IS NULL OR delivery.locked_until <= $1)
         ORDER BY ranked.next_attempt_at
         LIMIT $3
         FOR UPDATE OF delivery SKIP LOCKED),
       claimed AS (
         UPDATE model_alert_outbox delivery SET locked_until = $2, attempts = delivery.attempts + 1
         FROM due WHERE delivery.id = due.id
         RETURNING delivery.*)
       SELECT claimed.*,
              COALESCE('channel:' || claimed.channel_id::text, 'url:' || claimed.url) AS lane,
              COALESCE(channel.url, claimed.url) AS target_url,
              CASE WHEN claimed.channel_id IS NULL THEN claimed.secret ELSE channel.secret END AS target_secret,
              COALESCE(channel.enabled, true) AS target_enabled,
              channel.kind AS target_kind, channel.routing_key AS target_routing_key
       FROM claimed LEFT JOIN model_alert_channels channel ON channel.id = claimed.channel_id`,
      [now, lockedUntil, limit, LANE_CONCURRENCY, CIRCUIT_THRESHOLD, Math.max(limit * 10, 200)],
    );
    return rows.map((row) => ({
      delivery: rowToEntity(this.dataSource, WebhookDeliveryEntity, row),
      lane: String(row.lane),
      url: String(row.target_url),
      secret: (row.target_secret as string | null) ?? null,
      channelEnabled: Boolean(row.target_enabled),
      kind: (row.target_kind as ChannelKind | null) ?? null,
      routingKey: (row.target_routing_key as string | null) ?? null,
    }));
  }

  /** The lane's breaker after an attempt (delivery-lane.policy.ts), in the transaction that records the attempt. */
  async recordLaneOutcome(lane: string, answered: boolean, now: Date, transaction: Transaction): Promise<void> {
    if (answered) {
      await transaction.manager.query(
        `UPDATE model_alert_outbox_lanes SET consecutive_failures = 0, open_until = NULL, updated_at = $2
         WHERE lane = $1 AND consecutive_failures > 0`,
        [lane, now],
      );
      return;
    }
    const [previous]: { consecutive_failures: number; open_until: Date | null }[] = await transaction.manager.query(
      `INSERT INTO model_alert_outbox_lanes (lane, consecutive_failures, updated_at) VALUES ($1, 0, $2)
       ON CONFLICT (lane) DO UPDATE SET updated_at = EXCLUDED.updated_at
       RETURNING consecutive_failures, open_until`,
      [lane, now],
    );
    const next = nextLaneState({ consecutiveFailures: previous.consecutive_failures, openUntil: previous.open_until }, false, now);
    await transaction.manager.query(`UPDATE model_alert_outbox_lanes SET consecutive_failures = $2, open_until = $3 WHERE lane = $1`, [
      lane,
      next.consecutiveFailures,
      next.openUntil,
    ]);
  }

  /**
   * Records one attempt and its outcome. The row changes only while it is still this attempt's claim
   * (`attempts` unchanged): a slow worker whose claim expired and was taken over cannot overwrite the newer
   * attempt, except to mark the row delivered, which is true whoever delivered it.
   */
  async recordAttempt(deliveryId: string, attempt: AttemptRecord, outcome: AttemptOutcome, transaction: Transaction): Promise<void> {
    await transaction.manager.query(
      `INSERT INTO model_alert_outbox_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (delivery_id, attempt) DO NOTHING`,
      [deliveryId, attempt.attempt, attempt.attemptedAt, attempt.statusCode, attempt.error, attempt.durationMs],
    );
    if (outcome.status === DeliveryStatus.Delivered) {
      await transaction.manager.query(
        `UPDATE model_alert_outbox SET status = 'delivered', delivered_at = $2, locked_until = NULL, last_status_code = $3, last_error = NULL
         WHERE id = $1 AND status = 'pending'`,
        [deliveryId, outcome.at, attempt.statusCode],
      );
      return;
    }
    const nextAttemptAt = outcome.status === DeliveryStatus.Pending ? outcome.nextAttemptAt : null;
    await transaction.manager.query(
      `UPDATE model_alert_outbox SET status = $2::model_alert_delivery_status, next_attempt_at = COALESCE($3::timestamptz, next_attempt_at),
              locked_until = NULL, last_status_code = $4, last_error = $5
       WHERE id = $1 AND status = 'pending' AND attempts = $6`,
      [deliveryId, outcome.status, nextAttemptAt, attempt.statusCode, attempt.error, attempt.attempt],
    );
  }

  /**
   * Deletes up to `limit` finished notifications (delivered before the cutoff, or failed and created before it)
   * with their attempts (ON DELETE CASCADE). Pending rows are never touched. Returns how many went.
   */
  async deleteFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    // Wrapped in a SELECT: a bare DELETE … RETURNING comes back from TypeORM as [rows, count].
    const [{ count }]: { count: number }[] = await this.dataSource.query(
      `WITH finished AS (
         SELECT id FROM model_alert_outbox
         WHERE (status = 'delivered' AND delivered_at < $1) OR (status = 'failed' AND created_at < $1)
         LIMIT $2
       ), deleted AS (
         DELETE FROM model_alert_outbox outbox USING finished WHERE outbox.id = finished.id RETURNING outbox.id
       )
       SELECT count(*)::int AS count FROM deleted`,
      [cutoff, limit],
    );
    return count;
  }

  /** When each channel was last sent a firing or escalated notification of this alert. */
  async lastFiringNoticeByChannel(alertId: string, transaction: Transaction): Promise<Map<string, Date>> {
    const rows: { channel_id: string; last_at: Date }[] = await transaction.manager.query(
      `SELECT channel_id, max(created_at) AS last_at FROM model_alert_outbox
       WHERE alert_id = $1 AND channel_id IS NOT NULL AND event = ANY($2::text[])
       GROUP BY channel_id`,
      [alertId, [AlertEvent.Firing, AlertEvent.Escalated]],
    );
    return new Map(rows.map((row) => [row.channel_id, row.last_at]));
  }

  /** An alert's notifications, oldest first, each with its attempts. */
  async findByAlert(alertId: string): Promise<{ delivery: WebhookDeliveryEntity; attempts: WebhookDeliveryAttemptEntity[] }[]> {
    const deliveries = await this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .find({ where: { alertId }, order: { createdAt: 'ASC', id: 'ASC' } });
    if (deliveries.length === 0) return [];
    const attempts = await this.dataSource
      .getRepository(WebhookDeliveryAttemptEntity)
      .createQueryBuilder('attempt')
      .where('attempt.deliveryId IN (:...ids)', { ids: deliveries.map((delivery) => delivery.id) })
      .orderBy('attempt.attempt', 'ASC')
      .getMany();
    return deliveries.map((delivery) => ({ delivery, attempts: attempts.filter((attempt) => attempt.deliveryId === delivery.id) }));
  }
}
