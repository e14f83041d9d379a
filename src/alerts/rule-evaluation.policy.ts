/**
 * One evaluation of a threshold rule, as a pure function: what the live evaluator applies to the database and what
 * the backtest (rule-replay.policy.ts) applies to its simulated state, so both run the same state machine.
 * Anchors: Prometheus `for`, Grafana `keep_firing_for` and No Data handling (Normal / Alerting / Keep Last State,
 * plus the separate DatasourceNoData alert, here `no_data`).
 */
import { AlertStatus, RuleComparator, RuleNoData } from 'src/alerts/alert.enums';
import {
  breaches,
  decideRuleAlert,
  type RuleAlertState,
  type RuleDecision,
  type RuleObservation,
  type RuleTiming,
} from 'src/alerts/alert.policy';

const MINUTE_MS = 60_000;

/** What one evaluation reads from the stored points. */
export interface RuleSample {
  /** The aggregate over [now − windowMinutes, now]; null when that window holds no point. */
  value: number | null;
  /** The latest point in [now − max(windowMinutes, noDataMinutes), now], or null (only read when noDataMinutes is set). */
  lastPointAt: Date | null;
}

/** The rule fields its evaluation depends on. */
export interface RuleEvaluationSpec extends RuleTiming {
  comparator: RuleComparator;
  threshold: number;
  windowMinutes: number;
  noData: RuleNoData;
  /** Null: no `no_data` alert, and "no data" means an empty window. */
  noDataMinutes: number | null;
}

/** The rule's open alerts, as far as its evaluation is concerned. */
export interface RuleAlertStates {
  /** Its open metric_threshold alert. */
  threshold: RuleAlertState | null;
  /** Whether its no_data alert is open. */
  noDataOpen: boolean;
}

export type NoDataDecision = { action: 'none' } | { action: 'raise' } | { action: 'resolve' };

export interface RuleStep {
  /** The rule has no data: no point for noDataMinutes (or, without it, an empty window). */
  noData: boolean;
  /** What the threshold state machine was fed (after the noData option). */
  observation: RuleObservation;
  threshold: RuleDecision;
  noDataAlert: NoDataDecision;
}

/** How far back an evaluation must look for `lastPointAt`. */
export function lookbackMinutes(rule: Pick<RuleEvaluationSpec, 'windowMinutes' | 'noDataMinutes'>): number {
  return Math.max(rule.windowMinutes, rule.noDataMinutes ?? 0);
}

/**
 * "No points for N minutes": no point in [now − noDataMinutes, now] (the closed window rules use). Without
 * noDataMinutes, Grafana's definition: the rule's window is empty.
 */
export function hasNoData(sample: RuleSample, rule: Pick<RuleEvaluationSpec, 'noDataMinutes'>, now: Date): boolean {
  if (rule.noDataMinutes === null) return sample.value === null;
  return sample.lastPointAt === null || sample.lastPointAt.getTime() < now.getTime() - rule.noDataMinutes * MINUTE_MS;
}

const NO_DATA_OBSERVATION: Record<RuleNoData, RuleObservation> = {
  [RuleNoData.Ok]: 'clear',
  [RuleNoData.Alerting]: 'breach',
  [RuleNoData.KeepLast]: 'no_data',
};

/**
 * The one evaluation step of a rule, used by the live evaluator and the backtest:
 * - no data: the threshold alert gets what `noData` says (ok → clear, alerting → breach, keep-last → unchanged), and
 *   with noDataMinutes the `no_data` alert is raised (firing at once, as Grafana's DatasourceNoData; repeated while it lasts);
 * - otherwise: a window without points (possible while noDataMinutes > windowMinutes) changes nothing, a value is
 *   compared with the threshold; an open `no_data` alert resolves (points arrived again, or the option was removed).
 */
export function stepRule(states: RuleAlertStates, sample: RuleSample, rule: RuleEvaluationSpec, now: Date): RuleStep {
  const noData = hasNoData(sample, rule, now);
  const observation: RuleObservation = noData
    ? NO_DATA_OBSERVATION[rule.noData]
    : sample.value === null
      ? 'no_data'
      : breaches(sample.value, rule.comparator, rule.threshold)
        ? 'breach'
        : 'clear';
  const raiseNoData = noData && rule.noDataMinutes !== null;
  const noDataAlert: NoDataDecision = raiseNoData ? { action: 'raise' } : states.noDataOpen ? { action: 'resolve' } : { action: 'none' };
  return { noData, observation, threshold: decideRuleAlert(states.threshold, observation, rule, now), noDataAlert };
}

/**
 * The threshold alert after a decision, as the database applies it (AlertsRepository.upsert: a new alert starts
 * pending or firing at `now`; a raise promotes pending to firing, never demotes, and cancels the keep-firing countdown).
 */
export function nextRuleAlertState(current: RuleAlertState | null, decision: RuleDecision, now: Date): RuleAlertState | null {
  switch (decision.action) {
    case 'none':
      return current;
    case 'resolve':
      return null;
    case 'start_clearing':
      return current && { ...current, clearedSince: decision.since };
    case 'raise':
      if (current === null) {
        const status = decision.status === AlertStatus.Firing ? AlertStatus.Firing : AlertStatus.Pending;
        return { status, pendingSince: now, clearedSince: null };
      }
      return {
        status: current.status === AlertStatus.Pending && decision.status === AlertStatus.Firing ? AlertStatus.Firing : current.status,
        pendingSince: current.pendingSince,
        clearedSince: null,
      };
  }
}

/** Title and message of a rule's `no_data` alert. */
export function describeNoDataAlert(
  rule: { name: string | null; metricName: string; environment: string; noDataMinutes: number | null },
  lastPointAt: Date | null,
): { title: string; message: string } {
  const last = lastPointAt === null ? '' : ` (the last at ${lastPointAt.toISOString()})`;
  return {
    title: `No data: ${rule.name ?? rule.metricName}`,
    message: `No ${rule.metricName} points in ${rule.environment} for at least ${rule.noDataMinutes} min${last}.`,
  };
}
