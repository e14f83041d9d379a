/**
 * The bytes each channel kind is sent, built at delivery time from the generic notification the outbox holds
 * (`{ version, event, alert, model }`), so a routing key is never copied into the outbox and a channel whose
 * kind or URL changed gets its current format. Pure: the caller opens the routing key.
 */
import { ChannelKind } from 'src/alerts/alert.enums';
import type { AlertNotice } from 'src/integrations/alert-notice';
import { alertmanagerAlertsUrl, buildPostableAlerts, type PostableAlert } from 'src/integrations/alertmanager/alertmanager-alert';
import { buildPagerDutyEvent, type PagerDutyEvent } from 'src/integrations/pagerduty/pagerduty-event';
import { buildSlackMessage, type SlackMessage } from 'src/integrations/slack/slack-message';

export interface DeliveryTarget {
  /** Null: an outbox row without a channel (other modules' webhooks), sent as ModelWatch's webhook. */
  kind: ChannelKind | null;
  url: string;
  /** PagerDuty's routing key, opened. */
  routingKey: string | null;
}

export interface QueuedNotification {
  event: string;
  payload: Record<string, unknown>;
  sentAt: Date;
}

export interface RenderedDelivery {
  url: string;
  body: string;
}

export function renderDelivery(
  target: DeliveryTarget,
  queued: QueuedNotification,
  options: { publicUrl: string | null },
): RenderedDelivery {
  if (target.kind === null || target.kind === ChannelKind.Webhook) {
    return { url: target.url, body: JSON.stringify({ ...queued.payload, sentAt: queued.sentAt.toISOString() }) };
  }
  const notice = queued.event === 'test' ? testNotice(queued) : (queued.payload as unknown as AlertNotice);
  switch (target.kind) {
    case ChannelKind.Slack:
      return { url: target.url, body: JSON.stringify(buildSlackMessage(notice, options) satisfies SlackMessage) };
    case ChannelKind.PagerDuty:
      return {
        url: target.url,
        body: JSON.stringify(buildPagerDutyEvent(notice, { ...options, routingKey: target.routingKey ?? '' }) satisfies PagerDutyEvent),
      };
    case ChannelKind.Alertmanager: {
      const alerts: PostableAlert[] = buildPostableAlerts(notice, { ...options, sentAt: queued.sentAt });
      // a test alert ends by itself a minute later, so Alertmanager resolves it without another call
      if (queued.event === 'test') for (const alert of alerts) alert.endsAt = new Date(queued.sentAt.getTime() + 60_000).toISOString();
      return { url: alertmanagerAlertsUrl(target.url), body: JSON.stringify(alerts) };
    }
  }
}

/** The channel test (`POST /alert-channels/{id}/test`) as an info alert of its own, so every kind shows a real message. */
function testNotice(queued: QueuedNotification): AlertNotice {
  const channel = (queued.payload.channel ?? {}) as { id?: string; name?: string };
  const at = queued.sentAt.toISOString();
  return {
    event: 'test',
    model: null,
    alert: {
      id: channel.id ?? 'test',
      modelId: null,
      type: 'test',
      severity: 'info',
      status: 'firing',
      title: `ModelWatch test message for channel ${channel.name ?? ''}`.trim(),
      message: 'Sent by POST /api/v1/alert-channels/{channelId}/test: this channel is reachable.',
      labels: {},
      fingerprint: `modelwatch-test-${channel.id ?? 'channel'}`,
      value: null,
      firstSeenAt: at,
      resolvedAt: null,
      source: 'test',
    },
  };
}
