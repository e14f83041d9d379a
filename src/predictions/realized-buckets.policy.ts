/**
 * Realized metrics of a binary classifier per time bucket, assembled from what one SQL GROUP BY returns: the
 * predictions of each bucket grouped by (score, predicted class, label), with their count. Every value comes from the
 * pure metric functions of realized.stats.ts (one formula each); the SQL only counts. Pure: no framework.
 */
import {
  accuracy,
  addToMulticlassCounts,
  addToRegressionSums,
  emptyRegressionSums,
  mae,
  mape,
  multiclassAccuracy,
  type MulticlassCounts,
  multiclassF1,
  multiclassLogLossTerm,
  r2,
  type RegressionSums,
  rmse,
  aucFromScoreGroups,
  binaryLogLossTerm,
  brierTerm,
  type ConfusionCounts,
  f1,
  labelCoverage,
  meanLoss,
  positiveRate,
  precision,
  recall,
  type ScoreGroup,
} from 'src/predictions/realized.stats';

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
  'realized.macro_f1',
  'realized.weighted_f1',
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

/** Metric names reserved for computed series (a pushed point may not use them). */
export function isComputedMetricName(name: string): boolean {
  return (
    name.startsWith('realized.') || name.startsWith('labels.') || name.startsWith('estimated.') || name.startsWith('estimation_error.')
  );
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
}

interface BinaryStats {
  confusion: ConfusionCounts;
  groups: ScoreGroup[];
  logLoss: number;
  brier: number;
  labelled: number;
}

/**
 * One metric per bucket from grouped rows sorted by (bucket, score). Buckets where the metric is undefined (no
 * labels yet, a class absent for AUC, no positive prediction for precision) are left out, as a pushed series has no
 * point there.
 */
export function binaryBucketValues(
  metric: RealizedBinaryMetric,
  rows: readonly BinaryGroupRow[],
  delays: readonly DelayRow[],
): BucketValue[] {
  const { totals, stats } = bucketed(
    rows,
    (): BinaryStats => ({
      confusion: { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 },
      groups: [],
      logLoss: 0,
      brier: 0,
      labelled: 0,
    }),
    (bucket, i, total) => {
      const row = rows[i];
      if (row.labelClass === null) return;
      total.labelled += row.count;
      bucket.labelled += row.count;
      const label = row.labelClass === '1' ? 1 : 0;
      const predicted = row.predictedClass === '1';
      const c = bucket.confusion;
      if (predicted && label) c.truePositives += row.count;
      else if (predicted) c.falsePositives += row.count;
      else if (label) c.falseNegatives += row.count;
      else c.trueNegatives += row.count;
      const last = bucket.groups[bucket.groups.length - 1];
      const group = last && last.score === row.score ? last : { score: row.score, positives: 0, negatives: 0 };
      if (group !== last) bucket.groups.push(group);
      if (label) group.positives += row.count;
      else group.negatives += row.count;
      bucket.logLoss += row.count * binaryLogLossTerm(label, row.score);
      bucket.brier += row.count * brierTerm(label, row.score);
    },
  );
  if (metric === 'labels.coverage' || metric === 'labels.delay_p50' || metric === 'labels.delay_p95')
    return labelMetricValues(metric, totals, delays);
  const compute: Record<typeof metric, (b: BinaryStats) => number | null> = {
    'realized.accuracy': (b) => accuracy(b.confusion),
    'realized.precision': (b) => precision(b.confusion),
    'realized.recall': (b) => recall(b.confusion),
    'realized.f1': (b) => f1(b.confusion),
    'realized.positive_rate': (b) => positiveRate(b.confusion),
    'realized.auc': (b) => aucFromScoreGroups(b.groups),
    'realized.log_loss': (b) => meanLoss(b.logLoss, b.labelled),
    'realized.brier': (b) => meanLoss(b.brier, b.labelled),
  };
  const values: BucketValue[] = [];
  for (const [bucket, binary] of stats) {
    const value = compute[metric](binary);
    if (value !== null) values.push({ bucket, value, count: binary.labelled });
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

/** Per-bucket stats built by `add` (given the bucket's stats, the row index and the bucket's labelled/total counts). */
function bucketed<Stats>(
  rows: readonly { bucket: number; count: number }[],
  empty: () => Stats,
  add: (stats: Stats, i: number, total: { labelled: number; total: number }) => void,
) {
  const totals = new Map<number, { labelled: number; total: number }>();
  const stats = new Map<number, Stats>();
  rows.forEach((row, i) => {
    const total = totals.get(row.bucket) ?? { labelled: 0, total: 0 };
    total.total += row.count;
    totals.set(row.bucket, total);
    if (!stats.has(row.bucket)) stats.set(row.bucket, empty());
    add(stats.get(row.bucket)!, i, total);
  });
  return { totals, stats: [...stats].sort((a, b) => a[0] - b[0]) };
}

/** Multiclass realized metrics per bucket (undefined buckets left out, as for binary). */
export function multiclassBucketValues(
  metric: RealizedMulticlassMetric,
  rows: readonly MulticlassGroupRow[],
  delays: readonly DelayRow[],
): BucketValue[] {
  const { totals, stats } = bucketed(
    rows,
    () => ({ counts: new Map() as MulticlassCounts, logLoss: 0, labelled: 0 }),
    (bucket, i, total) => {
      const row = rows[i];
      if (row.labelClass === null) return;
      total.labelled += row.count;
      bucket.labelled += row.count;
      addToMulticlassCounts(bucket.counts, row.labelClass, row.predictedClass, row.count);
      bucket.logLoss += row.count * multiclassLogLossTerm(row.labelClass, { [row.labelClass]: row.labelProbability ?? 0 });
    },
  );
  if (metric === 'labels.coverage' || metric === 'labels.delay_p50' || metric === 'labels.delay_p95')
    return labelMetricValues(metric, totals, delays);
  const values: BucketValue[] = [];
  for (const [bucket, { counts, logLoss, labelled: n }] of stats) {
    const value =
      metric === 'realized.accuracy'
        ? multiclassAccuracy(counts)
        : metric === 'realized.log_loss'
          ? meanLoss(logLoss, n)
          : multiclassF1(counts)[metric === 'realized.macro_f1' ? 'macro' : 'weighted'];
    if (value !== null) values.push({ bucket, value, count: n });
  }
  return values;
}

/** Regression realized metrics per bucket. */
export function regressionBucketValues(
  metric: RealizedRegressionMetric,
  rows: readonly RegressionGroupRow[],
  delays: readonly DelayRow[],
): BucketValue[] {
  const { totals, stats } = bucketed(rows, emptyRegressionSums, (sums: RegressionSums, i, total) => {
    const row = rows[i];
    if (row.labelValue === null) return;
    total.labelled += row.count;
    addToRegressionSums(sums, row.labelValue, row.prediction, row.count);
  });
  if (metric === 'labels.coverage' || metric === 'labels.delay_p50' || metric === 'labels.delay_p95')
    return labelMetricValues(metric, totals, delays);
  const compute = { 'realized.mae': mae, 'realized.rmse': rmse, 'realized.mape': mape, 'realized.r2': r2 }[metric];
  const values: BucketValue[] = [];
  for (const [bucket, sums] of stats) {
    const value = compute(sums);
    if (value !== null) values.push({ bucket, value, count: sums.count });
  }
  return values;
}
