/**
 * Threshold rules on computed metrics (realized.*, labels.* and every family of the ComputedMetrics registry): what an
 * evaluation reads and how the bucket values the trend serves become the one sample the rule state machine
 * (rule-evaluation.policy.ts) steps on. Pure: the live evaluator and the backtest both call it on bucket values read
 * through the registry, so nothing here derives a metric again.
 *
 * A computed series has one value per bucket. A rule's window is [now − evaluationLag − window, now − evaluationLag]
 * and holds the buckets that ended inside it: complete buckets only (one still filling, or one whose labels the lag
 * says are not due yet, is not judged), so a window of one bucket's length always holds exactly the latest such bucket.
 * The no-data check counts back from `now` itself: a bucket is data from its start on, so "no data for noDataMinutes"
 * means no non-empty bucket starting in [now − noDataMinutes, now].
 */
import { RuleAggregation } from 'src/alerts/alert.enums';
import type { RuleSample } from 'src/alerts/rule-evaluation.policy';
import type { FieldError } from 'src/common/errors/domain-error';
import { BUCKET_MS, type BucketSize } from 'src/metrics/buckets.policy';
import { aggregateSeriesValues } from 'src/metrics/computed-metrics.stats';
import type { MetricAggregation } from 'src/metrics/metrics.types';

const MINUTE_MS = 60_000;
export const DEFAULT_COMPUTED_BUCKET: BucketSize = '1h';

/** One value of a computed series: `bucket` is the epoch-aligned bucket index (start = bucket · bucketMs). */
export interface ComputedBucketValue {
  bucket: number;
  value: number;
}

/** The rule fields that say how a computed series is read. */
export interface ComputedRuleSpec {
  aggregation: RuleAggregation;
  windowMinutes: number;
  evaluationLagMinutes: number;
  noDataMinutes: number | null;
  bucketMs: number;
}

/**
 * The bucket/lag settings of a rule checked against what it watches: bucket and a lag only make sense for a computed
 * metric, and a computed metric's window must hold at least one whole bucket.
 */
export function computedRuleErrors(rule: {
  computed: boolean;
  bucket: BucketSize | null | undefined;
  evaluationLagMinutes: number;
  windowMinutes: number;
}): FieldError[] {
  if (!rule.computed) {
    const errors: FieldError[] = [];
    if (rule.bucket !== undefined && rule.bucket !== null)
      errors.push({ field: 'bucket', message: 'only for a computed metric (realized.*, labels.* …); a pushed metric has no buckets' });
    if (rule.evaluationLagMinutes > 0) errors.push({ field: 'evaluationLagMinutes', message: 'only for a computed metric; use 0' });
    return errors;
  }
  const bucketMinutes = BUCKET_MS[rule.bucket ?? DEFAULT_COMPUTED_BUCKET] / MINUTE_MS;
  return rule.windowMinutes < bucketMinutes
    ? [
        {
          field: 'windowMinutes',
          message: `must span at least one ${rule.bucket ?? DEFAULT_COMPUTED_BUCKET} bucket (${bucketMinutes} min)`,
        },
      ]
    : [];
}

function windowOf(rule: ComputedRuleSpec, now: Date): { start: number; end: number } {
  const end = now.getTime() - rule.evaluationLagMinutes * MINUTE_MS;
  return { start: end - rule.windowMinutes * MINUTE_MS, end };
}

/**
 * The range [from, to) an evaluation at `now` reads: from the start of the first bucket ending inside the window (or
 * of the no-data lookback, when it reaches further back) to now inclusive, each bucket read whole so its value is the
 * one GET /metrics/trend shows.
 */
export function computedReadRange(rule: ComputedRuleSpec, now: Date): { from: Date; to: Date } {
  const lookbackStart = rule.noDataMinutes === null ? Infinity : now.getTime() - rule.noDataMinutes * MINUTE_MS;
  const earliest = Math.min(windowOf(rule, now).start, lookbackStart);
  return { from: new Date(Math.floor(earliest / rule.bucketMs) * rule.bucketMs), to: new Date(now.getTime() + 1) };
}

/**
 * The sample of one evaluation at `now` from the series' values (in bucket order; values of buckets starting after
 * `now` are ignored, so a backtest over today's data sees what the evaluator saw at each tick, labels aside).
 * `count` is the number of buckets aggregated.
 */
export function computedSample(values: readonly ComputedBucketValue[], rule: ComputedRuleSpec, now: Date): RuleSample & { count: number } {
  const { start, end } = windowOf(rule, now);
  // Bucket b ends at (b + 1)·bucketMs: in the window when start < (b + 1)·bucketMs ≤ end. The no-data check sees
  // the buckets up to the one holding `now`.
  const inWindow = values.slice(
    firstAtOrAfter(values, Math.floor(start / rule.bucketMs)),
    firstAtOrAfter(values, Math.floor(end / rule.bucketMs)),
  );
  const started = firstAtOrAfter(values, Math.floor(now.getTime() / rule.bucketMs) + 1);
  const lastPointAt = rule.noDataMinutes === null || started === 0 ? null : new Date(values[started - 1].bucket * rule.bucketMs);
  return { value: aggregateBucketValues(inWindow, rule.aggregation), count: inWindow.length, lastPointAt };
}

/** The index of the first value whose bucket is ≥ `bucket` (values in bucket order; binary search). */
function firstAtOrAfter(values: readonly ComputedBucketValue[], bucket: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle].bucket < bucket) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * A rule's aggregation over one value per bucket, as the SQL aggregates pushed points (aggregateSeriesValues: avg the
 * unweighted mean of the bucket values, min/max, p50/p95 by linear interpolation, last the latest bucket's value).
 */
export function aggregateBucketValues(values: readonly ComputedBucketValue[], aggregation: RuleAggregation): number | null {
  // Every rule aggregation is a metric aggregation of the same name (alert.enums.ts).
  return aggregateSeriesValues(values, aggregation as unknown as MetricAggregation);
}
