/**
 * The training-run lifecycle as pure rules: statuses, allowed transitions, how timestamps are
 * defaulted and ordered, and the summary figures. No Nest or TypeORM imports.
 */
import type { FieldError } from 'src/common/errors/domain-error';
import { MAX_FUTURE_SKEW_MS } from 'src/metrics/metrics.types';

export enum TrainingRunStatus {
  Queued = 'queued',
  Running = 'running',
  Succeeded = 'succeeded',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export enum TrainingTrigger {
  Manual = 'manual',
  Scheduled = 'scheduled',
  DataDrift = 'data_drift',
  PerformanceDegradation = 'performance_degradation',
  AbTest = 'ab_test',
  Api = 'api',
}

export const TERMINAL_STATUSES: readonly TrainingRunStatus[] = [
  TrainingRunStatus.Succeeded,
  TrainingRunStatus.Failed,
  TrainingRunStatus.Cancelled,
];

/** Statuses a run may be logged with (cancelled only arises from a transition). */
export const CREATABLE_STATUSES: readonly TrainingRunStatus[] = [
  TrainingRunStatus.Queued,
  TrainingRunStatus.Running,
  TrainingRunStatus.Succeeded,
  TrainingRunStatus.Failed,
];

const TRANSITIONS: Record<TrainingRunStatus, readonly TrainingRunStatus[]> = {
  [TrainingRunStatus.Queued]: [TrainingRunStatus.Running, TrainingRunStatus.Cancelled],
  [TrainingRunStatus.Running]: [TrainingRunStatus.Succeeded, TrainingRunStatus.Failed, TrainingRunStatus.Cancelled],
  [TrainingRunStatus.Succeeded]: [],
  [TrainingRunStatus.Failed]: [],
  [TrainingRunStatus.Cancelled]: [],
};

export function isTerminal(status: TrainingRunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Whether a run whose status is `from` may be moved to `to`. Staying in a non-terminal status is no transition. */
export function canTransition(from: TrainingRunStatus, to: TrainingRunStatus): boolean {
  return (from === to && !isTerminal(from)) || TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: TrainingRunStatus): readonly TrainingRunStatus[] {
  return TRANSITIONS[from];
}

export interface RunTimestamps {
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface GivenTimestamps {
  queuedAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
}

type TimestampField = keyof RunTimestamps;
const ORDER: TimestampField[] = ['queuedAt', 'startedAt', 'finishedAt'];

/**
 * Timestamps that belong to a status: startedAt only once a run has started (running or finished),
 * finishedAt only on a terminal status. A value given for a status that cannot have it is an error.
 */
function misplacedTimestamps(status: TrainingRunStatus, given: GivenTimestamps): FieldError[] {
  const errors: FieldError[] = [];
  if (given.startedAt && status === TrainingRunStatus.Queued)
    errors.push({ field: 'startedAt', message: `cannot be set on a ${status} run` });
  if (given.finishedAt && !isTerminal(status)) errors.push({ field: 'finishedAt', message: `cannot be set on a ${status} run` });
  return errors;
}

/**
 * Checks queuedAt ≤ startedAt ≤ finishedAt over the resulting values. The field named is the
 * later one when the client gave it, else the earlier one (a server default never is the culprit).
 */
export function timestampOrderErrors(values: RunTimestamps, given: GivenTimestamps): FieldError[] {
  const errors: FieldError[] = [];
  for (let later = 1; later < ORDER.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      const earlierField = ORDER[earlier];
      const laterField = ORDER[later];
      const earlierValue = values[earlierField];
      const laterValue = values[laterField];
      if (!earlierValue || !laterValue || laterValue.getTime() >= earlierValue.getTime()) continue;
      const field = given[laterField] ? laterField : earlierField;
      if (errors.some((error) => error.field === field)) continue;
      errors.push({
        field,
        message: field === laterField ? `must not be before ${earlierField}` : `must not be after ${laterField}`,
      });
    }
  }
  return errors;
}

/**
 * A run cannot have been queued, started or finished later than now; client times may run ahead of
 * the server clock by the same tolerance metric points get (finishedAt becomes their recordedAt).
 */
export function futureTimestampErrors(given: GivenTimestamps, now: Date): FieldError[] {
  return ORDER.filter((field) => {
    const value = given[field];
    return value !== undefined && value.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS;
  }).map((field) => ({ field, message: 'must not be more than 5 minutes in the future' }));
}

function latest(...dates: (Date | null | undefined)[]): Date {
  return new Date(Math.max(...dates.filter((date): date is Date => !!date).map((date) => date.getTime())));
}

function earliest(...dates: (Date | null | undefined)[]): Date {
  return new Date(Math.min(...dates.filter((date): date is Date => !!date).map((date) => date.getTime())));
}

/**
 * Timestamps of a newly logged run. Missing ones come from the clock, never later than a given
 * later timestamp: queuedAt = earliest of (now, startedAt, finishedAt); a running run starts now;
 * a run logged as finished ends now when finishedAt is missing and keeps startedAt unknown (null)
 * unless given, so its duration is not invented.
 */
export function resolveCreateTimestamps(
  status: TrainingRunStatus,
  given: GivenTimestamps,
  now: Date,
): { timestamps: RunTimestamps; errors: FieldError[] } {
  const misplaced = [...misplacedTimestamps(status, given), ...futureTimestampErrors(given, now)];
  if (misplaced.length > 0) return { timestamps: { queuedAt: now, startedAt: null, finishedAt: null }, errors: misplaced };
  const finishedAt = isTerminal(status) ? (given.finishedAt ?? now) : null;
  const startedAt = status === TrainingRunStatus.Running ? (given.startedAt ?? now) : (given.startedAt ?? null);
  const queuedAt = given.queuedAt ?? earliest(now, startedAt, finishedAt);
  const timestamps = { queuedAt, startedAt, finishedAt };
  return { timestamps, errors: timestampOrderErrors(timestamps, given) };
}

/**
 * Timestamps after moving `current` from `from` to `to`. The server sets startedAt on the move to
 * running and finishedAt on the move to a terminal status when the client did not give them,
 * clamped so they never precede the run's earlier timestamps.
 */
export function resolveTransitionTimestamps(
  from: TrainingRunStatus,
  to: TrainingRunStatus,
  current: RunTimestamps,
  given: Omit<GivenTimestamps, 'queuedAt'>,
  now: Date,
): { timestamps: RunTimestamps; errors: FieldError[] } {
  const starting = from === TrainingRunStatus.Queued && to === TrainingRunStatus.Running;
  const finishing = !isTerminal(from) && isTerminal(to);
  const misplaced: FieldError[] = [];
  if (given.startedAt && !starting)
    misplaced.push({ field: 'startedAt', message: 'can only be set when the run starts (queued → running)' });
  if (given.finishedAt && !finishing) misplaced.push({ field: 'finishedAt', message: 'can only be set when the run finishes' });
  misplaced.push(...futureTimestampErrors(given, now));
  if (misplaced.length > 0) return { timestamps: current, errors: misplaced };
  const startedAt = starting ? (given.startedAt ?? latest(now, current.queuedAt)) : current.startedAt;
  const finishedAt = finishing ? (given.finishedAt ?? latest(now, current.queuedAt, startedAt)) : current.finishedAt;
  const timestamps = { queuedAt: current.queuedAt, startedAt, finishedAt };
  return { timestamps, errors: timestampOrderErrors(timestamps, given) };
}

/** Duration of a run: finishedAt − startedAt in seconds; null while either is unknown. */
export function durationSeconds(startedAt: Date | null, finishedAt: Date | null): number | null {
  if (!startedAt || !finishedAt) return null;
  return (finishedAt.getTime() - startedAt.getTime()) / 1000;
}

/** successRate = succeeded / (succeeded + failed): cancelled and unfinished runs say nothing about quality; null when none finished. */
export function successRate(succeeded: number, failed: number): number | null {
  const finished = succeeded + failed;
  return finished === 0 ? null : succeeded / finished;
}

const DAY_MS = 86_400_000;

/** Days (fractional) from `since` to `now`, never negative; null when there is no `since`. */
export function daysSince(since: Date | null, now: Date): number | null {
  if (!since) return null;
  return Math.max(0, now.getTime() - since.getTime()) / DAY_MS;
}

/** `error` explains a failure: required on a failed run, meaningless on any other. */
export function errorFieldErrors(status: TrainingRunStatus, error: string | null | undefined): FieldError[] {
  if (status === TrainingRunStatus.Failed && !error) return [{ field: 'error', message: 'is required when status is failed' }];
  if (status !== TrainingRunStatus.Failed && error) return [{ field: 'error', message: 'can only be set on a failed run' }];
  return [];
}

/** What a finished run produced is history: its results stay as recorded (notes and links may still change). */
export const RESULT_FIELDS = ['modelVersion', 'metrics', 'error'] as const;

export function frozenResultFields(status: TrainingRunStatus, changes: Partial<Record<(typeof RESULT_FIELDS)[number], unknown>>): string[] {
  if (!isTerminal(status)) return [];
  return RESULT_FIELDS.filter((field) => changes[field] !== undefined);
}

/** A period given as from/to: `to` must not precede `from` (the later field is the one named). */
export function periodErrors(from: Date | undefined, to: Date | undefined, toField: string): FieldError[] {
  return from && to && to.getTime() < from.getTime() ? [{ field: toField, message: 'must not be before from' }] : [];
}

export interface RunGroup {
  status: TrainingRunStatus;
  trigger: TrainingTrigger;
  count: number;
  /** Runs in the group whose start and finish are both known, and the sum of their durations. */
  timedCount: number;
  durationSecondsSum: number;
}

export interface RunCounts {
  totalRuns: number;
  byStatus: Record<TrainingRunStatus, number>;
  byTrigger: Record<TrainingTrigger, number>;
  meanDurationSeconds: number | null;
}

function zeroCounts<Key extends string>(keys: Key[]): Record<Key, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<Key, number>;
}

/** Totals per status and trigger (every key present, zero when absent), and the mean duration of succeeded runs. */
export function summarizeRunGroups(groups: RunGroup[]): RunCounts {
  const byStatus = zeroCounts(Object.values(TrainingRunStatus));
  const byTrigger = zeroCounts(Object.values(TrainingTrigger));
  let totalRuns = 0;
  let timedSucceeded = 0;
  let succeededSeconds = 0;
  for (const group of groups) {
    totalRuns += group.count;
    byStatus[group.status] += group.count;
    byTrigger[group.trigger] += group.count;
    if (group.status === TrainingRunStatus.Succeeded) {
      timedSucceeded += group.timedCount;
      succeededSeconds += group.durationSecondsSum;
    }
  }
  // meanDurationSeconds = Σ(finishedAt − startedAt) / n over succeeded runs with a known start (arithmetic mean).
  const meanDurationSeconds = timedSucceeded === 0 ? null : succeededSeconds / timedSucceeded;
  return { totalRuns, byStatus, byTrigger, meanDurationSeconds };
}
