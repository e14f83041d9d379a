/**
 * Alert identity, lifecycle and the rule state machine. Pure functions: no framework, no database.
 * Anchors: Prometheus/Alertmanager (fingerprints, pending → firing after `for`, resolve notifications,
 * repeat_interval), Grafana alerting (keep-firing-for), PagerDuty Events v2 (dedup keys).
 */
import { createHash } from 'node:crypto';
import { AlertSeverity, AlertStatus, RuleComparator } from 'src/alerts/alert.enums';

const MINUTE_MS = 60_000;

/**
 * The dedup key: hex SHA-256 of `[modelId, type, [[key, value], …]]` as JSON, labels sorted by key
 * (code-unit order), so the same labels in any order give the same alert.
 */
export function alertFingerprint(modelId: string, type: string, labels: Record<string, string>): string {
  const sortedLabels = Object.entries(labels).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([modelId, type, sortedLabels]))
    .digest('hex');
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { [AlertSeverity.Info]: 0, [AlertSeverity.Warning]: 1, [AlertSeverity.Critical]: 2 };

export function severityRank(severity: AlertSeverity): number {
  return SEVERITY_RANK[severity];
}

/** People acknowledge what is pending or firing, and resolve anything not yet resolved. */
export const ACKNOWLEDGEABLE_STATUSES: readonly AlertStatus[] = [AlertStatus.Pending, AlertStatus.Firing];
export const RESOLVABLE_STATUSES: readonly AlertStatus[] = [AlertStatus.Pending, AlertStatus.Firing, AlertStatus.Acknowledged];

export function canAcknowledge(status: AlertStatus): boolean {
  return ACKNOWLEDGEABLE_STATUSES.includes(status);
}

export function canResolve(status: AlertStatus): boolean {
  return RESOLVABLE_STATUSES.includes(status);
}

/** What to announce after an alert was raised or re-raised (the row as it now stands, under its row lock). */
export type FiringNotice = 'firing' | 'escalated' | 'repeat' | null;

/**
 * Only firing alerts notify: the first time (`firing`), when the severity rose above the one last
 * announced (`escalated`), otherwise a `repeat` that each channel throttles by its repeat interval.
 * Pending and acknowledged alerts stay quiet until they resolve.
 */
export function firingNotice(alert: {
  status: AlertStatus;
  severity: AlertSeverity;
  notifiedSeverity: AlertSeverity | null;
}): FiringNotice {
  if (alert.status !== AlertStatus.Firing) return null;
  if (alert.notifiedSeverity === null) return 'firing';
  return severityRank(alert.severity) > severityRank(alert.notifiedSeverity) ? 'escalated' : 'repeat';
}

/** Alertmanager's repeat_interval: a still-firing alert is re-sent to a channel at most once per interval. */
export function isRepeatDue(lastNotifiedAt: Date | null, repeatIntervalMinutes: number, now: Date): boolean {
  return lastNotifiedAt === null || now.getTime() - lastNotifiedAt.getTime() >= repeatIntervalMinutes * MINUTE_MS;
}

/**
 * Who hears a firing notice: every matching channel for a first (`firing`) or `escalated` one; for a `repeat`, the
 * channels whose repeat interval has passed since their last firing notice of this alert (Alertmanager's repeat_interval).
 * The live notifier and the rule backtest both decide with this.
 */
export function firingRecipients<Channel extends { id: string; repeatIntervalMinutes: number }>(
  notice: Exclude<FiringNotice, null>,
  channels: readonly Channel[],
  lastNoticeAt: ReadonlyMap<string, Date>,
  now: Date,
): Channel[] {
  if (notice !== 'repeat') return [...channels];
  return channels.filter((channel) => isRepeatDue(lastNoticeAt.get(channel.id) ?? null, channel.repeatIntervalMinutes, now));
}

/** The rule's condition: `value <comparator> threshold`. */
export function breaches(value: number, comparator: RuleComparator, threshold: number): boolean {
  switch (comparator) {
    case RuleComparator.Lt:
      return value < threshold;
    case RuleComparator.Lte:
      return value <= threshold;
    case RuleComparator.Gt:
      return value > threshold;
    case RuleComparator.Gte:
      return value >= threshold;
  }
}

export const COMPARATOR_SYMBOL: Record<RuleComparator, string> = {
  [RuleComparator.Lt]: '<',
  [RuleComparator.Lte]: '≤',
  [RuleComparator.Gt]: '>',
  [RuleComparator.Gte]: '≥',
};

/** One evaluation of a rule: the condition holds, does not hold, or the window has no data. */
export type RuleObservation = 'breach' | 'clear' | 'no_data';

/** The unresolved alert a rule owns, as far as its state machine is concerned. */
export interface RuleAlertState {
  status: AlertStatus.Pending | AlertStatus.Firing | AlertStatus.Acknowledged;
  /** When the condition was first seen true (the alert's first_seen_at). */
  pendingSince: Date;
  /** While firing or acknowledged: when the condition was first seen false (keep-firing countdown), else null. */
  clearedSince: Date | null;
}

export interface RuleTiming {
  /** The condition must hold this long before a pending alert fires (0 = fire at once). */
  forMinutes: number;
  /** A firing alert stays firing this long after its condition clears (0 = resolve at once). */
  keepFiringForMinutes: number;
}

export type RuleDecision =
  /** Nothing to write. */
  | { action: 'none' }
  /** Raise (open or re-raise) the rule's alert with this status; clears any keep-firing countdown. */
  | { action: 'raise'; status: AlertStatus.Pending | AlertStatus.Firing | AlertStatus.Acknowledged }
  /** The condition cleared while firing: start the keep-firing countdown. */
  | { action: 'start_clearing'; since: Date }
  /** Resolve automatically (by `modelwatch`). */
  | { action: 'resolve' };

/**
 * The rule state machine (Prometheus `for` + Grafana `keep_firing_for`):
 * - no alert: a breach opens one, `firing` when forMinutes is 0, else `pending`;
 * - pending: a breach fires it once it has held for forMinutes; a clear resolves it (it never fired);
 * - firing / acknowledged: a breach keeps it (and cancels a keep-firing countdown, so a new breach is
 *   straight back to plain firing); a clear resolves it after keepFiringForMinutes (at once when 0);
 *   acknowledged alerts stay acknowledged but still resolve automatically.
 * A `no_data` observation changes nothing; what a rule without data observes is its `noData` option's business
 * (rule-evaluation.policy.ts).
 */
export function decideRuleAlert(current: RuleAlertState | null, observation: RuleObservation, timing: RuleTiming, now: Date): RuleDecision {
  if (observation === 'no_data') return { action: 'none' };
  if (current === null) {
    if (observation === 'clear') return { action: 'none' };
    return { action: 'raise', status: timing.forMinutes === 0 ? AlertStatus.Firing : AlertStatus.Pending };
  }
  if (current.status === AlertStatus.Pending) {
    if (observation === 'clear') return { action: 'resolve' };
    const heldMs = now.getTime() - current.pendingSince.getTime();
    return { action: 'raise', status: heldMs >= timing.forMinutes * MINUTE_MS ? AlertStatus.Firing : AlertStatus.Pending };
  }
  if (observation === 'breach') return { action: 'raise', status: current.status };
  if (timing.keepFiringForMinutes === 0) return { action: 'resolve' };
  if (current.clearedSince === null) return { action: 'start_clearing', since: now };
  const clearedMs = now.getTime() - current.clearedSince.getTime();
  return clearedMs >= timing.keepFiringForMinutes * MINUTE_MS ? { action: 'resolve' } : { action: 'none' };
}

/** The rule fields that identify its alerts: changing any of them ends the alerts it raised. */
export interface RuleIdentity {
  id: string;
  metricName: string;
  environment: string;
  labels: Record<string, string>;
}

/**
 * Labels of the alerts a rule raises: its own labels plus `metric`, `environment` and `rule` (its id, so two
 * rules on one metric raise two alerts). The reserved keys win over rule labels of the same name.
 */
export function ruleAlertLabels(rule: RuleIdentity): Record<string, string> {
  return { ...rule.labels, metric: rule.metricName, environment: rule.environment, rule: rule.id };
}

export function sameRuleIdentity(before: RuleIdentity, after: RuleIdentity): boolean {
  return alertFingerprint('', '', ruleAlertLabels(before)) === alertFingerprint('', '', ruleAlertLabels(after));
}

/** A rule as far as its alert's wording is concerned. */
export interface RuleDescription {
  name: string | null;
  metricName: string;
  environment: string;
  aggregation: string;
  windowMinutes: number;
  comparator: RuleComparator;
  threshold: number;
}

/**
 * Title and message of a rule's alert, e.g. "accuracy < 0.8" / "avg(accuracy) over the last 60 min in production is 0.72
 * (alert when < 0.8)"; value null: raised because the rule has no data (noData: alerting).
 */
export function describeRuleAlert(rule: RuleDescription, value: number | null): { title: string; message: string } {
  const condition = `${COMPARATOR_SYMBOL[rule.comparator]} ${rule.threshold}`;
  const over = `${rule.aggregation}(${rule.metricName}) over the last ${rule.windowMinutes} min in ${rule.environment}`;
  return {
    title: `${rule.name ?? rule.metricName} ${condition}`,
    message:
      value === null
        ? `${over} has no data, and the rule treats no data as alerting (alert when ${condition}).`
        : `${over} is ${Number(value.toPrecision(6))} (alert when ${condition}).`,
  };
}
