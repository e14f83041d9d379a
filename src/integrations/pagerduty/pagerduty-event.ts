/**
 * Alert → PagerDuty Events API v2 event. Pure function, no framework.
 * Schema: PagerDuty developer docs, "Events API v2 — Send an Alert Event"
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/): routing_key (the 32-character
 * integration key), event_action trigger | acknowledge | resolve, dedup_key ≤ 255 characters, and for a
 * trigger a payload with summary (≤ 1,024 characters), source, severity critical | error | warning | info,
 * optional timestamp, component, group, class, custom_details; links [{ href, text }]. Acknowledge and resolve
 * need only routing_key, event_action and dedup_key. Too-long text is truncated, never refused.
 */
import { alertLink, type AlertNotice, truncateText } from 'src/integrations/alert-notice';

export const PAGERDUTY_ENQUEUE_URL = 'https://events.pagerduty.com/v2/enqueue';
export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255, field: 255 } as const;
/** An Events API v2 integration key: 32 characters, letters and digits. */
export const PAGERDUTY_ROUTING_KEY = /^[A-Za-z0-9]{32}$/;

export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve';

export interface PagerDutyEvent {
  routing_key: string;
  event_action: PagerDutyAction;
  dedup_key: string;
  client?: string;
  client_url?: string;
  links?: { href: string; text: string }[];
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details?: Record<string, unknown>;
  };
}

/** Our events on PagerDuty's: firing and escalated trigger (PagerDuty updates the open alert of the same dedup_key). */
export function pagerDutyAction(event: AlertNotice['event']): PagerDutyAction {
  if (event === 'resolved') return 'resolve';
  if (event === 'acknowledged') return 'acknowledge';
  return 'trigger';
}

export function isPagerDutyRoutingKey(key: string): boolean {
  return PAGERDUTY_ROUTING_KEY.test(key);
}

export function buildPagerDutyEvent(notice: AlertNotice, options: { routingKey: string; publicUrl: string | null }): PagerDutyEvent {
  const { alert } = notice;
  const action = pagerDutyAction(notice.event);
  const event: PagerDutyEvent = {
    routing_key: options.routingKey,
    event_action: action,
    // the fingerprint is 64 hex digits; an external one is cut to the limit rather than refused
    dedup_key: truncateText(alert.fingerprint, PAGERDUTY_LIMITS.dedupKey),
  };
  if (action !== 'trigger') return event;
  const link = alertLink(options.publicUrl, alert);
  event.client = 'ModelWatch';
  if (link) {
    event.client_url = link;
    event.links = [{ href: link, text: 'Open in ModelWatch' }];
  }
  event.payload = {
    summary: truncateText(notice.model ? `[${notice.model.name}] ${alert.title}` : alert.title, PAGERDUTY_LIMITS.summary),
    source: truncateText(notice.model?.name ?? alert.source ?? 'modelwatch', PAGERDUTY_LIMITS.field),
    severity: alert.severity,
    timestamp: alert.firedAt ?? alert.firstSeenAt,
    ...(alert.labels.metric ? { component: truncateText(alert.labels.metric, PAGERDUTY_LIMITS.field) } : {}),
    ...(alert.labels.environment ? { group: truncateText(alert.labels.environment, PAGERDUTY_LIMITS.field) } : {}),
    class: alert.type,
    custom_details: {
      alertId: alert.id,
      modelId: alert.modelId,
      value: alert.value,
      message: alert.message,
      labels: alert.labels,
      event: notice.event,
    },
  };
  return event;
}
