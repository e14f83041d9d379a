import { CBPE_METRICS, estimateCbpeFromGroups, fitCbpeReference, type ScorePredictionGroup } from 'src/predictions/cbpe.stats';
import {
  addCalibratedGroups,
  emptyEstimationStats,
  estimatedValuesFromStats,
  estimateFromStats,
  estimationDeltas,
  hourRuns,
  hoursFromGroups,
  hoursIntoBuckets,
} from 'src/predictions/estimation-rollup.policy';
import type { LocatedMove } from 'src/predictions/realized-rollup.policy';
import { Lcg } from 'test/support/prediction-vectors';

const HOUR = 3_600_000;

/** True P(label = 1) q, reported score q² (miscalibrated, so the calibrator matters); predicted label: score ≥ 0.5. */
function scores(generator: Lcg, n: number): { score: number; label: number }[] {
  return Array.from({ length: n }, () => {
    const q = generator.next();
    return { score: Math.round(q * q * 1e4) / 1e4, label: generator.next() < q ? 1 : 0 };
  });
}

const reference = (() => {
  const rows = scores(new Lcg(5), 3000);
  return fitCbpeReference(
    rows.map((r) => r.score),
    rows.map((r) => (r.score >= 0.5 ? 1 : 0)),
    rows.map((r) => r.label),
  );
})();

const asGroups = (rows: { score: number }[]): ScorePredictionGroup[] =>
  rows.map((row) => ({ score: row.score, predictedLabel: row.score >= 0.5 ? 1 : 0, count: 1 }));

describe('CBPE hourly statistics (estimation-rollup.policy)', () => {
  it('give the raw estimate of every confusion metric to 1e-12 and the AUC within the bound they state', () => {
    const groups = asGroups(scores(new Lcg(9), 4000));
    const stats = emptyEstimationStats();
    // added in three parts, as an hour's batches are: the sums do not depend on how the hour was cut
    for (const part of [groups.slice(0, 1000), groups.slice(1000, 1001), groups.slice(1001)])
      addCalibratedGroups(stats, reference.calibrator, part);
    const exact = estimateCbpeFromGroups(reference, groups);
    const { estimates, aucErrorBound } = estimateFromStats(reference, stats);
    for (const metric of CBPE_METRICS.filter((m) => m !== 'auc')) {
      for (const field of ['value', 'standardError', 'lower', 'upper'] as const)
        expect(Math.abs(estimates[metric][field]! - exact[metric][field]!)).toBeLessThan(1e-12);
    }
    expect(aucErrorBound).toBeGreaterThan(0);
    expect(aucErrorBound).toBeLessThan(0.01);
    expect(Math.abs(estimates.auc.value! - exact.auc.value!)).toBeLessThanOrEqual(aucErrorBound!);
    expect(estimates.auc.standardError).toBe(exact.auc.standardError);
  });

  it('merge hours into epoch-aligned buckets by addition, and points carry count and (AUC) the bound', () => {
    const fit = { fitId: 'f', calibrator: reference.calibrator };
    const rows = scores(new Lcg(11), 600);
    const start = 1_780_000_000_000 - (1_780_000_000_000 % (6 * HOUR));
    const groups = rows.map((row, i) => ({ ...asGroups([row])[0], hour: start + (i % 7) * HOUR }));
    const hours = hoursFromGroups({ modelId: 'm', environment: 'production' }, fit, groups);
    expect(hours).toHaveLength(7);
    const buckets = hoursIntoBuckets(hours, 6 * HOUR);
    expect(buckets.map((b) => b.bucket)).toEqual([start / (6 * HOUR), start / (6 * HOUR) + 1]);
    const firstSix = groups.filter((g) => g.hour < start + 6 * HOUR);
    const exact = estimateCbpeFromGroups(reference, firstSix);
    const [accuracyPoint] = estimatedValuesFromStats(reference, 'accuracy', buckets);
    expect(accuracyPoint.count).toBe(firstSix.length);
    expect(Math.abs(accuracyPoint.value - exact.accuracy.value!)).toBeLessThan(1e-12);
    expect(accuracyPoint.errorBound).toBeUndefined();
    const [aucPoint] = estimatedValuesFromStats(reference, 'auc', buckets);
    expect(Math.abs(aucPoint.value - exact.auc.value!)).toBeLessThanOrEqual(aucPoint.errorBound!);
    // an empty hour (a filled hour with no prediction) makes no point
    expect(estimatedValuesFromStats(reference, 'accuracy', [{ bucket: 1, stats: emptyEstimationStats() }])).toEqual([]);
  });

  it('take only newly logged predictions of models with a fit as deltas, per hour', () => {
    const fits = new Map([['m', { fitId: 'f', calibrator: reference.calibrator }]]);
    const move = (over: Partial<LocatedMove>): LocatedMove => ({
      modelId: 'm',
      environment: 'production',
      predictedAt: 5 * HOUR + 10,
      predictedClass: '1',
      score: 0.7,
      to: null,
      count: 2,
      ...over,
    });
    const deltas = estimationDeltas(
      [
        move({}),
        move({ predictedAt: 5 * HOUR + 999, to: '1', count: 1 }),
        move({ from: null, to: '0' }),
        move({ modelId: 'other' }),
        move({ predictedAt: 6 * HOUR }),
      ],
      fits,
    );
    expect(deltas.map((d) => [d.hour, d.fitId, d.stats.sums[0]])).toEqual([
      [5 * HOUR, 'f', 3],
      [6 * HOUR, 'f', 2],
    ]);
  });

  it('cut sorted hours into contiguous runs of at most n hours', () => {
    expect(hourRuns([0, HOUR, 2 * HOUR, 5 * HOUR, 6 * HOUR], 2)).toEqual([
      { from: 0, to: 2 * HOUR },
      { from: 2 * HOUR, to: 3 * HOUR },
      { from: 5 * HOUR, to: 7 * HOUR },
    ]);
    expect(hourRuns([], 24)).toEqual([]);
  });
});
