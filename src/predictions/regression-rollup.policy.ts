/**
 * The hourly rollup of a regression model's predictions (model_regression_rollups): per (model, environment, hour of
 * prediction time) the number of predictions and the sums of realized.mae, rmse, mape and r2 over the labelled ones
 * (RegressionSums, realized.stats.ts), all additive, so a row is kept exactly by the transactions that write
 * predictions and labels and rows merge by addition. Pure: no framework.
 */
import { addToRegressionSums, emptyRegressionSums, type RegressionSums } from 'src/predictions/realized.stats';
import { type HourlyDelta, hourlyDeltas } from 'src/predictions/realized-rollup.policy';

/** [predictions, labelled, Σ|e|, Σe², Σ|e|/max(|y|, ε), Σy, Σy²]: the stored array's layout. */
export const REGRESSION_SUMS_LENGTH = 7;

/** One hour's predictions and the sums over its labelled ones. */
export interface RegressionHourStats {
  predictions: number;
  sums: RegressionSums;
}

export const emptyRegressionHourStats = (): RegressionHourStats => ({ predictions: 0, sums: emptyRegressionSums() });

export function regressionStatsToArray({ predictions, sums }: RegressionHourStats): number[] {
  return [
    predictions,
    sums.count,
    sums.sumAbsoluteError,
    sums.sumSquaredError,
    sums.sumAbsolutePercentageError,
    sums.sumLabel,
    sums.sumLabelSquared,
  ];
}

export function regressionStatsFromArray(values: ArrayLike<number>): RegressionHourStats {
  return {
    predictions: values[0],
    sums: {
      count: values[1],
      sumAbsoluteError: values[2],
      sumSquaredError: values[3],
      sumAbsolutePercentageError: values[4],
      sumLabel: values[5],
      sumLabelSquared: values[6],
    },
  };
}

/** `from` added into `into`. */
export function mergeRegressionStats(into: RegressionHourStats, from: RegressionHourStats): void {
  into.predictions += from.predictions;
  const a = into.sums;
  const b = from.sums;
  a.count += b.count;
  a.sumAbsoluteError += b.sumAbsoluteError;
  a.sumSquaredError += b.sumSquaredError;
  a.sumAbsolutePercentageError += b.sumAbsolutePercentageError;
  a.sumLabel += b.sumLabel;
  a.sumLabelSquared += b.sumLabelSquared;
}

/**
 * What a write did to `count` regression predictions of one hour with this prediction: `from` is the label they had
 * (undefined: the predictions are new; null: unlabelled), `to` the label they have now (null: none yet).
 */
export interface RegressionMove {
  modelId: string;
  environment: string;
  /** Prediction time (or its hour), ms. */
  predictedAt: number;
  prediction: number;
  from: number | null | undefined;
  to: number | null;
  count: number;
}

export type RegressionRollupDelta = HourlyDelta<RegressionHourStats>;

/** Applies one move: new predictions are counted; an old label's terms come off, the new label's go on. */
export function applyRegressionMove(
  stats: RegressionHourStats,
  move: Omit<RegressionMove, 'modelId' | 'environment' | 'predictedAt'>,
): void {
  if (move.from === undefined) stats.predictions += move.count;
  else if (move.from !== null) addToRegressionSums(stats.sums, move.from, move.prediction, -move.count);
  if (move.to !== null) addToRegressionSums(stats.sums, move.to, move.prediction, move.count);
}

/** Moves as per-hour deltas. */
export function regressionRollupDeltas(moves: readonly RegressionMove[]): RegressionRollupDelta[] {
  return hourlyDeltas(moves, emptyRegressionHourStats, applyRegressionMove);
}
