import { Injectable } from '@nestjs/common';
import { WebhookOutboxRepository } from 'src/alerts/webhook-outbox.repository';
import { isWebhookUrl } from 'src/alerts/webhook.policy';
import { Clock } from 'src/common/clock';
import { isSealed } from 'src/common/secrets/secret-box';
import { Secrets } from 'src/common/secrets/secrets.service';
import { invalidFields } from 'src/common/errors/domain-error';
import type { Transaction } from 'src/database/transaction';

/** One webhook to deliver through the outbox (signed, retried with backoff, never lost across restarts). */
export interface WebhookDeliveryRequest {
  /** http(s) URL of the receiver; with `channelId`, the channel's current URL is used at delivery instead. */
  url: string;
  /**
   * The signing secret (null: unsigned), sealed as stored or in plaintext (sealed here, never stored in the clear);
   * with `channelId`, the channel's current secret is used.
   */
  secret: string | null;
  /** Sent as the `X-ModelWatch-Event` header. */
  event: string;
  /** The JSON body; the worker adds `sentAt` (the time of each attempt). */
  payload: Record<string, unknown>;
  modelId?: string;
  channelId?: string | null;
  alertId?: string | null;
}

/**
 * The generic outbox: alert notifications and other modules' webhooks (the retrain coordinator's calls to
 * training pipelines) are queued here, in the caller's transaction, and delivered by WebhookDeliveryWorker.
 */
@Injectable()
export class WebhookOutboxService {
  constructor(
    private readonly outbox: WebhookOutboxRepository,
    private readonly clock: Clock,
    private readonly secrets: Secrets,
  ) {}

  /** Queues one webhook; returns its delivery id (the `X-ModelWatch-Delivery` header receivers dedupe on). */
  async enqueue(delivery: WebhookDeliveryRequest, transaction?: Transaction): Promise<string> {
    const [id] = await this.enqueueMany([delivery], transaction);
    return id;
  }

  /** Queues several webhooks in one insert; a URL that is not absolute http(s) is a 400 naming `deliveries[i].url`. */
  async enqueueMany(deliveries: WebhookDeliveryRequest[], transaction?: Transaction): Promise<string[]> {
    const badUrls = deliveries.flatMap((delivery, index) =>
      isWebhookUrl(delivery.url) ? [] : [{ field: `deliveries[${index}].url`, message: 'must be an http(s) URL' }],
    );
    if (badUrls.length > 0) throw invalidFields(badUrls);
    const now = this.clock.now();
    return this.outbox.insert(
      deliveries.map((delivery) => ({
        event: delivery.event,
        url: delivery.url,
        secret: delivery.secret === null || isSealed(delivery.secret) ? delivery.secret : this.secrets.seal(delivery.secret),
        payload: delivery.payload,
        modelId: delivery.modelId ?? null,
        channelId: delivery.channelId ?? null,
        alertId: delivery.alertId ?? null,
        createdAt: now,
      })),
      transaction,
    );
  }
}
