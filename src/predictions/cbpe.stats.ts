/**
 * Confidence-based performance estimation (CBPE) for a binary classifier, after NannyML
 * (nannyml/performance_estimation/confidence_based/metrics.py, docs "how it works: CBPE"): the model's scores are
 * calibrated on a labelled reference period (isotonic regression), a calibrated score p is read as the probability
 * that the label is 1, so each prediction contributes p to TP (predicted 1) or FN (predicted 0) and 1 − p to FP or TN:
 * the expected confusion matrix of a chunk, from which the metrics follow without labels. The standard error of each
 * estimate is NannyML's sampling error (nannyml/sampling_error/binary_classification.py): an observation-level
 * standard deviation measured once on the reference, divided by √(n · fraction) for a chunk of n predictions, and the
 * band is ±3 standard errors (NannyML's SAMPLING_ERROR_RANGE).
 *
 * Where this differs from NannyML, on purpose: calibration is always applied (NannyML first asks a cross-validated
 * expected-calibration-error test whether calibrating helps; isotonic calibration of an already calibrated model is
 * close to the identity); the AUC sampling error counts tied reference scores one half (NannyML's argsort breaks
 * ties arbitrarily); the estimated AUC does not round its cumulative sums to 5 decimals.
 */
import { meanAndStd } from 'src/drift/sample.stats';
import { fitIsotonic, IsotonicFit, predictIsotonic } from 'src/predictions/isotonic.stats';
import {
  accuracy,
  aucFromScoreGroups,
  ConfusionCounts,
  confusionCounts,
  f1,
  precision,
  recall,
  scoreGroups,
} from 'src/predictions/realized.stats';

/** NannyML SAMPLING_ERROR_RANGE: the band is the estimate ± 3 standard errors. */
export const CBPE_BAND_STANDARD_ERRORS = 3;

export const CBPE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const;
export type CbpeMetric = (typeof CBPE_METRICS)[number];

/** Observation-level spread on the reference and the share of observations the metric is made of. */
export interface SamplingErrorComponent {
  std: number;
  fraction: number;
}

export interface CbpeReference {
  calibrator: IsotonicFit;
  samplingError: Record<CbpeMetric, SamplingErrorComponent>;
}

export interface CbpeEstimate {
  value: number | null;
  standardError: number | null;
  lower: number | null;
  upper: number | null;
}

export interface CbpeChunk {
  /** Uncalibrated model scores (probability of class 1). */
  scores: ArrayLike<number>;
  /** The model's own predicted labels (0/1). */
  predictedLabels: ArrayLike<number>;
}

const std = (values: number[]): number => (values.length === 0 ? NaN : meanAndStd(Float64Array.from(values)).std);

/**
 * NannyML's AUROC sampling-error component (auroc_sampling_error_components, "variance sum law" on AUC as a
 * Mann–Whitney U): with the minority label relabelled as positive (labels and scores flipped when the positive share
 * exceeds ½), each positive's share of negatives scored below it; the component is their population std and the
 * positive share.
 */
export function aucSamplingErrorComponent(scores: ArrayLike<number>, labels: ArrayLike<number>): SamplingErrorComponent {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  const flip = positives / n > 0.5;
  const flippedScores = Float64Array.from({ length: n }, (_, i) => (flip ? 1 - scores[i] : scores[i]));
  const flippedLabels = Float64Array.from({ length: n }, (_, i) => (flip ? 1 - labels[i] : labels[i]));
  const groups = scoreGroups(flippedScores, flippedLabels);
  const minorityPositives = flip ? n - positives : positives;
  const negatives = n - minorityPositives;
  const shares: number[] = [];
  let negativesBelow = 0;
  for (const group of groups) {
    const share = (negativesBelow + 0.5 * group.negatives) / negatives;
    for (let k = 0; k < group.positives; k++) shares.push(share);
    negativesBelow += group.negatives;
  }
  return { std: std(shares), fraction: minorityPositives / n };
}

/**
 * Fits CBPE on a labelled reference: the isotonic calibrator (score → P(label = 1)) and NannyML's sampling-error
 * components per metric, all from the uncalibrated reference scores and predicted labels as NannyML fits them.
 */
export function fitCbpeReference(scores: ArrayLike<number>, predictedLabels: ArrayLike<number>, labels: ArrayLike<number>): CbpeReference {
  const n = scores.length;
  const correct: number[] = [];
  const precisionObservations: number[] = [];
  const recallObservations: number[] = [];
  const f1Observations: number[] = [];
  for (let i = 0; i < n; i++) {
    correct.push(labels[i] === predictedLabels[i] ? 1 : 0);
    if (predictedLabels[i] === 1) precisionObservations.push(labels[i] === 1 ? 1 : 0);
    if (labels[i] === 1) recallObservations.push(predictedLabels[i] === 1 ? 1 : 0);
    if (labels[i] === 1 || predictedLabels[i] === 1) f1Observations.push(labels[i] === 1 && predictedLabels[i] === 1 ? 1 : 0);
  }
  const counts = confusionCounts(labels, predictedLabels);
  // NannyML f1_sampling_error_components: TP observations scaled by |TP ∪ FP ∪ FN| / (TP + ½(FP + FN)), so their mean is F1.
  const relevant = f1Observations.length;
  const f1Scale = relevant / (counts.truePositives + 0.5 * (counts.falsePositives + counts.falseNegatives));
  return {
    calibrator: trimCalibrator(fitIsotonic(scores, labels)),
    samplingError: {
      accuracy: { std: std(correct), fraction: 1 },
      precision: { std: std(precisionObservations), fraction: precisionObservations.length / n },
      recall: { std: std(recallObservations), fraction: recallObservations.length / n },
      f1: { std: std(f1Observations.map((v) => v * f1Scale)), fraction: relevant / n },
      auc: aucSamplingErrorComponent(scores, labels),
    },
  };
}

/** NannyML _universal_sampling_error: σ_reference / √(n · fraction). */
export function samplingError(component: SamplingErrorComponent, chunkSize: number): number | null {
  const se = component.std / Math.sqrt(chunkSize * component.fraction);
  return Number.isFinite(se) ? se : null;
}

/**
 * Expected confusion matrix from calibrated probabilities p and predicted labels: TP = Σ_{ŷ=1} p, FP = Σ_{ŷ=1} (1 − p),
 * FN = Σ_{ŷ=0} p, TN = Σ_{ŷ=0} (1 − p), each prediction weighted by its count (default 1).
 */
export function expectedConfusion(
  calibrated: ArrayLike<number>,
  predictedLabels: ArrayLike<number>,
  counts?: ArrayLike<number>,
): ConfusionCounts {
  const matrix = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (let i = 0; i < calibrated.length; i++) {
    const p = calibrated[i];
    const count = counts ? counts[i] : 1;
    if (predictedLabels[i] === 1) {
      matrix.truePositives += p * count;
      matrix.falsePositives += (1 - p) * count;
    } else {
      matrix.falseNegatives += p * count;
      matrix.trueNegatives += (1 - p) * count;
    }
  }
  return matrix;
}

export function withBand(value: number | null, standardError: number | null): CbpeEstimate {
  if (value === null || !Number.isFinite(value)) return { value: null, standardError, lower: null, upper: null };
  if (standardError === null) return { value, standardError, lower: null, upper: null };
  // NannyML clips the band to the metric's range [0, 1].
  return {
    value,
    standardError,
    lower: Math.max(0, value - CBPE_BAND_STANDARD_ERRORS * standardError),
    upper: Math.min(1, value + CBPE_BAND_STANDARD_ERRORS * standardError),
  };
}

/** Predictions of one chunk with the same uncalibrated score and predicted label (0/1), and how many. */
export interface ScorePredictionGroup {
  score: number;
  predictedLabel: number;
  count: number;
}

/** Estimates accuracy, precision, recall, F1 and AUC-ROC of one chunk of unlabelled predictions, each with its band. */
export function estimateCbpe(reference: CbpeReference, chunk: CbpeChunk): Record<CbpeMetric, CbpeEstimate> {
  const groups = Array.from({ length: chunk.scores.length }, (_, i) => ({
    score: chunk.scores[i],
    predictedLabel: chunk.predictedLabels[i],
    count: 1,
  }));
  return estimateCbpeFromGroups(reference, groups);
}

/**
 * estimateCbpe over predictions grouped by (score, predicted label) with counts, the shape a SQL GROUP BY returns:
 * the same sums (each group weighs its count), so a bucket of 10,000 predictions with 800 distinct scores costs 800
 * calibrations, not 10,000.
 */
export function estimateCbpeFromGroups(
  reference: CbpeReference,
  groups: readonly ScorePredictionGroup[],
): Record<CbpeMetric, CbpeEstimate> {
  const sorted = [...groups].sort((a, b) => a.score - b.score);
  const calibrated = Float64Array.from(sorted, (group) => predictIsotonic(reference.calibrator, group.score));
  const counts = sorted.map((group) => group.count);
  const expected = expectedConfusion(
    calibrated,
    sorted.map((group) => group.predictedLabel),
    counts,
  );
  const n = counts.reduce((sum, count) => sum + count, 0);
  // NannyML estimate_roc_auc: the ROC curve over the uncalibrated scores in descending order with expected TP += p and
  // FP += 1 − p, area by trapezoids; that is the Mann–Whitney AUC with fractional counts (Σp positives, Σ(1 − p)
  // negatives per distinct score), computed by the realized AUC function.
  const aucGroups = scoreGroups(
    sorted.map((group) => group.score),
    calibrated,
    counts,
  );
  return cbpeEstimates(reference, expected, n, aucFromScoreGroups(aucGroups));
}

/**
 * Every CBPE metric of a chunk of n predictions from its expected confusion matrix and estimated AUC, each with its
 * band: the one place the metrics and their sampling errors are read off (raw groups and hourly rollups alike).
 */
export function cbpeEstimates(
  reference: CbpeReference,
  expected: ConfusionCounts,
  n: number,
  estimatedAuc: number | null,
): Record<CbpeMetric, CbpeEstimate> {
  const values: Record<CbpeMetric, number | null> = {
    accuracy: accuracy(expected),
    precision: precision(expected),
    recall: recall(expected),
    f1: f1(expected),
    auc: estimatedAuc,
  };
  const result = {} as Record<CbpeMetric, CbpeEstimate>;
  for (const metric of CBPE_METRICS) {
    result[metric] = withBand(values[metric], n === 0 ? null : samplingError(reference.samplingError[metric], n));
  }
  return result;
}

/**
 * The calibrator without the points that change nothing: inside a run of equal fitted values only its two ends
 * matter to linear interpolation (sklearn IsotonicRegression's trim_duplicates, which keeps the first and last point
 * and every point whose value differs from its predecessor's or successor's). Same function, a few hundred points
 * instead of one per distinct reference score, so it can be stored.
 */
export function trimCalibrator(fit: IsotonicFit): IsotonicFit {
  const { x, y } = fit;
  const keep: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (i === 0 || i === x.length - 1 || y[i] !== y[i - 1] || y[i] !== y[i + 1]) keep.push(i);
  }
  return { x: Float64Array.from(keep, (i) => x[i]), y: Float64Array.from(keep, (i) => y[i]) };
}
