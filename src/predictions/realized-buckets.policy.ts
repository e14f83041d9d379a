/**
 * Realized metrics of a binary classifier per time bucket, assembled from what one SQL GROUP BY returns: the
 * predictions of each bucket grouped by (score, predicted class, label), with their count. Every value comes from the
 * pure metric functions of realized.stats.ts (one formula each); the SQL only counts. Pure: no framework.
 */
import {
  accuracy,
  mae,
  mape,
  multiclassAccuracy,
  multiclassF1,
  multiclassMacroAuc,
  multiclassMacroPrecisionRecall,
  r2,
  rmse,
  f1,
  labelCoverage,
  meanLoss,
  positiveRate,
  precision,
  recall,
} from 'src/predictions/realized.stats';
import {
  applyMove,
  type BinaryBinStats,
  binnedAuc,
  confusionOf,
  emptyBinaryBinStats,
  mergeInto,
  totalsOf,
} from 'src/predictions/realized-rollup.policy';
import {
  applyMulticlassMove,
  emptyMulticlassHourStats,
  mergeMulticlassStats,
  type MulticlassHourStats,
} from 'src/predictions/multiclass-rollup.policy';
import {
  applyRegressionMove,
  emptyRegressionHourStats,
  mergeRegressionStats,
  type RegressionHourStats,
} from 'src/predictions/regression-rollup.policy';

/** Metric names computed from logged predictions and labels, as GET /metrics/trend serves them. */
export const REALIZED_BINARY_METRICS = [
  'realized.accuracy',
  'realized.precision',
  'realized.recall',
  'realized.f1',
  'realized.positive_rate',
  'realized.auc',
  'realized.log_loss',
  'realized.brier',
  'labels.coverage',
  'labels.delay_p50',
  'labels.delay_p95',
] as const;
export type RealizedBinaryMetric = (typeof REALIZED_BINARY_METRICS)[number];

const LABEL_METRICS = ['labels.coverage', 'labels.delay_p50', 'labels.delay_p95'] as const;
export const REALIZED_MULTICLASS_METRICS = [
  'realized.accuracy',
  'realized.macro_precision',
  'realized.macro_recall',
  'realized.macro_f1',
  'realized.weighted_f1',
  'realized.macro_auc',
  'realized.log_loss',
  ...LABEL_METRICS,
] as const;
export type RealizedMulticlassMetric = (typeof REALIZED_MULTICLASS_METRICS)[number];
export const REALIZED_REGRESSION_METRICS = ['realized.mae', 'realized.rmse', 'realized.mape', 'realized.r2', ...LABEL_METRICS] as const;
export type RealizedRegressionMetric = (typeof REALIZED_REGRESSION_METRICS)[number];

/** Multiclass predictions of one bucket with the same predicted class, label (null: unlabelled) and p(label). */
export interface MulticlassGroupRow {
  bucket: number;
  predictedClass: string;
  labelClass: string | null;
  /** The predicted probability of the true class (null when the class is absent or unlabelled). */
  labelProbability: number | null;
  count: number;
}

/** Regression predictions of one bucket with the same prediction and label (null: unlabelled). */
export interface RegressionGroupRow {
  bucket: number;
  prediction: number;
  labelValue: number | null;
  count: number;
}

/** Predictions of one bucket with the same score, predicted class ('0'/'1') and label ('0'/'1', or null: not labelled). */
export interface BinaryGroupRow {
  bucket: number;
  score: number;
  predictedClass: string;
  labelClass: string | null;
  count: number;
}

/** Label delay quantiles of one bucket (seconds, percentile_cont), over its labelled predictions. */
export interface DelayRow {
  bucket: number;
  p50: number;
  p95: number;
}

export interface BucketValue {
  bucket: number;
  value: number;
  /** Predictions the value was computed from: labelled ones for realized metrics, all for label coverage. */
  count: number;
  /** Estimated (CBPE) values only: their band, estimate ∓ 3 standard errors clipped to [0, 1] (absent when undefined). */
  lower?: number;
  upper?: number;
  /** realized.auc only: |value − exact AUC| ≤ errorBound (the score histogram's bound, binnedAucErrorBound). */
  errorBound?: number;
}

/** Statistics of one bucket, from the rollup, the raw rows or both (merged by addition). */
export interface BinaryBucketStats {
  bucket: number;
  stats: BinaryBinStats;
}

/** Raw grouped rows sorted by bucket as per-bucket statistics, the same shape the rollup stores. */
export function binaryStatsFromGroups(rows: readonly BinaryGroupRow[]): BinaryBucketStats[] {
  const buckets: BinaryBucketStats[] = [];
  for (const row of rows) {
    let last = buckets[buckets.length - 1];
    if (!last || last.bucket !== row.bucket) buckets.push((last = { bucket: row.bucket, stats: emptyBinaryBinStats() }));
    const to = row.labelClass === null ? null : row.labelClass === '1' ? '1' : '0';
    applyMove(last.stats, { predictedClass: row.predictedClass, score: row.score, to, count: row.count });
  }
  return buckets;
}

/** Per-bucket statistics from several sources (rollup hours, raw edges) merged per bucket, ascending. */
export function mergeBucketStats(...sources: readonly BinaryBucketStats[][]): BinaryBucketStats[] {
  return mergeBuckets(sources, emptyBinaryBinStats, mergeInto);
}

/** Entries of the same bucket added into a fresh one (`add`), the sources left as they are; ascending by bucket. */
function mergeBuckets<Stats>(
  sources: readonly (readonly { bucket: number; stats: Stats }[])[],
  empty: () => Stats,
  add: (into: Stats, from: Stats) => void,
): { bucket: number; stats: Stats }[] {
  const merged = new Map<number, { bucket: number; stats: Stats }>();
  for (const source of sources)
    for (const entry of source) {
      const existing = merged.get(entry.bucket);
      if (!existing) merged.set(entry.bucket, entry);
      else {
        const into = { bucket: entry.bucket, stats: empty() };
        add(into.stats, existing.stats);
        add(into.stats, entry.stats);
        merged.set(entry.bucket, into);
      }
    }
  return [...merged.values()].sort((a, b) => a.bucket - b.bucket);
}

/**
 * One metric per bucket. Buckets where the metric is undefined (no labels yet, a class absent for AUC, no positive
 * prediction for precision) are left out, as a pushed series has no point there. AUC is the score-histogram AUC
 * (realized-rollup.policy.ts), within binnedAucErrorBound of the exact one; the other metrics are exact.
 */
export function binaryBucketValues(
  metric: RealizedBinaryMetric,
  buckets: readonly BinaryBucketStats[],
  delays: readonly DelayRow[],
): BucketValue[] {
  const totals = new Map(buckets.map(({ bucket, stats }) => [bucket, totalsOf(stats)]));
  if (metric === 'labels.coverage' || metric === 'labels.delay_p50' || metric === 'labels.delay_p95')
    return labelMetricValues(metric, totals, delays);
  const compute: Record<Exclude<typeof metric, 'realized.auc'>, (b: BinaryBinStats) => number | null> = {
    'realized.accuracy': (b) => accuracy(confusionOf(b)),
    'realized.precision': (b) => precision(confusionOf(b)),
    'realized.recall': (b) => recall(confusionOf(b)),
    'realized.f1': (b) => f1(confusionOf(b)),
    'realized.positive_rate': (b) => positiveRate(confusionOf(b)),
    'realized.log_loss': (b) => meanLoss(totalsOf(b).logLoss, totalsOf(b).labelled),
    'realized.brier': (b) => meanLoss(totalsOf(b).brier, totalsOf(b).labelled),
  };
  const values: BucketValue[] = [];
  for (const { bucket, stats } of buckets) {
    const count = totals.get(bucket)!.labelled;
    if (metric === 'realized.auc') {
      const { auc, errorBound } = binnedAuc(stats);
      if (auc !== null) values.push({ bucket, value: auc, count, errorBound: errorBound! });
      continue;
    }
    const value = compute[metric](stats);
    if (value !== null) values.push({ bucket, value, count });
  }
  return values;
}

/** Coverage and delay points, shared by every task type: `labelled` and `total` per bucket. */
function labelMetricValues(
  metric: (typeof LABEL_METRICS)[number],
  totals: Map<number, { labelled: number; total: number }>,
  delays: readonly DelayRow[],
): BucketValue[] {
  if (metric === 'labels.coverage') {
    return [...totals]
      .sort((a, b) => a[0] - b[0])
      .map(([bucket, { labelled: n, total }]) => ({ bucket, value: labelCoverage(n, total) as number, count: total }));
  }
  return delays.map((row) => ({
    bucket: row.bucket,
    value: metric === 'labels.delay_p50' ? row.p50 : row.p95,
    count: totals.get(row.bucket)?.labelled ?? 0,
  }));
}

/** Multiclass predictions of one bucket with the same probabilities, predicted class and label (null: unlabelled). */
export interface MulticlassProbabilityRow {
  bucket: number;
  probabilities: Record<string, number>;
  labelClass: string | null;
  count: number;
}

/** realized.macro_auc per bucket from its labelled predictions' probabilities (multiclassMacroAuc); undefined buckets left out. */
export function multiclassAucBucketValues(rows: readonly MulticlassProbabilityRow[]): BucketValue[] {
  const buckets = new Map<number, { probabilities: Record<string, number>; label: string; count: number }[]>();
  for (const row of rows) {
    if (row.labelClass === null) continue;
    const observations = buckets.get(row.bucket) ?? [];
    observations.push({ probabilities: row.probabilities, label: row.labelClass, count: row.count });
    buckets.set(row.bucket, observations);
  }
  const values: BucketValue[] = [];
  for (const [bucket, observations] of [...buckets].sort((a, b) => a[0] - b[0])) {
    const value = multiclassMacroAuc(observations);
    if (value !== null) values.push({ bucket, value, count: observations.reduce((sum, o) => sum + o.count, 0) });
  }
  return values;
}

/** A multiclass bucket's predictions and the statistics of its labelled ones, from the rollup, the raw rows or both. */
export interface MulticlassBucketStats {
  bucket: number;
  stats: MulticlassHourStats;
}

/** Raw grouped rows sorted by bucket as per-bucket statistics, the same shape the rollup stores. */
export function multiclassStatsFromGroups(rows: readonly MulticlassGroupRow[]): MulticlassBucketStats[] {
  const buckets: MulticlassBucketStats[] = [];
  for (const row of rows) {
    let last = buckets[buckets.length - 1];
    if (!last || last.bucket !== row.bucket) buckets.push((last = { bucket: row.bucket, stats: emptyMulticlassHourStats() }));
    const to = row.labelClass === null ? null : { label: row.labelClass, probability: row.labelProbability };
    applyMulticlassMove(last.stats, { predictedClass: row.predictedClass, from: undefined, to, count: row.count });
  }
  return buckets;
}

export function mergeMulticlassBucketStats(...sources: readonly MulticlassBucketStats[][]): MulticlassBucketStats[] {
  return mergeBuckets(sources, emptyMulticlassHourStats, mergeMulticlassStats);
}

/** Multiclass realized metrics per bucket (undefined buckets left out, as for binary); realized.macro_auc: multiclassAucBucketValues. */
export function multiclassBucketValues(
  metric: Exclude<RealizedMulticlassMetric, 'realized.macro_auc'>,
  buckets: readonly MulticlassBucketStats[],
  delays: readonly DelayRow[],
): BucketValue[] {
  const totals = new Map(buckets.map(({ bucket, stats }) => [bucket, { labelled: stats.labelled, total: stats.predictions }]));
  if (metric === 'labels.coverage' || metric === 'labels.delay_p50' || metric === 'labels.delay_p95')
    return labelMetricValues(metric, totals, delays);
  const values: BucketValue[] = [];
  for (const { bucket, stats } of buckets) {
    const { counts, logLoss, labelled: n } = stats;
    const value =
      metric === 'realized.accuracy'
        ? multiclassAccuracy(counts)
        : metric === 'realized.log_loss'
          ? meanLoss(logLoss, n)
          : metric === 'realized.macro_precision' || metric === 'realized.macro_recall'
            ? multiclassMacroPrecisionRecall(counts)[metric === 'realized.macro_precision' ? 'precision' : 'recall']
            : multiclassF1(counts)[metric === 'realized.macro_f1' ? 'macro' : 'weighted'];
    if (value !== null) values.push({ bucket, value, count: n });
  }
  return values;
}

/** A regression bucket's predictions and the sums over its labelled ones, from the rollup, the raw rows or both. */
export interface RegressionBucketStats {
  bucket: number;
  stats: RegressionHourStats;
}

/** Raw grouped rows sorted by bucket as per-bucket statistics, the same shape the rollup stores. */
export function regressionStatsFromGroups(rows: readonly RegressionGroupRow[]): RegressionBucketStats[] {
  const buckets: RegressionBucketStats[] = [];
  for (const row of rows) {
    let last = buckets[buckets.length - 1];
    if (!last || last.bucket !== row.bucket) buckets.push((last = { bucket: row.bucket, stats: emptyRegressionHourStats() }));
    applyRegressionMove(last.stats, { prediction: row.prediction, from: undefined, to: row.labelValue, count: row.count });
  }
  return buckets;
}

export function mergeRegressionBucketStats(...sources: readonly RegressionBucketStats[][]): RegressionBucketStats[] {
  return mergeBuckets(sources, emptyRegressionHourStats, mergeRegressionStats);
}

/** Regression realized metrics per bucket (buckets without a labelled prediction left out). */
export function regressionBucketValues(
  metric: RealizedRegressionMetric,
  buckets: readonly RegressionBucketStats[],
  delays: readonly DelayRow[],
): BucketValue[] {
  const totals = new Map(buckets.map(({ bucket, stats }) => [bucket, { labelled: stats.sums.count, total: stats.predictions }]));
  if (metric === 'labels.coverage' || metric === 'labels.delay_p50' || metric === 'labels.delay_p95')
    return labelMetricValues(metric, totals, delays);
  const compute = { 'realized.mae': mae, 'realized.rmse': rmse, 'realized.mape': mape, 'realized.r2': r2 }[metric];
  const values: BucketValue[] = [];
  for (const { bucket, stats } of buckets) {
    const value = compute(stats.sums);
    if (value !== null) values.push({ bucket, value, count: stats.sums.count });
  }
  return values;
}
