import { regressionSums } from 'src/predictions/realized.stats';
import {
  mergeRegressionStats,
  emptyRegressionHourStats,
  regressionRollupDeltas,
  regressionStatsFromArray,
  regressionStatsToArray,
} from 'src/predictions/regression-rollup.policy';

const HOUR = 3_600_000;
const at = (hour: number, minute = 0) => Date.parse('2026-04-01T00:00:00Z') + hour * HOUR + minute * 60_000;
const move = (predictedAt: number, prediction: number, from: number | null | undefined, to: number | null, count = 1) => ({
  modelId: 'm',
  environment: 'production',
  predictedAt,
  prediction,
  from,
  to,
  count,
});

describe('regression rollup deltas', () => {
  it('counts new predictions per hour, adds a label’s terms, and takes an overwritten label’s terms off', () => {
    const deltas = regressionRollupDeltas([
      move(at(0, 5), 10, undefined, null, 3), // three unlabelled predictions (grouped per hour)
      move(at(0, 10), 12, undefined, 11), // a prediction whose label was waiting
      move(at(0, 20), 8, null, 9), // a label arriving later
      move(at(0, 20), 8, 9, 7), // ... and overwritten
      move(at(1, 1), 5, undefined, 4),
    ]);
    expect(deltas.map((d) => [d.bucketStart, d.stats.predictions, d.stats.sums.count])).toEqual([
      [at(0), 4, 2],
      [at(1), 1, 1],
    ]);
    // the hour's sums equal the sums over its labelled pairs as they ended up: (y 11, ŷ 12) and (y 7, ŷ 8)
    const expected = regressionSums([11, 7], [12, 8]);
    const got = deltas[0].stats.sums;
    expect(got.count).toBe(expected.count);
    for (const key of ['sumAbsoluteError', 'sumSquaredError', 'sumAbsolutePercentageError', 'sumLabel', 'sumLabelSquared'] as const)
      expect(got[key]).toBeCloseTo(expected[key], 12);
  });

  it('stores and reads the layout the migration writes, and merges by addition', () => {
    const stats = regressionRollupDeltas([move(at(0), 3, undefined, 4), move(at(0), 1, undefined, null)])[0].stats;
    const array = regressionStatsToArray(stats);
    expect(array).toEqual([2, 1, 1, 1, 0.25, 4, 16]);
    expect(regressionStatsFromArray(array)).toEqual(stats);
    const merged = emptyRegressionHourStats();
    mergeRegressionStats(merged, stats);
    mergeRegressionStats(merged, stats);
    expect(regressionStatsToArray(merged)).toEqual([4, 2, 2, 2, 0.5, 8, 32]);
  });
});
