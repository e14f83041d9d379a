/**
 * Rule backtesting: replays a rule over stored data with the live evaluator's own step (stepRule), applying each
 * decision to a simulated state the way the database applies it, and counting the notifications each channel would
 * have received with the live notifier's rules (firingNotice, firingRecipients). Pure: the service reads the samples.
 */
import { AlertSeverity, AlertStatus, AlertType } from 'src/alerts/alert.enums';
import { firingNotice, firingRecipients, type RuleAlertState } from 'src/alerts/alert.policy';
import { nextRuleAlertState, type RuleEvaluationSpec, type RuleSample, stepRule } from 'src/alerts/rule-evaluation.policy';

/** A channel the rule's alerts match (enabled, model, minimum severity), with what the replay needs of it. */
export interface ReplayChannel {
  id: string;
  repeatIntervalMinutes: number;
  /** Receives resolved notices. */
  sendResolved: boolean;
}

/** What a silence matcher needs of an alert. */
export interface ReplayAlertIdentity {
  type: AlertType;
  severity: AlertSeverity;
  labels: Record<string, string>;
}

/**
 * The ids of the silences that mute a notification of this alert at this time (the preview service builds it from
 * the stored silences with the live matcher). A muted notification is counted as `silenced`, not delivered, and does
 * not restart the repeat interval.
 */
export type SilenceLookup = (alert: ReplayAlertIdentity, at: Date) => readonly string[];
export const NO_SILENCES: SilenceLookup = () => [];

export interface ReplayRule extends RuleEvaluationSpec {
  severity: AlertSeverity;
  /** The labels its alerts carry (ruleAlertLabels). */
  labels: Record<string, string>;
}

export interface ReplayTick {
  at: Date;
  sample: RuleSample;
}

/** One alert the rule would have raised. */
export interface ReplayAlert {
  type: AlertType.MetricThreshold | AlertType.NoData;
  openedAt: Date;
  /** Null: it stayed pending. */
  firedAt: Date | null;
  /** Null: still open at the end of the range. */
  resolvedAt: Date | null;
}

export interface ChannelNotifications {
  firing: number;
  repeats: number;
  resolved: number;
  silenced: number;
}

export interface ReplayResult {
  evaluations: number;
  /** Evaluations whose value crossed the threshold. */
  breachingEvaluations: number;
  noDataEvaluations: number;
  /** Each evaluation stands for the time until the next one (the last until `end`). */
  timeInBreachMs: number;
  timeWithoutDataMs: number;
  /** Time the metric_threshold alert was firing (clipped to `end`). */
  firingMs: number;
  alerts: ReplayAlert[];
  /** By channel id, for every channel given. */
  notifications: Map<string, ChannelNotifications>;
}

interface OpenAlert {
  record: ReplayAlert;
  /** Channels' last firing notice of this alert (the outbox's created_at in the live notifier). */
  lastNoticeAt: Map<string, Date>;
  notified: boolean;
}

/**
 * Replays `ticks` (ascending evaluation times in [start, end)) as if the rule had been created at the first one with no
 * alert open. Acknowledgements are people's doing and are not simulated.
 */
export function replayRule(
  rule: ReplayRule,
  ticks: readonly ReplayTick[],
  end: Date,
  channels: readonly ReplayChannel[],
  silencedBy: SilenceLookup = NO_SILENCES,
): ReplayResult {
  const result: ReplayResult = {
    evaluations: ticks.length,
    breachingEvaluations: 0,
    noDataEvaluations: 0,
    timeInBreachMs: 0,
    timeWithoutDataMs: 0,
    firingMs: 0,
    alerts: [],
    notifications: new Map(channels.map((channel) => [channel.id, { firing: 0, repeats: 0, resolved: 0, silenced: 0 }])),
  };
  let thresholdState: RuleAlertState | null = null;
  let threshold: OpenAlert | null = null;
  let noData: OpenAlert | null = null;

  const notify = (
    alert: OpenAlert,
    type: AlertType,
    event: 'firing' | 'repeat' | 'resolved',
    recipients: readonly ReplayChannel[],
    at: Date,
  ) => {
    const muted = silencedBy({ type, severity: rule.severity, labels: rule.labels }, at).length > 0;
    for (const channel of recipients) {
      const counts = result.notifications.get(channel.id)!;
      if (muted) counts.silenced++;
      else if (event === 'firing') counts.firing++;
      else if (event === 'repeat') counts.repeats++;
      else counts.resolved++;
      if (!muted && event !== 'resolved') alert.lastNoticeAt.set(channel.id, at);
    }
  };
  /** AlertNotifier.afterRaise: only firing alerts notify, first to every channel, then repeats throttled per channel. */
  const afterRaise = (alert: OpenAlert, type: AlertType, status: AlertStatus, at: Date) => {
    const notice = firingNotice({ status, severity: rule.severity, notifiedSeverity: alert.notified ? rule.severity : null });
    if (notice === null) return;
    alert.notified = true;
    notify(alert, type, notice === 'repeat' ? 'repeat' : 'firing', firingRecipients(notice, channels, alert.lastNoticeAt, at), at);
  };
  /** AlertNotifier.afterResolve: channels with sendResolved hear about alerts that had fired. */
  const resolve = (alert: OpenAlert, type: AlertType, at: Date) => {
    alert.record.resolvedAt = at;
    if (alert.record.firedAt !== null)
      notify(
        alert,
        type,
        'resolved',
        channels.filter((channel) => channel.sendResolved),
        at,
      );
  };
  const open = (type: ReplayAlert['type'], at: Date): OpenAlert => {
    const record: ReplayAlert = { type, openedAt: at, firedAt: null, resolvedAt: null };
    result.alerts.push(record);
    return { record, lastNoticeAt: new Map(), notified: false };
  };

  ticks.forEach((tick, index) => {
    const at = tick.at;
    const span = (index + 1 < ticks.length ? ticks[index + 1].at.getTime() : end.getTime()) - at.getTime();
    const step = stepRule({ threshold: thresholdState, noDataOpen: noData !== null }, tick.sample, rule, at);
    if (step.noData) {
      result.noDataEvaluations++;
      result.timeWithoutDataMs += span;
    } else if (step.observation === 'breach') {
      result.breachingEvaluations++;
      result.timeInBreachMs += span;
    }

    const decision = step.threshold;
    thresholdState = nextRuleAlertState(thresholdState, decision, at);
    if (decision.action === 'raise' && thresholdState) {
      threshold ??= open(AlertType.MetricThreshold, at);
      if (thresholdState.status === AlertStatus.Firing && threshold.record.firedAt === null) threshold.record.firedAt = at;
      afterRaise(threshold, AlertType.MetricThreshold, thresholdState.status, at);
    } else if (decision.action === 'resolve' && threshold) {
      resolve(threshold, AlertType.MetricThreshold, at);
      threshold = null;
    }

    if (step.noDataAlert.action === 'raise') {
      if (noData === null) {
        noData = open(AlertType.NoData, at);
        noData.record.firedAt = at;
      }
      afterRaise(noData, AlertType.NoData, AlertStatus.Firing, at);
    } else if (step.noDataAlert.action === 'resolve' && noData) {
      resolve(noData, AlertType.NoData, at);
      noData = null;
    }
  });

  for (const alert of result.alerts) {
    if (alert.type === AlertType.MetricThreshold && alert.firedAt !== null)
      result.firingMs += (alert.resolvedAt ?? end).getTime() - alert.firedAt.getTime();
  }
  return result;
}

/** Evaluation times start, start + interval, … before end (at most `limit`; null when more would be needed). */
export function evaluationTicks(start: Date, end: Date, intervalMs: number, limit: number): Date[] | null {
  const count = Math.ceil((end.getTime() - start.getTime()) / intervalMs);
  if (count > limit) return null;
  return Array.from({ length: count }, (_, index) => new Date(start.getTime() + index * intervalMs));
}
