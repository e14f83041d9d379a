/**
 * Confidence-based performance estimation (CBPE) for a multiclass classifier, after NannyML
 * (nannyml/performance_estimation/confidence_based/cbpe.py `_fit_multiclass` / `_calibrate_predicted_probabilities`,
 * metrics.py `MulticlassClassification*`): one isotonic calibrator per class, fitted one-vs-rest on the reference
 * (class k's reported probability against label == k); at estimation every prediction's K calibrated probabilities are
 * renormalised to sum to 1 (uniform 1/K when they are all 0). Then, one-vs-rest per class k with p = calibrated P(k) and
 * "predicted positive" = (predicted class == k), the binary expected confusion matrix (cbpe.stats.ts), and the macro
 * average over classes of precision, recall, F1 and AUC-ROC (the AUC over the uncalibrated class-k probability,
 * NannyML's estimate_roc_auc); accuracy is the mean calibrated probability of the predicted class.
 *
 * Standard errors as nannyml/sampling_error/multiclass_classification.py: accuracy σ/√n with σ the population std of
 * "label == predicted class" on the reference; precision, recall and F1 √(Σₖ varₖ / (n · fractionₖ)) / K from each
 * class's one-vs-rest observation-level variance (F1's TP/FP/FN observations unscaled, unlike the binary component);
 * AUC the same with NannyML's empirical factor 1.2 ("std of class variances underestimated sampling error by 20 %").
 * The band is ±3 standard errors clipped to [0, 1], as for binary models.
 *
 * Where this differs from NannyML, on purpose, as for binary models: calibration is always applied; the AUC sampling
 * error counts tied reference scores one half; the estimated AUC does not round its cumulative sums to 5 decimals.
 */
import {
  aucSamplingErrorComponent,
  type CbpeEstimate,
  expectedConfusion,
  type SamplingErrorComponent,
  trimCalibrator,
  withBand,
} from 'src/predictions/cbpe.stats';
import { fitIsotonic, type IsotonicFit, predictIsotonic } from 'src/predictions/isotonic.stats';
import { aucFromScoreGroups, f1, precision, recall, scoreGroups } from 'src/predictions/realized.stats';

export const MULTICLASS_CBPE_METRICS = ['accuracy', 'macro_precision', 'macro_recall', 'macro_f1', 'macro_auc'] as const;
export type MulticlassCbpeMetric = (typeof MULTICLASS_CBPE_METRICS)[number];

/** NannyML's multiclass AUROC sampling error is scaled by this empirical factor. */
const AUC_SAMPLING_ERROR_FACTOR = 1.2;

/** One class's one-vs-rest observation-level variance and the share of observations it is made of. */
export interface ClassVarianceComponent {
  variance: number;
  fraction: number;
}

export interface MulticlassCbpeReference {
  /** Per class (index k), the isotonic calibrator of P(label = k). */
  calibrators: IsotonicFit[];
  samplingError: {
    accuracy: SamplingErrorComponent;
    macro_precision: ClassVarianceComponent[];
    macro_recall: ClassVarianceComponent[];
    macro_f1: ClassVarianceComponent[];
    macro_auc: ClassVarianceComponent[];
  };
}

/** Predictions of one chunk with the same reported probabilities and predicted class, and how many. */
export interface MulticlassPredictionGroup {
  /** Reported probability per class index, summing to 1. */
  probabilities: ArrayLike<number>;
  /** Index of the predicted class. */
  predicted: number;
  count: number;
}

/** Population variance (NumPy's np.var, ddof 0); NaN for no values. */
function populationVariance(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let mean = 0;
  for (const value of values) mean += value;
  mean /= values.length;
  let sum = 0;
  for (const value of values) sum += (value - mean) ** 2;
  return sum / values.length;
}

/**
 * Fits multiclass CBPE on a labelled reference of n predictions: `probabilities[i][k]` the reported probability of
 * class k, `predicted[i]` and `labels[i]` class indices in 0..K−1.
 */
export function fitMulticlassCbpeReference(
  probabilities: ReadonlyArray<ArrayLike<number>>,
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  classCount: number,
): MulticlassCbpeReference {
  const n = probabilities.length;
  const calibrators: IsotonicFit[] = [];
  const precisionComponents: ClassVarianceComponent[] = [];
  const recallComponents: ClassVarianceComponent[] = [];
  const f1Components: ClassVarianceComponent[] = [];
  const aucComponents: ClassVarianceComponent[] = [];
  let correct = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) correct++;
  const accuracyShare = correct / n;
  for (let k = 0; k < classCount; k++) {
    const scores = Float64Array.from(probabilities, (row) => row[k]);
    const isClass = Float64Array.from({ length: n }, (_, i) => (labels[i] === k ? 1 : 0));
    calibrators.push(trimCalibrator(fitIsotonic(scores, isClass)));
    const precisionObservations: number[] = [];
    const recallObservations: number[] = [];
    const f1Observations: number[] = [];
    for (let i = 0; i < n; i++) {
      const truth = labels[i] === k;
      const guess = predicted[i] === k;
      if (guess) precisionObservations.push(truth ? 1 : 0);
      if (truth) recallObservations.push(guess ? 1 : 0);
      if (truth || guess) f1Observations.push(truth && guess ? 1 : 0);
    }
    precisionComponents.push({ variance: populationVariance(precisionObservations), fraction: precisionObservations.length / n });
    recallComponents.push({ variance: populationVariance(recallObservations), fraction: recallObservations.length / n });
    f1Components.push({ variance: populationVariance(f1Observations), fraction: f1Observations.length / n });
    const auc = aucSamplingErrorComponent(scores, isClass);
    aucComponents.push({ variance: auc.std ** 2, fraction: auc.fraction });
  }
  return {
    calibrators,
    samplingError: {
      // np.std of a 0/1 indicator with mean a is √(a(1 − a)).
      accuracy: { std: Math.sqrt(accuracyShare * (1 - accuracyShare)), fraction: 1 },
      macro_precision: precisionComponents,
      macro_recall: recallComponents,
      macro_f1: f1Components,
      macro_auc: aucComponents,
    },
  };
}

/** nannyml multiclass _standard_deviation_of_variances: √(Σₖ varₖ / (n · fractionₖ)) / K. */
export function multiclassSamplingError(components: readonly ClassVarianceComponent[], chunkSize: number): number | null {
  let sum = 0;
  for (const component of components) sum += component.variance / (chunkSize * component.fraction);
  const se = Math.sqrt(sum) / components.length;
  return Number.isFinite(se) ? se : null;
}

/** The calibrated probabilities of one prediction: each class calibrated, then renormalised (uniform if all are 0). */
export function calibrateProbabilities(reference: MulticlassCbpeReference, probabilities: ArrayLike<number>): Float64Array {
  const classCount = reference.calibrators.length;
  const calibrated = Float64Array.from(reference.calibrators, (calibrator, k) => predictIsotonic(calibrator, probabilities[k]));
  let sum = 0;
  for (const value of calibrated) sum += value;
  for (let k = 0; k < classCount; k++) calibrated[k] = sum === 0 ? 1 / classCount : calibrated[k] / sum;
  return calibrated;
}

/** The mean over classes, null when any class's metric is undefined (NannyML's np.mean of a NaN is NaN). */
function macro(values: ReadonlyArray<number | null>): number | null {
  let sum = 0;
  for (const value of values) {
    if (value === null || !Number.isFinite(value)) return null;
    sum += value;
  }
  return values.length === 0 ? null : sum / values.length;
}

/** Estimates accuracy and macro precision, recall, F1 and AUC-ROC of one chunk of unlabelled predictions, with bands. */
export function estimateMulticlassCbpe(
  reference: MulticlassCbpeReference,
  groups: readonly MulticlassPredictionGroup[],
): Record<MulticlassCbpeMetric, CbpeEstimate> {
  const classCount = reference.calibrators.length;
  const calibrated = groups.map((group) => calibrateProbabilities(reference, group.probabilities));
  const counts = groups.map((group) => group.count);
  let n = 0;
  let correct = 0;
  groups.forEach((group, i) => {
    n += group.count;
    correct += calibrated[i][group.predicted] * group.count;
  });
  const precisions: Array<number | null> = [];
  const recalls: Array<number | null> = [];
  const f1s: Array<number | null> = [];
  const aucs: Array<number | null> = [];
  for (let k = 0; k < classCount; k++) {
    const p = calibrated.map((row) => row[k]);
    const expected = expectedConfusion(
      p,
      groups.map((group) => (group.predicted === k ? 1 : 0)),
      counts,
    );
    precisions.push(precision(expected));
    recalls.push(recall(expected));
    f1s.push(f1(expected));
    // estimate_roc_auc over the uncalibrated class-k probability: Mann–Whitney with Σp positives, Σ(1 − p) negatives.
    const auc = aucFromScoreGroups(
      scoreGroups(
        groups.map((group) => group.probabilities[k]),
        p,
        counts,
      ),
    );
    aucs.push(auc);
  }
  const error = reference.samplingError;
  const se = (components: readonly ClassVarianceComponent[], factor = 1) => {
    if (n === 0) return null;
    const value = multiclassSamplingError(components, n);
    return value === null ? null : value * factor;
  };
  return {
    accuracy: withBand(n === 0 ? null : correct / n, n === 0 ? null : error.accuracy.std / Math.sqrt(n)),
    macro_precision: withBand(macro(precisions), se(error.macro_precision)),
    macro_recall: withBand(macro(recalls), se(error.macro_recall)),
    macro_f1: withBand(macro(f1s), se(error.macro_f1)),
    macro_auc: withBand(macro(aucs), se(error.macro_auc, AUC_SAMPLING_ERROR_FACTOR)),
  };
}
