/**
 * What every outside system is told about an alert: the webhook body ModelWatch queues in its outbox
 * (`{ version, event, alert, model }`), as far as the payload builders read it. Pure types, no framework.
 */
export type NoticeEvent = 'firing' | 'escalated' | 'acknowledged' | 'resolved' | 'test';

export interface NoticeAlert {
  id: string;
  modelId: string | null;
  type: string;
  severity: 'info' | 'warning' | 'critical';
  status: string;
  title: string;
  message: string | null;
  labels: Record<string, string>;
  fingerprint: string;
  value: number | null;
  firstSeenAt: string;
  firedAt?: string | null;
  resolvedAt: string | null;
  source?: string;
}

export interface AlertNotice {
  event: NoticeEvent;
  alert: NoticeAlert;
  /** Null for an alert that belongs to no model (raised outside ModelWatch). */
  model: { id: string; name: string } | null;
}

/** Where people look at an alert: the dashboard's alerts page (needs PUBLIC_URL), or null without one. */
export function alertLink(publicUrl: string | null, alert: Pick<NoticeAlert, 'id' | 'modelId'>): string | null {
  if (!publicUrl) return null;
  const base = publicUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({ alertId: alert.id, ...(alert.modelId ? { modelId: alert.modelId } : {}) });
  return `${base}/ui/alerts?${query.toString()}`;
}

/** Cuts text to at most `max` UTF-16 code units, ending in `…` when cut (outside systems refuse over-long fields; we never fail). */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(max - 1, 0));
  // never leave half of a surrogate pair behind
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** A value as people read it: six significant digits, or "n/a". */
export function formatValue(value: number | null): string {
  return value === null ? 'n/a' : String(Number(value.toPrecision(6)));
}
