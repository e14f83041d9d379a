/**
 * The sufficient statistics of every realized binary metric for a set of predictions, in the shape the hourly
 * rollup (model_prediction_rollups) stores and a raw read rebuilds: per (predicted class × label state) cell the
 * count and the sums of the log-loss and Brier terms (exact), and a histogram of labelled predictions over a fine
 * score grid (AUC, within a stated bound). Writes move predictions between cells (a label arriving or being
 * overwritten), so a rollup stays right whenever the labels land. Pure: no framework.
 */
import {
  aucFromU,
  binaryLogLossTerm,
  binnedAucErrorBound,
  brierTerm,
  type ConfusionCounts,
  mannWhitneyU,
  type ScoreGroup,
} from 'src/predictions/realized.stats';

/** K: a score s falls in bin floor(s · K) (0…K; s = 1 alone in bin K). */
export const SCORE_BINS = 1000;
/** Negatives of bins 0…K, then positives of bins 0…K. */
export const HISTOGRAM_LENGTH = 2 * (SCORE_BINS + 1);
/** Per cell: count, Σ log-loss term, Σ Brier term; six cells (predicted 0/1 × unlabelled / label 0 / label 1). */
const CELL_WIDTH = 3;
export const CELLS_LENGTH = 6 * CELL_WIDTH;
export const ROLLUP_BUCKET_MS = 3_600_000;

/**
 * Whether an hourly rollup (per model and environment) can serve a read: the bucket is a whole number of hours and no
 * model version or segment is asked.
 */
export function hourlyRollupServes(filter: { modelVersion?: string; segment?: Record<string, string> }, bucketMs: number): boolean {
  const hasSegment = filter.segment !== undefined && Object.keys(filter.segment).length > 0;
  return bucketMs % ROLLUP_BUCKET_MS === 0 && filter.modelVersion === undefined && !hasSegment;
}

/**
 * [from, to) split at whole hours: the whole hours inside it (null when it holds none) and the partial hours at its
 * ends (the whole range when it holds no whole hour), which a rollup read takes from the raw rows.
 */
export function splitAtWholeHours(range: { from: Date; to: Date }): {
  hours: { from: Date; to: Date } | null;
  ends: { from: Date; to: Date }[];
} {
  const firstHour = Math.ceil(range.from.getTime() / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  const lastHour = Math.floor(range.to.getTime() / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  if (firstHour >= lastHour) return { hours: null, ends: [{ from: range.from, to: range.to }] };
  const ends = [
    { from: range.from, to: new Date(firstHour) },
    { from: new Date(lastHour), to: range.to },
  ].filter((end) => end.from < end.to);
  return { hours: { from: new Date(firstHour), to: new Date(lastHour) }, ends };
}

/** Monotone in the score (IEEE multiplication by K and floor are non-decreasing), which the AUC bound needs. */
export const scoreBin = (score: number): number => Math.min(Math.floor(score * SCORE_BINS), SCORE_BINS);

/** A prediction's label: '0', '1', or null while none has arrived. */
export type LabelState = '0' | '1' | null;

export interface BinaryBinStats {
  cells: Float64Array;
  histogram: Float64Array;
  /** Mann–Whitney U and ties of exactly this histogram when already known (a stored rollup row); else computed. */
  auc?: { u: number; ties: number };
}

export const emptyBinaryBinStats = (): BinaryBinStats => ({
  cells: new Float64Array(CELLS_LENGTH),
  histogram: new Float64Array(HISTOGRAM_LENGTH),
});

const cellOffset = (predictedClass: string, label: LabelState): number =>
  ((predictedClass === '1' ? 3 : 0) + (label === null ? 0 : label === '1' ? 2 : 1)) * CELL_WIDTH;

/**
 * `count` predictions with this score and predicted class whose label goes from `from` to `to`: `from` undefined
 * for predictions not counted yet (newly logged), `to` undefined for predictions leaving the statistics.
 */
export interface PredictionMove {
  predictedClass: string;
  score: number;
  from?: LabelState;
  to?: LabelState;
  count: number;
}

function addLabelled(stats: BinaryBinStats, predictedClass: string, score: number, label: LabelState, count: number): void {
  const offset = cellOffset(predictedClass, label);
  stats.cells[offset] += count;
  if (label === null) return;
  const y = label === '1' ? 1 : 0;
  stats.cells[offset + 1] += count * binaryLogLossTerm(y, score);
  stats.cells[offset + 2] += count * brierTerm(y, score);
  stats.histogram[(label === '1' ? SCORE_BINS + 1 : 0) + scoreBin(score)] += count;
  stats.auc = undefined;
}

export function applyMove(stats: BinaryBinStats, move: PredictionMove): void {
  if (move.from !== undefined) addLabelled(stats, move.predictedClass, move.score, move.from, -move.count);
  if (move.to !== undefined) addLabelled(stats, move.predictedClass, move.score, move.to, move.count);
}

/**
 * Adds `from` into `into` (the statistics are sums, so buckets and sources merge by addition). An operand read
 * without its histogram (length 0) leaves the sum without one: its AUC cannot be computed, the other metrics can.
 */
export function mergeInto(into: BinaryBinStats, from: BinaryBinStats): void {
  for (let i = 0; i < CELLS_LENGTH; i++) into.cells[i] += from.cells[i];
  if (from.histogram.length !== HISTOGRAM_LENGTH) into.histogram = new Float64Array(0);
  else if (into.histogram.length === HISTOGRAM_LENGTH) for (let i = 0; i < HISTOGRAM_LENGTH; i++) into.histogram[i] += from.histogram[i];
  into.auc = undefined;
}

const cell = (stats: BinaryBinStats, predictedClass: string, label: LabelState, stat = 0) =>
  stats.cells[cellOffset(predictedClass, label) + stat];

/** Confusion counts of the labelled predictions (class 1 positive). */
export const confusionOf = (stats: BinaryBinStats): ConfusionCounts => ({
  truePositives: cell(stats, '1', '1'),
  falsePositives: cell(stats, '1', '0'),
  trueNegatives: cell(stats, '0', '0'),
  falseNegatives: cell(stats, '0', '1'),
});

/** Labelled and all predictions, and the log-loss and Brier sums over the labelled ones. */
export function totalsOf(stats: BinaryBinStats): { labelled: number; total: number; logLoss: number; brier: number } {
  let labelled = 0;
  let logLoss = 0;
  let brier = 0;
  for (const predicted of ['0', '1'])
    for (const label of ['0', '1'] as const) {
      labelled += cell(stats, predicted, label);
      logLoss += cell(stats, predicted, label, 1);
      brier += cell(stats, predicted, label, 2);
    }
  return { labelled, total: labelled + cell(stats, '0', null) + cell(stats, '1', null), logLoss, brier };
}

/** The histogram as score groups ascending by bin (score = the bin's lower edge), empty bins left out. */
export function histogramGroups(histogram: ArrayLike<number>): ScoreGroup[] {
  const groups: ScoreGroup[] = [];
  for (let bin = 0; bin <= SCORE_BINS; bin++) {
    const negatives = histogram[bin];
    const positives = histogram[SCORE_BINS + 1 + bin];
    if (negatives !== 0 || positives !== 0) groups.push({ score: bin / SCORE_BINS, positives, negatives });
  }
  return groups;
}

/** U and ties of a histogram (what a rollup row stores beside it so a 1-hour read needs no histogram). */
export function histogramU(histogram: ArrayLike<number>): { u: number; ties: number } {
  const { u, ties } = mannWhitneyU(histogramGroups(histogram));
  return { u, ties };
}

/**
 * AUC-ROC from the score histogram and its bound on the distance to the exact AUC (binnedAucErrorBound); both null
 * when a class is absent.
 */
export function binnedAuc(stats: BinaryBinStats): { auc: number | null; errorBound: number | null } {
  if (!stats.auc && stats.histogram.length !== HISTOGRAM_LENGTH) throw new Error('AUC needs the histogram or its stored U');
  const { u, ties } = stats.auc ?? histogramU(stats.histogram);
  const { truePositives, falsePositives, trueNegatives, falseNegatives } = confusionOf(stats);
  const positives = truePositives + falseNegatives;
  const negatives = falsePositives + trueNegatives;
  return { auc: aucFromU(u, positives, negatives), errorBound: binnedAucErrorBound(ties, positives, negatives) };
}

/** The rollup change of one (model, environment, hour): cell sums to add, and histogram counts when any changed. */
export interface RollupDelta {
  modelId: string;
  environment: string;
  bucketStart: number;
  cells: Float64Array;
  histogram: Float64Array | null;
}

/** A move of predictions located by series and prediction time (epoch ms). */
export interface LocatedMove extends PredictionMove {
  modelId: string;
  environment: string;
  predictedAt: number;
}

/** One hour's rollup row to add: its key and what the moves of that hour add up to. */
export interface HourlyDelta<Stats> {
  modelId: string;
  environment: string;
  bucketStart: number;
  stats: Stats;
}

/**
 * Moves grouped into one delta per (model, environment, hour of prediction time), in the order first seen (the
 * writers order rows by key), each move folded into its hour's statistics by `apply`. Every rollup's deltas.
 */
export function hourlyDeltas<Move extends { modelId: string; environment: string; predictedAt: number }, Stats>(
  moves: readonly Move[],
  empty: () => Stats,
  apply: (stats: Stats, move: Move) => void,
): HourlyDelta<Stats>[] {
  const deltas = new Map<string, HourlyDelta<Stats>>();
  for (const move of moves) {
    const bucketStart = Math.floor(move.predictedAt / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
    const key = `${move.modelId}\u0000${move.environment}\u0000${bucketStart}`;
    let delta = deltas.get(key);
    if (!delta) deltas.set(key, (delta = { modelId: move.modelId, environment: move.environment, bucketStart, stats: empty() }));
    apply(delta.stats, move);
  }
  return [...deltas.values()];
}

/** Moves as per-hour rollup deltas; a delta carries its histogram only when a move changed a label state. */
export function rollupDeltas(moves: readonly LocatedMove[]): RollupDelta[] {
  const hours = hourlyDeltas(
    moves,
    () => ({ bins: emptyBinaryBinStats(), labelsMoved: false }),
    (stats, move: LocatedMove) => {
      applyMove(stats.bins, move);
      if (move.from != null || move.to != null) stats.labelsMoved = true;
    },
  );
  return hours.map(({ modelId, environment, bucketStart, stats }) => ({
    modelId,
    environment,
    bucketStart,
    cells: stats.bins.cells,
    histogram: stats.labelsMoved ? stats.bins.histogram : null,
  }));
}
