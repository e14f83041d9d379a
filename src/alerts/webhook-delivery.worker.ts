import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChannelKind, DeliveryStatus } from 'src/alerts/alert.enums';
import { renderDelivery, type RenderedDelivery } from 'src/alerts/channel-delivery';
import { Secrets } from 'src/common/secrets/secrets.service';
import { integrationsConfig, type IntegrationsConfig } from 'src/config/configuration';
import { WebhookAttemptResult, WebhookSender } from 'src/alerts/webhook-sender';
import { AttemptOutcome, type ClaimedDelivery, WebhookOutboxRepository } from 'src/alerts/webhook-outbox.repository';
import { decideDeliveryOutcome } from 'src/alerts/webhook.policy';
import { Clock } from 'src/common/clock';
import { TransactionRunner } from 'src/database/transaction';
import { ServiceMetrics } from 'src/observability/service-metrics';

/** How long a claim lasts: well beyond the HTTP timeout, so only a crashed worker's claim ever expires. */
export const CLAIM_MS = 60_000;
/** Deliveries one instance runs at once, over all lanes (each lane also has its own limit). */
const MAX_IN_FLIGHT = 64;
const CLAIM_BATCH_SIZE = 32;
const MAX_DELIVERIES_PER_RUN = 200;
const PRUNE_BATCH_SIZE = 5_000;
const DAY_MS = 86_400_000;

export interface DeliveryRunSummary {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * Delivers the outbox (polled by AlertJobs, or called directly). No transaction is open during HTTP: rows are claimed in one short statement
 * (SKIP LOCKED + locked_until), POSTed, and each outcome is recorded in its own short transaction. Several
 * instances can run it at once; a crash mid-delivery loses nothing (the claim expires and the row is sent
 * again, with the same X-ModelWatch-Delivery id for receivers to dedupe on).
 */
@Injectable()
export class WebhookDeliveryWorker {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly outbox: WebhookOutboxRepository,
    private readonly sender: WebhookSender,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly serviceMetrics: ServiceMetrics,
    private readonly secrets: Secrets,
    @Inject(integrationsConfig.KEY) private readonly integrations: IntegrationsConfig,
  ) {}

  /**
   * Removes finished notifications older than `retentionDays` (0 keeps everything), in batches so no
   * statement holds many rows; returns how many were removed. Keep the retention longer than any channel's
   * repeatIntervalMinutes, which is measured from the last firing notification still in the outbox.
   */
  async pruneFinished(retentionDays: number): Promise<number> {
    if (retentionDays <= 0) return 0;
    const cutoff = new Date(this.clock.now().getTime() - retentionDays * DAY_MS);
    let removed = 0;
    for (;;) {
      const batch = await this.outbox.deleteFinishedBefore(cutoff, PRUNE_BATCH_SIZE);
      removed += batch;
      if (batch < PRUNE_BATCH_SIZE) return removed;
    }
  }

  /**
   * Starts every delivery that may start now and returns without waiting for them (the periodic job): each
   * delivery records its own outcome when its receiver answers or times out, so no delivery waits on
   * another, and a tick never waits on a slow receiver. Per-lane limits and breakers are in the claim.
   */
  async dispatchDue(): Promise<Promise<DeliveryStatus>[]> {
    const free = MAX_IN_FLIGHT - this.inFlight.size;
    if (free <= 0) return [];
    const now = this.clock.now();
    const claimed = await this.outbox.claimDue(now, new Date(now.getTime() + CLAIM_MS), Math.min(free, CLAIM_BATCH_SIZE));
    return claimed.map((item) => {
      const delivery = this.deliver(item);
      const tracked = delivery.then(
        () => undefined,
        () => undefined,
      );
      this.inFlight.add(tracked);
      void tracked.finally(() => this.inFlight.delete(tracked));
      return delivery;
    });
  }

  /** Waits for the deliveries in flight (shutdown: before the database closes). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /**
   * Delivers every row due now and reports what happened, waiting for each delivery (tests, one-off
   * runs). A finished delivery makes room for the next claim at once: there is no batch to wait for.
   */
  async deliverDue(): Promise<DeliveryRunSummary> {
    const summary: DeliveryRunSummary = { claimed: 0, delivered: 0, retried: 0, failed: 0 };
    const running = new Set<Promise<void>>();
    for (;;) {
      const started = summary.claimed < MAX_DELIVERIES_PER_RUN ? await this.dispatchDue() : [];
      for (const delivery of started) {
        summary.claimed++;
        const counted: Promise<void> = delivery.then((outcome) => {
          if (outcome === DeliveryStatus.Delivered) summary.delivered++;
          else if (outcome === DeliveryStatus.Pending) summary.retried++;
          else summary.failed++;
          running.delete(counted);
        });
        running.add(counted);
      }
      if (running.size === 0) return summary;
      await Promise.race(running);
    }
  }

  private async deliver({ delivery, lane, url, secret, channelEnabled, kind, routingKey }: ClaimedDelivery): Promise<DeliveryStatus> {
    const attemptedAt = this.clock.now();
    const result: WebhookAttemptResult = channelEnabled
      ? await this.sendRendered({ kind, url, routingKey }, secret, delivery, attemptedAt)
      : { statusCode: null, error: 'the channel is disabled', durationMs: 0 };
    const decided =
      channelEnabled && !result.permanent
        ? decideDeliveryOutcome(delivery.attempts, result.statusCode, this.clock.now())
        : { status: 'failed' as const };
    const outcome: AttemptOutcome =
      decided.status === 'delivered'
        ? { status: DeliveryStatus.Delivered, at: this.clock.now() }
        : decided.status === 'retry'
          ? { status: DeliveryStatus.Pending, nextAttemptAt: decided.nextAttemptAt }
          : { status: DeliveryStatus.Failed };
    try {
      await this.transactions.run(async (transaction) => {
        await this.outbox.recordAttempt(delivery.id, { attempt: delivery.attempts, attemptedAt, ...result }, outcome, transaction);
        if (channelEnabled) await this.outbox.recordLaneOutcome(lane, result.statusCode !== null, this.clock.now(), transaction);
      });
    } catch (error) {
      // The claim expires and the row is retried: at-least-once, never lost.
      this.logger.error({ err: error, deliveryId: delivery.id }, 'Could not record a webhook delivery outcome');
    }
    this.serviceMetrics.countDelivery(decided.status);
    if (outcome.status === DeliveryStatus.Failed) {
      this.logger.warn(
        { deliveryId: delivery.id, host: hostOf(url), attempts: delivery.attempts, error: result.error },
        'Webhook delivery failed for good',
      );
    }
    return outcome.status;
  }

  /** The body in the channel's format (channel-delivery.ts), signed like every webhook. */
  private async sendRendered(
    target: { kind: ChannelKind | null; url: string; routingKey: string | null },
    secret: string | null,
    delivery: ClaimedDelivery['delivery'],
    attemptedAt: Date,
  ): Promise<WebhookAttemptResult> {
    let rendered: RenderedDelivery;
    try {
      rendered = renderDelivery(
        { ...target, routingKey: this.secrets.open(target.routingKey) },
        { event: delivery.event, payload: delivery.payload, sentAt: attemptedAt },
        { publicUrl: this.integrations.publicUrl },
      );
    } catch (error) {
      return { statusCode: null, error: `could not build the ${target.kind} message: ${String(error)}`, durationMs: 0, permanent: true };
    }
    return this.sender.send({ url: rendered.url, secret, deliveryId: delivery.id, event: delivery.event, body: rendered.body });
  }
}

/** Only the host is logged: webhook URLs often carry a token in their path. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid url';
  }
}
