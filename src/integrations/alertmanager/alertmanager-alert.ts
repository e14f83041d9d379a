/**
 * Alertmanager both ways. Pure functions, no framework.
 * Out: alert → PostableAlert for `POST /api/v2/alerts` (Alertmanager's OpenAPI spec, api/v2/openapi.yaml:
 * `labels` required, `annotations`, `startsAt`, `endsAt`, `generatorURL` (a URI)). Label names must match
 * `[a-zA-Z_][a-zA-Z0-9_]*` (Prometheus data model, which Alertmanager 0.25 validates: one bad name refuses the
 * whole POST), so names are sanitised, never refused.
 * In: Alertmanager webhook payloads, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config).
 */
import { alertLink, type AlertNotice, formatValue } from 'src/integrations/alert-notice';

/**
 * Alertmanager resolves an alert it has not heard of for resolve_timeout (default 5 min) when it came without
 * endsAt, so ModelWatch re-sends each open alert this often (Prometheus re-sends every resend_delay, 1 min).
 */
export const ALERTMANAGER_RESEND_MINUTES = 2;
/** The label that carries ModelWatch's alert id, so an alert that comes back through Alertmanager's webhook is recognised. */
export const MODELWATCH_ALERT_ID_LABEL = 'modelwatch_alert_id';
/** Who resolves an alert that Alertmanager reported resolved. */
export const ALERTMANAGER_ACTOR = 'alertmanager';
export const ALERTMANAGER_PAYLOAD_VERSION = '4';
/** Where alerts are pushed, under the channel's base URL. */
export const ALERTMANAGER_ALERTS_PATH = '/api/v2/alerts';

export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
}

/** A Prometheus label name: invalid characters become `_`, a leading digit gets a `_` before it. */
export function labelName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(cleaned) || cleaned === '' ? `_${cleaned}` : cleaned;
}

/** The channel's base URL + /api/v2/alerts (a base URL with a path prefix keeps it). */
export function alertmanagerAlertsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${ALERTMANAGER_ALERTS_PATH}`;
}

/**
 * The alert's labels (sanitised), then the reserved ones, which win: alertname (the alert type: stable, so
 * Alertmanager groups and dedupes it), model (the model's name), metric, severity, environment, modelwatch_alert_id.
 * A resolved alert carries endsAt (its resolution time); an open one none, and is re-sent every ALERTMANAGER_RESEND_MINUTES.
 */
export function buildPostableAlerts(notice: AlertNotice, options: { publicUrl: string | null; sentAt: Date }): PostableAlert[] {
  const { alert } = notice;
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(alert.labels)) if (value !== '') labels[labelName(key)] = value;
  Object.assign(labels, {
    alertname: alert.type,
    severity: alert.severity,
    [MODELWATCH_ALERT_ID_LABEL]: alert.id,
    ...(notice.model ? { model: notice.model.name } : {}),
  });
  for (const key of ['metric', 'environment']) if (alert.labels[key]) labels[key] = alert.labels[key];
  const annotations: Record<string, string> = {
    summary: alert.title,
    description: alert.message ?? alert.title,
    value: formatValue(alert.value),
  };
  const postable: PostableAlert = { labels, annotations, startsAt: alert.firedAt ?? alert.firstSeenAt };
  if (notice.event === 'resolved') postable.endsAt = alert.resolvedAt ?? options.sentAt.toISOString();
  const link = alertLink(options.publicUrl, alert);
  if (link) postable.generatorURL = link;
  return [postable];
}

/** One alert of an Alertmanager webhook, as validated by the request DTO. */
export interface AlertmanagerWebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint: string;
  generatorURL?: string;
}

export interface IncomingAlert {
  /** ModelWatch's fingerprint of it: Alertmanager's, in a namespace of its own. */
  fingerprint: string;
  /** The ModelWatch alert this one is (it carried modelwatch_alert_id), else null. */
  modelwatchAlertId: string | null;
  /** The `model` label (a model name or id), else null. */
  modelReference: string | null;
  firing: boolean;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  message: string | null;
  labels: Record<string, string>;
  startsAt: Date;
  endsAt: Date | null;
}

const SEVERITY_WORDS: Record<string, IncomingAlert['severity']> = {
  critical: 'critical',
  error: 'critical',
  page: 'critical',
  high: 'critical',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  info: 'info',
  low: 'info',
  none: 'info',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Alertmanager's zero time: endsAt of an alert with no known end. */
const GO_ZERO_TIME_YEAR = 1;

/** How ModelWatch records an Alertmanager alert: severity label mapped (unknown words: warning), summary → title, description → message. */
export function readAlertmanagerAlert(alert: AlertmanagerWebhookAlert): IncomingAlert {
  const ownId = alert.labels[MODELWATCH_ALERT_ID_LABEL];
  const endsAt = new Date(alert.endsAt);
  return {
    fingerprint: `alertmanager:${alert.fingerprint}`,
    modelwatchAlertId: ownId && UUID.test(ownId) ? ownId.toLowerCase() : null,
    modelReference: alert.labels.model || null,
    firing: alert.status === 'firing',
    severity: SEVERITY_WORDS[(alert.labels.severity ?? '').toLowerCase()] ?? 'warning',
    title: alert.annotations.summary || alert.labels.alertname || `Alertmanager alert ${alert.fingerprint}`,
    message: alert.annotations.description || null,
    labels: alert.labels,
    startsAt: new Date(alert.startsAt),
    endsAt: endsAt.getUTCFullYear() <= GO_ZERO_TIME_YEAR ? null : endsAt,
  };
}
