/**
 * Hourly sufficient statistics of binary CBPE under one fitted reference (model_estimation_rollups), so a 30-day
 * hourly estimate reads 720 rows instead of every prediction. What CBPE needs of a chunk (cbpe.stats.ts) is additive
 * once each prediction's score is calibrated: per predicted class the count and Σ calibrated p give the expected
 * confusion matrix exactly (TP = Σ_{ŷ=1} p, FP = n₁ − TP, FN = Σ_{ŷ=0} p, TN = n₀ − FN); the estimated AUC is the
 * Mann–Whitney AUC of fractional counts (Σp positives, Σ(1 − p) negatives per score), here over the realized rollup's
 * score bins, so it carries the same bound on its distance to the exact value (binnedAucErrorBound).
 *
 * The statistics depend on the calibrator, so a row is valid only for the fit it was computed under (its fit_id):
 * a new reference makes every row stale, and the read recomputes what it needs from the raw predictions. Pure: no
 * framework.
 */
import {
  type CbpeEstimate,
  type CbpeMetric,
  type CbpeReference,
  cbpeEstimates,
  type ScorePredictionGroup,
} from 'src/predictions/cbpe.stats';
import { type IsotonicFit, predictIsotonic } from 'src/predictions/isotonic.stats';
import {
  HISTOGRAM_LENGTH,
  histogramU,
  type LocatedMove,
  ROLLUP_BUCKET_MS,
  SCORE_BINS,
  scoreBin,
} from 'src/predictions/realized-rollup.policy';
import { aucFromU, binnedAucErrorBound } from 'src/predictions/realized.stats';
import { type EstimatedBucketValue, estimatedPoint } from 'src/predictions/estimation-buckets.policy';

/** [n of predicted 1, Σ calibrated p of predicted 1, n of predicted 0, Σ calibrated p of predicted 0]. */
export const ESTIMATION_SUMS_LENGTH = 4;

export interface EstimationStats {
  sums: Float64Array;
  /** Σ(1 − p) per score bin (bins 0…K), then Σp per bin: the realized rollup's layout, with fractional counts. */
  histogram: Float64Array;
  /** Mann–Whitney U and ties of exactly this histogram when known (a stored row); else computed from it. */
  auc?: { u: number; ties: number };
}

export const emptyEstimationStats = (): EstimationStats => ({
  sums: new Float64Array(ESTIMATION_SUMS_LENGTH),
  histogram: new Float64Array(HISTOGRAM_LENGTH),
});

/** Adds predictions grouped by (score, predicted label) with counts, each calibrated once. */
export function addCalibratedGroups(stats: EstimationStats, calibrator: IsotonicFit, groups: readonly ScorePredictionGroup[]): void {
  for (const group of groups) {
    const p = predictIsotonic(calibrator, group.score);
    const offset = group.predictedLabel === 1 ? 0 : 2;
    stats.sums[offset] += group.count;
    stats.sums[offset + 1] += p * group.count;
    const bin = scoreBin(group.score);
    stats.histogram[bin] += (1 - p) * group.count;
    stats.histogram[SCORE_BINS + 1 + bin] += p * group.count;
  }
  stats.auc = undefined;
}

/** Adds `from` into `into` (sums merge by addition). */
export function mergeEstimationStats(into: EstimationStats, from: EstimationStats): void {
  for (let i = 0; i < ESTIMATION_SUMS_LENGTH; i++) into.sums[i] += from.sums[i];
  for (let i = 0; i < HISTOGRAM_LENGTH; i++) into.histogram[i] += from.histogram[i];
  into.auc = undefined;
}

export const predictionCount = (stats: EstimationStats): number => stats.sums[0] + stats.sums[2];

/** Every CBPE metric of the statistics, each with its band; the AUC with its bound from the score bins. */
export function estimateFromStats(
  reference: CbpeReference,
  stats: EstimationStats,
): { estimates: Record<CbpeMetric, CbpeEstimate>; aucErrorBound: number | null } {
  const [predictedPositive, truePositives, predictedNegative, falseNegatives] = stats.sums;
  const expected = {
    truePositives,
    falsePositives: predictedPositive - truePositives,
    falseNegatives,
    trueNegatives: predictedNegative - falseNegatives,
  };
  const positives = truePositives + falseNegatives;
  const negatives = predictedPositive + predictedNegative - positives;
  const { u, ties } = stats.auc ?? histogramU(stats.histogram);
  return {
    estimates: cbpeEstimates(reference, expected, predictionCount(stats), aucFromU(u, positives, negatives)),
    aucErrorBound: binnedAucErrorBound(ties, positives, negatives),
  };
}

/** One (model, environment, hour) of model_estimation_rollups under the fit of `fitId`. */
export interface EstimationHour {
  modelId: string;
  environment: string;
  /** Epoch ms of the hour's start. */
  hour: number;
  fitId: string;
  stats: EstimationStats;
}

/** A binary model's current fit as the writers calibrate with it. */
export interface CurrentFit {
  fitId: string;
  calibrator: IsotonicFit;
}

const hourOf = (epochMs: number): number => Math.floor(epochMs / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;

/**
 * Newly logged predictions (moves with no `from`) of models with a fit, as per-hour deltas under that fit; the rest
 * (label moves, models without a reference) change no estimate.
 */
export function estimationDeltas(moves: readonly LocatedMove[], fits: ReadonlyMap<string, CurrentFit>): EstimationHour[] {
  const deltas = new Map<string, EstimationHour>();
  for (const move of moves) {
    const fit = fits.get(move.modelId);
    if (!fit || move.from !== undefined || move.to === undefined) continue;
    const hour = hourOf(move.predictedAt);
    const key = `${move.modelId}\u0000${move.environment}\u0000${hour}`;
    let delta = deltas.get(key);
    if (!delta)
      deltas.set(
        key,
        (delta = { modelId: move.modelId, environment: move.environment, hour, fitId: fit.fitId, stats: emptyEstimationStats() }),
      );
    addCalibratedGroups(delta.stats, fit.calibrator, [
      { score: move.score, predictedLabel: move.predictedClass === '1' ? 1 : 0, count: move.count },
    ]);
  }
  return [...deltas.values()];
}

/** Raw predictions grouped by (hour, score, predicted label) as per-hour statistics under one fit. */
export function hoursFromGroups(
  series: { modelId: string; environment: string },
  fit: CurrentFit,
  groups: readonly (ScorePredictionGroup & { hour: number })[],
): EstimationHour[] {
  const hours = new Map<number, EstimationHour>();
  for (const group of groups) {
    let entry = hours.get(group.hour);
    if (!entry) hours.set(group.hour, (entry = { ...series, hour: group.hour, fitId: fit.fitId, stats: emptyEstimationStats() }));
    addCalibratedGroups(entry.stats, fit.calibrator, [group]);
  }
  return [...hours.values()];
}

/** A bucket's statistics (from rollup rows, raw predictions, or both merged). */
export interface EstimationBucketStats {
  bucket: number;
  stats: EstimationStats;
}

/** Statistics per hour (epoch ms) merged into buckets of `bucketMs` (a whole number of hours, epoch-aligned), by bucket. */
export function hoursIntoBuckets(hours: readonly Pick<EstimationHour, 'hour' | 'stats'>[], bucketMs: number): EstimationBucketStats[] {
  const buckets = new Map<number, EstimationStats>();
  for (const { hour, stats } of hours) {
    const bucket = Math.floor(hour / bucketMs);
    const into = buckets.get(bucket);
    if (!into) buckets.set(bucket, bucketMs === ROLLUP_BUCKET_MS ? stats : copyOf(stats));
    else mergeEstimationStats(into, stats);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([bucket, stats]) => ({ bucket, stats }));
}

const copyOf = (stats: EstimationStats): EstimationStats => {
  const copy = emptyEstimationStats();
  mergeEstimationStats(copy, stats);
  return copy;
};

/**
 * `estimated.<m>` per bucket with predictions (count = its predictions); estimated.auc points carry the bins' error
 * bound. Buckets where the metric is undefined have no point.
 */
export function estimatedValuesFromStats(
  reference: CbpeReference,
  metric: CbpeMetric,
  buckets: readonly EstimationBucketStats[],
): EstimatedBucketValue[] {
  const values: EstimatedBucketValue[] = [];
  for (const { bucket, stats } of buckets) {
    const count = predictionCount(stats);
    if (count === 0) continue;
    const { estimates, aucErrorBound } = estimateFromStats(reference, stats);
    const point = estimatedPoint(bucket, estimates[metric], [{ count }]);
    if (!point) continue;
    if (metric === 'auc' && aucErrorBound !== null) point.errorBound = aucErrorBound;
    values.push(point);
  }
  return values;
}

/** The contiguous runs of `hours` (sorted epoch-ms hour starts), each cut to at most `maxHours`, as [from, to) ranges. */
export function hourRuns(hours: readonly number[], maxHours: number): { from: number; to: number }[] {
  const runs: { from: number; to: number }[] = [];
  for (const hour of hours) {
    const last = runs[runs.length - 1];
    if (last && last.to === hour && (last.to - last.from) / ROLLUP_BUCKET_MS < maxHours) last.to = hour + ROLLUP_BUCKET_MS;
    else runs.push({ from: hour, to: hour + ROLLUP_BUCKET_MS });
  }
  return runs;
}
