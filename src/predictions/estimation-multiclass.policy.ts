/**
 * CBPE per time bucket for multiclass models, and how the estimates compared with the realized values once labels
 * landed. Pure: the rows are one SQL GROUP BY (each bucket's predictions grouped by their probabilities, predicted
 * class and label), every statistic comes from cbpe-multiclass.stats.ts and realized-buckets.policy.ts.
 */
import {
  estimateMulticlassCbpe,
  fitMulticlassCbpeReference,
  MULTICLASS_CBPE_METRICS,
  type MulticlassCbpeMetric,
  type MulticlassCbpeReference,
  type MulticlassPredictionGroup,
} from 'src/predictions/cbpe-multiclass.stats';
import { estimatedPoint } from 'src/predictions/estimation-buckets.policy';
import {
  type BucketValue,
  multiclassAucBucketValues,
  multiclassBucketValues,
  multiclassStatsFromGroups,
  type MulticlassGroupRow,
} from 'src/predictions/realized-buckets.policy';

/** At least this many labelled predictions in a reference window, and this many labelled with each class. */
export const MIN_MULTICLASS_REFERENCE_LABELLED = 100;
export const MIN_MULTICLASS_REFERENCE_PER_CLASS = 10;
/**
 * At most this many labelled predictions × classes: the fit sorts the window once per class (one isotonic regression
 * each), so 2,000,000 predictions of 1,000 classes would hold the request for many minutes.
 */
export const MAX_MULTICLASS_REFERENCE_CELLS = 20_000_000;

/** Every estimated metric has a realized counterpart (realized.accuracy, realized.macro_precision, …) and is compared with it. */
export const MULTICLASS_COMPARED_METRICS = MULTICLASS_CBPE_METRICS;
export const ESTIMATED_MULTICLASS_METRICS = MULTICLASS_CBPE_METRICS.map((metric) => `estimated.${metric}` as const);
export const ESTIMATION_ERROR_MULTICLASS_METRICS = MULTICLASS_COMPARED_METRICS.map((metric) => `estimation_error.${metric}` as const);

/** Multiclass predictions (of one bucket, or of a reference window) with the same probabilities, predicted class and label. */
export interface MulticlassEstimationRow {
  bucket: number;
  probabilities: Record<string, number>;
  predictedClass: string;
  /** null: not labelled (yet). */
  labelClass: string | null;
  count: number;
}

/** A multiclass fit with the class names its indices stand for (sorted, as NannyML orders them). */
export interface MulticlassFit {
  classes: string[];
  reference: MulticlassCbpeReference;
}

/** The metric of `estimated.<m>` / `estimation_error.<m>` for a multiclass model, or null when <m> is not one. */
export function multiclassCbpeMetricOf(name: string): MulticlassCbpeMetric | null {
  const metric = name.slice(name.indexOf('.') + 1);
  const served: readonly string[] = name.startsWith('estimation_error.') ? MULTICLASS_COMPARED_METRICS : MULTICLASS_CBPE_METRICS;
  return served.includes(metric) ? (metric as MulticlassCbpeMetric) : null;
}

/** The classes of a reference window: every class any prediction gave a probability to, sorted. */
function classesOf(rows: readonly Omit<MulticlassEstimationRow, 'bucket'>[]): string[] {
  const classes = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row.probabilities)) classes.add(name);
  return [...classes].sort();
}

/** What a multiclass reference window lacks for a fit (labels of every class, enough of them), or null. */
export function multiclassReferenceShortfall(rows: readonly Omit<MulticlassEstimationRow, 'bucket'>[]): string | null {
  const classes = classesOf(rows);
  const perClass = new Map(classes.map((name) => [name, 0]));
  let labelled = 0;
  for (const row of rows) {
    if (row.labelClass === null) continue;
    labelled += row.count;
    if (!perClass.has(row.labelClass))
      return `a prediction of the period is labelled '${row.labelClass}', a class no prediction of the period gives a probability to`;
    perClass.set(row.labelClass, perClass.get(row.labelClass)! + row.count);
  }
  if (labelled * classes.length > MAX_MULTICLASS_REFERENCE_CELLS)
    return (
      `the period holds ${labelled} labelled predictions of ${classes.length} classes; CBPE fits one calibrator per class over ` +
      `at most ${MAX_MULTICLASS_REFERENCE_CELLS} predictions × classes, choose a shorter period`
    );
  const fewest = Math.min(...perClass.values());
  if (classes.length < 2 || labelled < MIN_MULTICLASS_REFERENCE_LABELLED || fewest < MIN_MULTICLASS_REFERENCE_PER_CLASS)
    return (
      `the period holds ${labelled} labelled predictions (${[...perClass].map(([name, n]) => `${n} labelled '${name}'`).join(', ')}); ` +
      `CBPE needs at least ${MIN_MULTICLASS_REFERENCE_LABELLED}, with at least ${MIN_MULTICLASS_REFERENCE_PER_CLASS} of each class`
    );
  return null;
}

const probabilityVector = (classes: readonly string[], probabilities: Record<string, number>): Float64Array =>
  Float64Array.from(classes, (name) => probabilities[name] ?? 0);

/** Fits multiclass CBPE on a reference window's labelled predictions (grouped rows with counts). */
export function fitMulticlassReferenceFromGroups(rows: readonly Omit<MulticlassEstimationRow, 'bucket'>[]): MulticlassFit {
  const classes = classesOf(rows);
  const index = new Map(classes.map((name, k) => [name, k]));
  const probabilities: Float64Array[] = [];
  const predicted: number[] = [];
  const labels: number[] = [];
  for (const row of rows) {
    if (row.labelClass === null) continue;
    const vector = probabilityVector(classes, row.probabilities);
    for (let k = 0; k < row.count; k++) {
      probabilities.push(vector);
      // A predicted class outside the reference's classes is a miss for every class (-1 matches none).
      predicted.push(index.get(row.predictedClass) ?? -1);
      labels.push(index.get(row.labelClass)!);
    }
  }
  return { classes, reference: fitMulticlassCbpeReference(probabilities, predicted, labels, classes.length) };
}

/** `estimated.<m>` per bucket for every bucket with predictions (count: the bucket's predictions); undefined ones left out. */
export function multiclassEstimatedBucketValues(
  fit: MulticlassFit,
  metric: MulticlassCbpeMetric,
  rows: readonly MulticlassEstimationRow[],
): BucketValue[] {
  const index = new Map(fit.classes.map((name, k) => [name, k]));
  const buckets = new Map<number, MulticlassPredictionGroup[]>();
  for (const row of rows) {
    const groups = buckets.get(row.bucket) ?? [];
    groups.push({
      probabilities: probabilityVector(fit.classes, row.probabilities),
      predicted: index.get(row.predictedClass) ?? -1,
      count: row.count,
    });
    buckets.set(row.bucket, groups);
  }
  const values: BucketValue[] = [];
  for (const [bucket, groups] of [...buckets].sort((a, b) => a[0] - b[0])) {
    const point = estimatedPoint(bucket, estimateMulticlassCbpe(fit.reference, groups)[metric], groups);
    if (point) values.push(point);
  }
  return values;
}

/** The rows as realized.* reads them (the predicted probability of the true class). */
export const asRealizedRows = (rows: readonly MulticlassEstimationRow[]): MulticlassGroupRow[] =>
  rows.map((row) => ({
    bucket: row.bucket,
    predictedClass: row.predictedClass,
    labelClass: row.labelClass,
    labelProbability: row.labelClass === null ? null : (row.probabilities[row.labelClass] ?? null),
    count: row.count,
  }));

/** realized.<m> and labels.coverage per bucket of the same rows, for comparing estimates with what the labels show. */
export function multiclassRealized(
  metric: (typeof MULTICLASS_COMPARED_METRICS)[number],
  rows: readonly MulticlassEstimationRow[],
): { realized: BucketValue[]; coverage: BucketValue[] } {
  const realizedRows = multiclassStatsFromGroups(asRealizedRows(rows));
  return {
    realized: metric === 'macro_auc' ? multiclassAucBucketValues(rows) : multiclassBucketValues(`realized.${metric}`, realizedRows, []),
    coverage: multiclassBucketValues('labels.coverage', realizedRows, []),
  };
}
