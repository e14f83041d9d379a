/**
 * The hourly rollup of a multiclass model's predictions (model_multiclass_rollups): per (model, environment, hour of
 * prediction time) the number of predictions, the confusion counts of the labelled ones (counts[true][predicted]) and
 * the sum of their log-loss terms: the sufficient statistics of realized.accuracy, macro precision / recall / F1,
 * weighted F1, log loss and labels.coverage (realized.stats.ts), all additive, so the transactions that write
 * predictions and labels keep a row exactly and rows merge by addition. realized.macro_auc needs every class's
 * probability per prediction and stays on the raw rows. Pure: no framework.
 */
import { addToMulticlassCounts, type MulticlassCounts, multiclassLogLossTerm } from 'src/predictions/realized.stats';
import { type HourlyDelta, hourlyDeltas } from 'src/predictions/realized-rollup.policy';

export interface MulticlassHourStats {
  predictions: number;
  labelled: number;
  logLoss: number;
  counts: MulticlassCounts;
}

export const emptyMulticlassHourStats = (): MulticlassHourStats => ({ predictions: 0, labelled: 0, logLoss: 0, counts: new Map() });

/** A label as the rollup needs it: the class and the probability the prediction gave it (null: the class is absent). */
export interface MulticlassLabel {
  label: string;
  probability: number | null;
}

/**
 * What a write did to `count` multiclass predictions of one hour with this predicted class: `from` is the label they
 * had (undefined: the predictions are new; null: unlabelled), `to` the label they have now (null: none yet).
 */
export interface MulticlassMove {
  modelId: string;
  environment: string;
  /** Prediction time (or its hour), ms. */
  predictedAt: number;
  predictedClass: string;
  from: MulticlassLabel | null | undefined;
  to: MulticlassLabel | null;
  count: number;
}

export type MulticlassRollupDelta = HourlyDelta<MulticlassHourStats>;

/** Adds (or, with a negative count, takes off) labelled predictions; a cell that reaches 0 is removed, as if never seen. */
function addLabelled(stats: MulticlassHourStats, predictedClass: string, label: MulticlassLabel, count: number): void {
  stats.labelled += count;
  stats.logLoss += count * multiclassLogLossTerm(label.label, { [label.label]: label.probability ?? 0 });
  addToMulticlassCounts(stats.counts, label.label, predictedClass, count);
  const row = stats.counts.get(label.label)!;
  if (row.get(predictedClass) === 0) row.delete(predictedClass);
  if (row.size === 0) stats.counts.delete(label.label);
}

/** Applies one move: new predictions are counted; an old label comes off, the new one goes on. */
export function applyMulticlassMove(
  stats: MulticlassHourStats,
  move: Pick<MulticlassMove, 'predictedClass' | 'from' | 'to' | 'count'>,
): void {
  if (move.from === undefined) stats.predictions += move.count;
  else if (move.from !== null) addLabelled(stats, move.predictedClass, move.from, -move.count);
  if (move.to !== null) addLabelled(stats, move.predictedClass, move.to, move.count);
}

/** `from` added into `into`. */
export function mergeMulticlassStats(into: MulticlassHourStats, from: MulticlassHourStats): void {
  into.predictions += from.predictions;
  into.labelled += from.labelled;
  into.logLoss += from.logLoss;
  for (const [label, row] of from.counts) for (const [predicted, count] of row) addToMulticlassCounts(into.counts, label, predicted, count);
}

/** Moves as per-hour deltas. */
export function multiclassRollupDeltas(moves: readonly MulticlassMove[]): MulticlassRollupDelta[] {
  return hourlyDeltas(moves, emptyMulticlassHourStats, applyMulticlassMove);
}

/** The stored form: [predictions, labelled, Σ log-loss term] and counts as {true: {predicted: n}}. */
export function multiclassStatsToStored(stats: MulticlassHourStats): { sums: number[]; counts: Record<string, Record<string, number>> } {
  const counts: Record<string, Record<string, number>> = {};
  for (const [label, row] of stats.counts) counts[label] = Object.fromEntries(row);
  return { sums: [stats.predictions, stats.labelled, stats.logLoss], counts };
}

/** A stored row back; cells at 0 (every label of a cell overwritten away) are left out. */
export function multiclassStatsFromStored(sums: ArrayLike<number>, counts: Record<string, Record<string, number>>): MulticlassHourStats {
  const stats: MulticlassHourStats = { predictions: sums[0], labelled: sums[1], logLoss: sums[2], counts: new Map() };
  for (const label of Object.keys(counts))
    for (const predicted of Object.keys(counts[label]))
      if (counts[label][predicted] !== 0) addToMulticlassCounts(stats.counts, label, predicted, counts[label][predicted]);
  return stats;
}
