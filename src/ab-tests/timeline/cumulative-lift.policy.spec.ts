import type { AbTestRecord } from 'src/ab-tests/ab-tests.repository';
import { analyzeAbTestRecord } from 'src/ab-tests/ab-test-results.service';
import { CUMULATIVE_BUCKETS, cumulativeStates, type CounterSnapshot } from 'src/ab-tests/timeline/cumulative-lift.policy';

const DAY = CUMULATIVE_BUCKETS['1d'];
const T0 = Date.UTC(2026, 10, 1);

function binaryTest(
  counts: Array<[number, number]> = [
    [0, 0],
    [0, 0],
  ],
): AbTestRecord {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'timeline',
    mode: 'experiment',
    modelId: '00000000-0000-4000-8000-000000000002',
    description: null,
    hypothesis: null,
    primaryMetric: 'conversion',
    metricType: 'binary',
    alpha: 0.05,
    power: 0.8,
    minimumDetectableEffect: 0.05,
    baselineRate: null,
    baselineMean: null,
    baselineStdDev: null,
    hashSeed: 'seed',
    sequential: false,
    minSamplesPerVariant: 0,
    coverage: 1,
    analysis: 'relative',
    engine: 'frequentist',
    sequentialTuningParameter: 5000,
    priorMean: null,
    priorVariance: null,
    correctionScope: 'variants',
    metrics: [],
    status: 'running',
    winner: null,
    conclusion: null,
    startedAt: new Date(T0),
    endedAt: null,
    variants: counts.map(([count, sum], position) => ({
      name: position === 0 ? 'control' : 'challenger',
      modelVersion: null,
      weight: 1,
      count,
      sum,
      sumSquares: sum,
      centeredSumSquares: sum - (count > 0 ? (sum * sum) / count : 0),
    })),
  } as AbTestRecord;
}

/** A binary variant's snapshot with `count` units of which `sum` succeeded. */
function snapshot(at: number, variantPosition: number, count: number, sum: number): CounterSnapshot {
  return {
    recordedAt: new Date(at),
    metricPosition: null,
    variantPosition,
    count,
    sum,
    sumSquares: sum,
    centeredSumSquares: sum - (sum * sum) / count,
    denominatorSum: 0,
    denominatorSumSquares: 0,
    sumProducts: 0,
  };
}

describe('cumulativeStates', () => {
  it('gives one state per bucket with batches, each the counters after the bucket’s last batch', () => {
    const snapshots = [
      snapshot(T0 + 1_000, 0, 100, 10),
      snapshot(T0 + 1_000, 1, 100, 12),
      snapshot(T0 + 5_000, 0, 250, 26), // same day: replaces the first
      // day 2 skipped; day 3: only the challenger gets a batch, the control carries forward
      snapshot(T0 + 2 * DAY + 60_000, 1, 300, 40),
    ];
    const states = cumulativeStates(binaryTest(), snapshots, DAY);
    expect(states.map((state) => state.bucketStart.getTime())).toEqual([T0, T0 + 2 * DAY]);
    expect(states.map((state) => state.asOf.getTime())).toEqual([T0 + 5_000, T0 + 2 * DAY + 60_000]);
    expect(states[0].test.variants.map((variant) => [variant.count, variant.sum])).toEqual([
      [250, 26],
      [100, 12],
    ]);
    expect(states[1].test.variants.map((variant) => [variant.count, variant.sum])).toEqual([
      [250, 26],
      [300, 40],
    ]);
  });

  it('the last state is the stored counters, so its analysis is the results’ (to the bit)', () => {
    const snapshots = [
      snapshot(T0, 0, 1000, 100),
      snapshot(T0, 1, 1000, 130),
      snapshot(T0 + DAY, 0, 2000, 205),
      snapshot(T0 + DAY, 1, 2100, 260),
    ];
    const states = cumulativeStates(binaryTest(), snapshots, DAY);
    const stored = binaryTest([
      [2000, 205],
      [2100, 260],
    ]);
    expect(analyzeAbTestRecord(states[1].test)).toEqual(analyzeAbTestRecord(stored));
    // and the first point is a different, smaller sample
    expect(analyzeAbTestRecord(states[0].test).comparisons[0].relativeEffect).toBeCloseTo(0.3, 12);
  });

  it('keeps time order when a later batch carries an earlier time (another instance’s clock)', () => {
    const snapshots = [snapshot(T0 + DAY + 10, 0, 10, 1), snapshot(T0 + DAY - 10, 0, 20, 2)];
    const states = cumulativeStates(binaryTest(), snapshots, DAY);
    expect(states).toHaveLength(1);
    expect(states[0].bucketStart.getTime()).toBe(T0 + DAY);
    expect(states[0].test.variants[0].count).toBe(20);
  });

  it('has no state without snapshots, and leaves the record it was given untouched', () => {
    const test = binaryTest([
      [5, 1],
      [5, 2],
    ]);
    expect(cumulativeStates(test, [], DAY)).toEqual([]);
    cumulativeStates(test, [snapshot(T0, 0, 50, 5)], DAY);
    expect(test.variants[0].count).toBe(5);
  });

  it('replays a metric’s rows into that metric (multi-metric tests)', () => {
    const test = binaryTest();
    test.metrics = [
      {
        name: 'revenue',
        role: 'primary',
        type: 'ratio',
        direction: 'higher_is_better',
        tolerance: null,
        covariate: false,
        variants: [0, 1].map(() => ({ count: 9, sum: 9, sumSquares: 9, denominatorSum: 9, denominatorSumSquares: 9, sumProducts: 9 })),
      },
    ];
    const row = { ...snapshot(T0, 1, 40, 80), metricPosition: 0, denominatorSum: 4, denominatorSumSquares: 5, sumProducts: 6 };
    const [state] = cumulativeStates(test, [row], DAY);
    expect(state.test.metrics[0].variants).toEqual([
      { count: 0, sum: 0, sumSquares: 0, centeredSumSquares: 0, denominatorSum: 0, denominatorSumSquares: 0, sumProducts: 0 },
      {
        count: 40,
        sum: 80,
        sumSquares: 80,
        centeredSumSquares: row.centeredSumSquares,
        denominatorSum: 4,
        denominatorSumSquares: 5,
        sumProducts: 6,
      },
    ]);
    expect(state.test.variants.map((variant) => variant.count)).toEqual([0, 0]);
  });
});
