/**
 * Realized performance of logged predictions once their labels are known, each metric written once over sufficient
 * statistics (counts and sums a SQL GROUP BY can produce per bucket), with scikit-learn's definitions
 * (sklearn.metrics, 1.5+). Where scikit-learn warns on a zero division and returns its `zero_division` value, these
 * return null: a monitoring series shows "undefined" rather than a made-up 0.
 */

/** scikit-learn ≥ 1.5 log_loss clips probabilities to [eps, 1 − eps] with eps = np.finfo(float64).eps (2⁻⁵²). */
export const LOG_LOSS_EPS = 2.220446049250313e-16;
/** scikit-learn mean_absolute_percentage_error divides by max(|y|, eps) with eps = np.finfo(float64).eps. */
export const MAPE_EPS = 2.220446049250313e-16;

const ratio = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);

// ---------------------------------------------------------------- binary classification

/** Confusion counts with 1 as the positive class. */
export interface ConfusionCounts {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

export function confusionCounts(labels: ArrayLike<number>, predictedLabels: ArrayLike<number>): ConfusionCounts {
  const counts = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (let i = 0; i < labels.length; i++) {
    if (predictedLabels[i] === 1) {
      if (labels[i] === 1) counts.truePositives++;
      else counts.falsePositives++;
    } else if (labels[i] === 1) counts.falseNegatives++;
    else counts.trueNegatives++;
  }
  return counts;
}

const total = (c: ConfusionCounts): number => c.truePositives + c.falsePositives + c.trueNegatives + c.falseNegatives;

/** sklearn accuracy_score: (TP + TN) / n. */
export const accuracy = (c: ConfusionCounts): number | null => ratio(c.truePositives + c.trueNegatives, total(c));
/** sklearn precision_score: TP / (TP + FP). */
export const precision = (c: ConfusionCounts): number | null => ratio(c.truePositives, c.truePositives + c.falsePositives);
/** sklearn recall_score: TP / (TP + FN). */
export const recall = (c: ConfusionCounts): number | null => ratio(c.truePositives, c.truePositives + c.falseNegatives);
/** sklearn f1_score (≥ 1.3 form): 2TP / (2TP + FP + FN), the harmonic mean of precision and recall. */
export const f1 = (c: ConfusionCounts): number | null =>
  ratio(2 * c.truePositives, 2 * c.truePositives + c.falsePositives + c.falseNegatives);
/** Share of predictions that are positive: (TP + FP) / n. */
export const positiveRate = (c: ConfusionCounts): number | null => ratio(c.truePositives + c.falsePositives, total(c));

/** Labels at one distinct score: how many positives and negatives carry exactly that score. */
export interface ScoreGroup {
  score: number;
  positives: number;
  negatives: number;
}

/**
 * Groups observations by distinct score, ascending (the shape a SQL `GROUP BY score` returns). Each observation adds
 * its positive share to `positives` and the rest to `negatives`: a 0/1 label, or a calibrated probability for CBPE;
 * with `counts`, observation i stands for counts[i] equal ones.
 */
export function scoreGroups(scores: ArrayLike<number>, positiveShares: ArrayLike<number>, counts?: ArrayLike<number>): ScoreGroup[] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const groups: ScoreGroup[] = [];
  for (const i of order) {
    let last = groups[groups.length - 1];
    if (!last || last.score !== scores[i]) groups.push((last = { score: scores[i], positives: 0, negatives: 0 }));
    const count = counts ? counts[i] : 1;
    last.positives += positiveShares[i] * count;
    last.negatives += (1 - positiveShares[i]) * count;
  }
  return groups;
}

/**
 * The Mann–Whitney U of the positives' scores against the negatives' with ties counted one half, over groups
 * ascending by score (Mann & Whitney 1947), with n₊, n₋ and `ties` = Σ_g positives_g · negatives_g (the pairs that
 * share a group: what a histogram bin leaves unordered, so its AUC error bound).
 */
export function mannWhitneyU(groups: readonly ScoreGroup[]): { u: number; positives: number; negatives: number; ties: number } {
  let negativesBelow = 0;
  let u = 0;
  let positives = 0;
  let ties = 0;
  for (const group of groups) {
    u += group.positives * (negativesBelow + 0.5 * group.negatives);
    ties += group.positives * group.negatives;
    negativesBelow += group.negatives;
    positives += group.positives;
  }
  return { u, positives, negatives: negativesBelow, ties };
}

/** AUC-ROC = U / (n₊ n₋) (Hanley & McNeil 1982); null when a class is absent (sklearn raises). */
export const aucFromU = (u: number, positives: number, negatives: number): number | null =>
  positives <= 0 || negatives <= 0 ? null : u / (positives * negatives);

/**
 * Bound on |AUC from score bins − exact AUC|: binning keeps the order of every pair in different bins (floor(s·K) is
 * non-decreasing in s) and counts a pair inside one bin ½ where the exact AUC counts 1, ½ or 0, so the error is at
 * most ½ · Σ_b n₊_b n₋_b / (n₊ n₋) (the `ties` of mannWhitneyU over the bins). Null when a class is absent.
 */
export const binnedAucErrorBound = (ties: number, positives: number, negatives: number): number | null =>
  positives <= 0 || negatives <= 0 ? null : (0.5 * ties) / (positives * negatives);

/**
 * Exact AUC-ROC = U / (n₊ n₋), the Mann–Whitney U of the positives' scores against the negatives' with ties counted
 * one half (Hanley & McNeil 1982; equal to sklearn roc_auc_score, whose trapezoids over tied thresholds give the
 * same ½). Groups must be ascending by score. Null when a class is absent (sklearn raises).
 */
export function aucFromScoreGroups(groups: readonly ScoreGroup[]): number | null {
  const { u, positives, negatives } = mannWhitneyU(groups);
  return aucFromU(u, positives, negatives);
}

export const auc = (scores: ArrayLike<number>, labels: ArrayLike<number>): number | null => aucFromScoreGroups(scoreGroups(scores, labels));

/** One observation's binary log loss, sklearn log_loss: −(y ln p + (1 − y) ln(1 − p)), p clipped to [eps, 1 − eps]. */
export function binaryLogLossTerm(label: number, score: number): number {
  const p = Math.min(Math.max(score, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
  return label === 1 ? -Math.log(p) : -Math.log(1 - p);
}

/** One observation's Brier term, sklearn brier_score_loss: (y − p)². */
export const brierTerm = (label: number, score: number): number => (label - score) ** 2;

/** Mean of per-observation loss terms from their sum (log loss, Brier): Σ / n. */
export const meanLoss = (sum: number, count: number): number | null => ratio(sum, count);

// ---------------------------------------------------------------- multiclass classification

/** Multiclass confusion matrix as counts[trueClass][predictedClass]. */
export type MulticlassCounts = Map<string, Map<string, number>>;

/** Adds `count` predictions of `predicted` whose true class is `label`. */
export function addToMulticlassCounts(counts: MulticlassCounts, label: string, predicted: string, count = 1): void {
  const row = counts.get(label) ?? new Map<string, number>();
  row.set(predicted, (row.get(predicted) ?? 0) + count);
  counts.set(label, row);
}

export function multiclassCounts(labels: readonly string[], predicted: readonly string[]): MulticlassCounts {
  const counts: MulticlassCounts = new Map();
  labels.forEach((label, i) => addToMulticlassCounts(counts, label, predicted[i]));
  return counts;
}

interface PerClass {
  truePositives: number;
  predicted: number;
  support: number;
}

function perClass(counts: MulticlassCounts): Map<string, PerClass> {
  const classes = new Map<string, PerClass>();
  const get = (c: string): PerClass => {
    let entry = classes.get(c);
    if (!entry) classes.set(c, (entry = { truePositives: 0, predicted: 0, support: 0 }));
    return entry;
  };
  for (const [label, row] of counts) {
    for (const [predicted, count] of row) {
      get(label).support += count;
      get(predicted).predicted += count;
      if (label === predicted) get(label).truePositives += count;
    }
  }
  return classes;
}

/** sklearn accuracy_score: Σ diagonal / n. */
export function multiclassAccuracy(counts: MulticlassCounts): number | null {
  let correct = 0;
  let n = 0;
  for (const [label, row] of counts)
    for (const [predicted, count] of row) {
      n += count;
      if (label === predicted) correct += count;
    }
  return ratio(correct, n);
}

/**
 * sklearn f1_score(average='macro' | 'weighted') over the labels present in y_true ∪ y_pred: per class
 * F1_c = 2TP_c / (2TP_c + FP_c + FN_c) = 2TP_c / (predicted_c + support_c); macro = unweighted mean, weighted =
 * mean weighted by support (true count) per class.
 */
export function multiclassF1(counts: MulticlassCounts): { macro: number | null; weighted: number | null } {
  const classes = [...perClass(counts).values()];
  if (classes.length === 0) return { macro: null, weighted: null };
  let macroSum = 0;
  let weightedSum = 0;
  let supportSum = 0;
  for (const c of classes) {
    const classF1 = (2 * c.truePositives) / (c.predicted + c.support);
    macroSum += classF1;
    weightedSum += classF1 * c.support;
    supportSum += c.support;
  }
  return { macro: macroSum / classes.length, weighted: ratio(weightedSum, supportSum) };
}

/**
 * sklearn precision_score / recall_score(average='macro') over the labels present in y_true ∪ y_pred: per class
 * precision_c = TP_c / predicted_c and recall_c = TP_c / support_c, 0 where the denominator is 0 (sklearn's default
 * zero_division='warn' scores 0), then their unweighted means.
 */
export function multiclassMacroPrecisionRecall(counts: MulticlassCounts): { precision: number | null; recall: number | null } {
  const classes = [...perClass(counts).values()];
  if (classes.length === 0) return { precision: null, recall: null };
  let precisionSum = 0;
  let recallSum = 0;
  for (const c of classes) {
    precisionSum += c.predicted === 0 ? 0 : c.truePositives / c.predicted;
    recallSum += c.support === 0 ? 0 : c.truePositives / c.support;
  }
  return { precision: precisionSum / classes.length, recall: recallSum / classes.length };
}

/**
 * Macro one-vs-rest AUC-ROC, sklearn roc_auc_score(y, P, multi_class='ovr', average='macro'): for each class c of the
 * labels, the AUC of p(c) with label c positive and every other label negative, then their unweighted mean.
 * sklearn takes the classes from y_true and refuses scores for other classes; here the classes are those the labels
 * show (a probability of a class no label shows is ignored), so a chunk with every class labelled equals sklearn.
 * Null with fewer than two label classes. Observations are grouped (probabilities, label, count).
 */
export function multiclassMacroAuc(
  observations: readonly { probabilities: Readonly<Record<string, number>>; label: string; count: number }[],
): number | null {
  const classes = [...new Set(observations.map((o) => o.label))].sort();
  if (classes.length < 2) return null;
  const counts = observations.map((o) => o.count);
  let sum = 0;
  for (const c of classes) {
    const groups = scoreGroups(
      observations.map((o) => o.probabilities[c] ?? 0),
      observations.map((o) => (o.label === c ? 1 : 0)),
      counts,
    );
    sum += aucFromScoreGroups(groups)!;
  }
  return sum / classes.length;
}

/**
 * One observation's multiclass log loss, sklearn log_loss: −ln p(true class), p clipped to [eps, 1 − eps]. A class
 * absent from the probabilities counts as p = 0. (scikit-learn also rescales rows to sum 1; ingest admits only rows
 * within 1e-6 of 1, so the two differ by at most ~1e-6 per term.)
 */
export function multiclassLogLossTerm(label: string, probabilities: Readonly<Record<string, number>>): number {
  const p = probabilities[label] ?? 0;
  return -Math.log(Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS));
}

// ---------------------------------------------------------------- regression

/** Sums over (label y, prediction ŷ) pairs, the sufficient statistics of MAE, RMSE, MAPE and R². */
export interface RegressionSums {
  count: number;
  sumAbsoluteError: number;
  sumSquaredError: number;
  sumAbsolutePercentageError: number;
  sumLabel: number;
  sumLabelSquared: number;
}

export const emptyRegressionSums = (): RegressionSums => ({
  count: 0,
  sumAbsoluteError: 0,
  sumSquaredError: 0,
  sumAbsolutePercentageError: 0,
  sumLabel: 0,
  sumLabelSquared: 0,
});

/** Adds `count` observations of (label y, prediction ŷ) to the sums (count > 1 for grouped rows). */
export function addToRegressionSums(sums: RegressionSums, label: number, prediction: number, count = 1): void {
  const error = label - prediction;
  sums.count += count;
  sums.sumAbsoluteError += count * Math.abs(error);
  sums.sumSquaredError += count * error * error;
  sums.sumAbsolutePercentageError += (count * Math.abs(error)) / Math.max(Math.abs(label), MAPE_EPS);
  sums.sumLabel += count * label;
  sums.sumLabelSquared += count * label * label;
}

export function regressionSums(labels: ArrayLike<number>, predictions: ArrayLike<number>): RegressionSums {
  const sums = emptyRegressionSums();
  for (let i = 0; i < labels.length; i++) addToRegressionSums(sums, labels[i], predictions[i]);
  return sums;
}

/** sklearn mean_absolute_error: Σ|y − ŷ| / n. */
export const mae = (s: RegressionSums): number | null => ratio(s.sumAbsoluteError, s.count);
/** sklearn root_mean_squared_error: √(Σ(y − ŷ)² / n). */
export const rmse = (s: RegressionSums): number | null => (s.count === 0 ? null : Math.sqrt(s.sumSquaredError / s.count));
/** sklearn mean_absolute_percentage_error: Σ(|y − ŷ| / max(|y|, eps)) / n, a fraction (0.1 = 10 %), not a percent. */
export const mape = (s: RegressionSums): number | null => ratio(s.sumAbsolutePercentageError, s.count);

/**
 * sklearn r2_score: 1 − SS_res / SS_tot with SS_tot = Σy² − (Σy)²/n. With SS_tot = 0 (constant labels) scikit-learn
 * (force_finite=True) returns 1 for a perfect fit and 0 otherwise. SS_tot from raw sums loses digits when the labels'
 * mean is large against their spread (relative error ≈ 1e-16 · (ȳ/σ)²); bucket sums keep it mergeable.
 */
export function r2(s: RegressionSums): number | null {
  if (s.count === 0) return null;
  const totalSumSquares = Math.max(s.sumLabelSquared - (s.sumLabel * s.sumLabel) / s.count, 0);
  if (totalSumSquares === 0) return s.sumSquaredError === 0 ? 1 : 0;
  return 1 - s.sumSquaredError / totalSumSquares;
}

// ---------------------------------------------------------------- labels

/** Label coverage: labelled predictions / predictions; null for a bucket with no predictions. */
export const labelCoverage = (labelled: number, predictions: number): number | null => ratio(labelled, predictions);

/**
 * Quantile q of a sample by linear interpolation between order statistics at h = (n − 1)q (Hyndman & Fan 1996
 * type 7; numpy.quantile's default 'linear' and PostgreSQL's percentile_cont), used for label delay p50/p95.
 */
export function quantileLinear(values: ArrayLike<number>, q: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * q;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
}

/** Label delay p50 and p95 in seconds from per-prediction delays (label time − prediction time). */
export function labelDelay(delaysSeconds: ArrayLike<number>): { p50: number | null; p95: number | null } {
  return { p50: quantileLinear(delaysSeconds, 0.5), p95: quantileLinear(delaysSeconds, 0.95) };
}
