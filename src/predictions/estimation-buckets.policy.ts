/**
 * CBPE per time bucket, and how the estimates compared with the realized values once labels landed. Pure: the rows
 * are those one SQL GROUP BY returns (predictions of each bucket grouped by score, predicted class and label, the
 * read realized.* uses too), every statistic comes from cbpe.stats.ts and realized.stats.ts.
 */
import {
  CBPE_METRICS,
  type CbpeMetric,
  type CbpeEstimate,
  type CbpeReference,
  estimateCbpeFromGroups,
  fitCbpeReference,
  type ScorePredictionGroup,
} from 'src/predictions/cbpe.stats';
import { binaryBucketValues, type BinaryGroupRow, binaryStatsFromGroups, type BucketValue } from 'src/predictions/realized-buckets.policy';

/** At least this many labelled predictions in a reference window, and this many of each label. */
export const MIN_REFERENCE_LABELLED = 100;
export const MIN_REFERENCE_PER_CLASS = 10;
/** At most this many (the fit holds the window's predictions in memory, 24 bytes each). */
export const MAX_REFERENCE_LABELLED = 2_000_000;
/**
 * A bucket's estimate is compared with its realized value once at least this share of its predictions is labelled:
 * the estimate is over all of the bucket's predictions, the realized value over the labelled ones.
 */
export const ESTIMATION_MIN_COVERAGE = 0.9;

export const ESTIMATED_METRICS = CBPE_METRICS.map((metric) => `estimated.${metric}` as const);
export const ESTIMATION_ERROR_METRICS = CBPE_METRICS.map((metric) => `estimation_error.${metric}` as const);

/** The CBPE metric of `estimated.<m>` / `estimation_error.<m>`, or null when <m> is not one. */
export function cbpeMetricOf(name: string): CbpeMetric | null {
  const metric = name.slice(name.indexOf('.') + 1);
  return (CBPE_METRICS as readonly string[]).includes(metric) ? (metric as CbpeMetric) : null;
}

/** A reference window too large to fit in memory (any task type): the message, or null. */
export function referenceSizeShortfall(labelled: number): string | null {
  return labelled > MAX_REFERENCE_LABELLED
    ? `the period holds ${labelled} labelled predictions; at most ${MAX_REFERENCE_LABELLED} can be fitted on, choose a shorter period`
    : null;
}

/** A binary reference window's label counts against the limits above: the message of what is missing, or null. */
export function referenceShortfall(labelled: number, positives: number): string | null {
  const negatives = labelled - positives;
  const tooLarge = referenceSizeShortfall(labelled);
  if (tooLarge) return tooLarge;
  if (labelled < MIN_REFERENCE_LABELLED || positives < MIN_REFERENCE_PER_CLASS || negatives < MIN_REFERENCE_PER_CLASS)
    return (
      `the period holds ${labelled} labelled predictions (${positives} labelled 1, ${negatives} labelled 0); CBPE needs at least ` +
      `${MIN_REFERENCE_LABELLED}, with at least ${MIN_REFERENCE_PER_CLASS} of each label`
    );
  return null;
}

/** Fits CBPE on a reference window's labelled predictions, grouped by (score, predicted class, label) with counts. */
export function fitReferenceFromGroups(
  rows: readonly { score: number; predictedClass: string; labelClass: string; count: number }[],
): CbpeReference {
  const n = rows.reduce((sum, row) => sum + row.count, 0);
  const scores = new Float64Array(n);
  const predictedLabels = new Float64Array(n);
  const labels = new Float64Array(n);
  let i = 0;
  for (const row of rows) {
    for (let k = 0; k < row.count; k++, i++) {
      scores[i] = row.score;
      predictedLabels[i] = row.predictedClass === '1' ? 1 : 0;
      labels[i] = row.labelClass === '1' ? 1 : 0;
    }
  }
  return fitCbpeReference(scores, predictedLabels, labels);
}

/** A bucket's estimate with its band (±3 SE, clipped to [0, 1]; absent when the standard error is undefined). */
export interface EstimatedBucketValue extends BucketValue {
  lower?: number;
  upper?: number;
}

/**
 * One bucket's estimate as a trend point (count = the bucket's predictions, the band when defined), or null where the
 * metric is undefined; binary and multiclass alike.
 */
export function estimatedPoint(bucket: number, estimate: CbpeEstimate, groups: readonly { count: number }[]): EstimatedBucketValue | null {
  if (estimate.value === null) return null;
  const point: EstimatedBucketValue = { bucket, value: estimate.value, count: groups.reduce((sum, group) => sum + group.count, 0) };
  if (estimate.lower !== null && estimate.upper !== null) Object.assign(point, { lower: estimate.lower, upper: estimate.upper });
  return point;
}

/** Every bucket's predictions (labelled or not) as CBPE groups, in bucket order. */
function bucketGroups(rows: readonly BinaryGroupRow[]): Map<number, ScorePredictionGroup[]> {
  const buckets = new Map<number, ScorePredictionGroup[]>();
  for (const row of rows) {
    const groups = buckets.get(row.bucket) ?? [];
    groups.push({ score: row.score, predictedLabel: row.predictedClass === '1' ? 1 : 0, count: row.count });
    buckets.set(row.bucket, groups);
  }
  return buckets;
}

/**
 * `estimated.<m>` per bucket for every bucket with predictions; `count` is the bucket's predictions. Buckets where
 * the metric is undefined (no expected positive prediction, for precision) have no point.
 */
export function estimatedBucketValues(
  reference: CbpeReference,
  metric: CbpeMetric,
  rows: readonly BinaryGroupRow[],
): EstimatedBucketValue[] {
  const values: EstimatedBucketValue[] = [];
  for (const [bucket, groups] of bucketGroups(rows)) {
    const estimate = estimateCbpeFromGroups(reference, groups)[metric];
    const point = estimatedPoint(bucket, estimate, groups);
    if (point) values.push(point);
  }
  return values;
}

/** One bucket where the estimate met its realized value. */
export interface EstimationComparison extends BucketValue {
  /** value = estimate − realized; count = the bucket's labelled predictions. */
  estimate: number;
  realized: number;
  lower?: number;
  upper?: number;
}

/**
 * `estimation_error.<m>` per bucket: estimate − realized, for the buckets at least ESTIMATION_MIN_COVERAGE labelled
 * where both are defined.
 */
export function estimationComparisons(
  reference: CbpeReference,
  metric: CbpeMetric,
  rows: readonly BinaryGroupRow[],
): EstimationComparison[] {
  const stats = binaryStatsFromGroups(rows);
  return compareWithRealized(
    estimatedBucketValues(reference, metric, rows),
    binaryBucketValues(`realized.${metric}`, stats, []),
    binaryBucketValues('labels.coverage', stats, []),
  );
}

/**
 * Estimates met with the realized values of the same buckets: estimate − realized for each bucket with a realized
 * value and a label coverage of at least ESTIMATION_MIN_COVERAGE (binary and multiclass models alike).
 */
export function compareWithRealized(
  estimates: readonly EstimatedBucketValue[],
  realizedValues: readonly BucketValue[],
  coverageValues: readonly BucketValue[],
): EstimationComparison[] {
  const coverage = new Map(coverageValues.map((point) => [point.bucket, point.value]));
  const realized = new Map(realizedValues.map((point) => [point.bucket, point]));
  const comparisons: EstimationComparison[] = [];
  for (const estimate of estimates) {
    const actual = realized.get(estimate.bucket);
    if (!actual || (coverage.get(estimate.bucket) ?? 0) < ESTIMATION_MIN_COVERAGE) continue;
    comparisons.push({
      bucket: estimate.bucket,
      value: estimate.value - actual.value,
      count: actual.count,
      estimate: estimate.value,
      realized: actual.value,
      lower: estimate.lower,
      upper: estimate.upper,
    });
  }
  return comparisons;
}

export interface EstimationQuality {
  bucketsCompared: number;
  /** Mean of estimate − realized over the compared buckets (> 0: the estimates ran high). */
  bias: number | null;
  /** Mean of |estimate − realized|. */
  meanAbsoluteError: number | null;
  /** Share of the compared buckets with a band whose realized value lay inside it (lower ≤ realized ≤ upper). */
  withinBandShare: number | null;
}

/** Running bias (mean error), mean absolute error and band coverage of an estimator over its compared buckets. */
export function estimationQuality(comparisons: readonly EstimationComparison[]): EstimationQuality {
  const n = comparisons.length;
  if (n === 0) return { bucketsCompared: 0, bias: null, meanAbsoluteError: null, withinBandShare: null };
  const banded = comparisons.filter((c) => c.lower !== undefined && c.upper !== undefined);
  const inside = banded.filter((c) => c.realized >= c.lower! && c.realized <= c.upper!).length;
  return {
    bucketsCompared: n,
    bias: comparisons.reduce((sum, c) => sum + c.value, 0) / n,
    meanAbsoluteError: comparisons.reduce((sum, c) => sum + Math.abs(c.value), 0) / n,
    withinBandShare: banded.length === 0 ? null : inside / banded.length,
  };
}
