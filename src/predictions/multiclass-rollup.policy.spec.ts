import { multiclassCounts, multiclassF1, multiclassLogLossTerm } from 'src/predictions/realized.stats';
import {
  emptyMulticlassHourStats,
  mergeMulticlassStats,
  multiclassRollupDeltas,
  multiclassStatsFromStored,
  multiclassStatsToStored,
} from 'src/predictions/multiclass-rollup.policy';

const HOUR = 3_600_000;
const at = (hour: number, minute = 0) => Date.parse('2026-04-01T00:00:00Z') + hour * HOUR + minute * 60_000;
const label = (name: string, probability: number | null) => ({ label: name, probability });
const move = (
  predictedAt: number,
  predictedClass: string,
  from: ReturnType<typeof label> | null | undefined,
  to: ReturnType<typeof label> | null,
  count = 1,
) => ({
  modelId: 'm',
  environment: 'production',
  predictedAt,
  predictedClass,
  from,
  to,
  count,
});

describe('multiclass rollup deltas', () => {
  it('counts new predictions per hour, adds a label, and takes an overwritten label off', () => {
    const [hour0, hour1] = multiclassRollupDeltas([
      move(at(0, 5), 'cat', undefined, null, 3), // three unlabelled predictions (grouped per hour)
      move(at(0, 10), 'cat', undefined, label('cat', 0.7)), // a prediction whose label was waiting
      move(at(0, 20), 'dog', null, label('bird', 0.1)), // a label arriving later
      move(at(0, 20), 'dog', label('bird', 0.1), label('dog', 0.6)), // ... and overwritten
      move(at(1, 1), 'bird', undefined, label('cat', null)), // the true class absent from the probabilities: p = 0
    ]);
    expect([hour0.bucketStart, hour0.stats.predictions, hour0.stats.labelled]).toEqual([at(0), 4, 2]);
    // the bird → dog cell went back to 0 and is gone: the hour's counts are those of its labels as they ended up
    expect(hour0.stats.counts).toEqual(multiclassCounts(['cat', 'dog'], ['cat', 'dog']));
    expect(hour0.stats.logLoss).toBeCloseTo(multiclassLogLossTerm('cat', { cat: 0.7 }) + multiclassLogLossTerm('dog', { dog: 0.6 }), 12);
    expect(hour1.stats.logLoss).toBe(multiclassLogLossTerm('cat', {}));
  });

  it('reads a stored row without its cells at 0, so a class seen only in overwritten labels does not enter the macro averages', () => {
    // a rare class, labelled once and overwritten in a later batch: the stored sum of the two deltas leaves its cell at 0
    const stored = multiclassStatsFromStored([5, 2, 1.2], { rare: { cat: 0 }, cat: { cat: 1 }, dog: { dog: 1 } });
    expect([...stored.counts.keys()].sort()).toEqual(['cat', 'dog']);
    expect(multiclassF1(stored.counts)).toEqual(multiclassF1(multiclassCounts(['cat', 'dog'], ['cat', 'dog'])));
  });

  it('stores and reads back the same statistics, and merges by addition', () => {
    const [delta] = multiclassRollupDeltas([move(at(0), 'cat', undefined, label('dog', 0.25)), move(at(0), 'dog', undefined, null)]);
    const stored = multiclassStatsToStored(delta.stats);
    expect(stored).toEqual({ sums: [2, 1, -Math.log(0.25)], counts: { dog: { cat: 1 } } });
    expect(multiclassStatsFromStored(stored.sums, stored.counts)).toEqual(delta.stats);
    const merged = emptyMulticlassHourStats();
    mergeMulticlassStats(merged, delta.stats);
    mergeMulticlassStats(merged, delta.stats);
    expect(multiclassStatsToStored(merged)).toEqual({ sums: [4, 2, -2 * Math.log(0.25)], counts: { dog: { cat: 2 } } });
  });
});
