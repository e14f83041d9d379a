/**
 * The counters of a test as they stood over time, replayed from its snapshots (AbTestSnapshotEntity). Only counters:
 * the lift at each time is computed by the one analysis the results use (analyzeAbTestRecord). Pure: no framework
 * or database imports.
 */
import type { AbTestRecord } from 'src/ab-tests/ab-tests.repository';

/** Bucket widths, aligned to the Unix epoch (UTC): a 1d bucket is a UTC day. */
export const CUMULATIVE_BUCKETS = { '1h': 3_600_000, '6h': 21_600_000, '1d': 86_400_000 } as const;
export type CumulativeBucket = keyof typeof CUMULATIVE_BUCKETS;

/** A counter row as one batch left it; metricPosition null is the variant's own counters. */
export interface CounterSnapshot {
  recordedAt: Date;
  metricPosition: number | null;
  variantPosition: number;
  count: number;
  sum: number;
  sumSquares: number;
  centeredSumSquares: number;
  denominatorSum: number;
  denominatorSumSquares: number;
  sumProducts: number;
}

export interface CounterState {
  bucketStart: Date;
  /** The time of the last batch in the bucket. */
  asOf: Date;
  /** The test with every counter as the bucket's last batch left it (rows no batch touched yet: zero). */
  test: AbTestRecord;
}

const ZERO = { count: 0, sum: 0, sumSquares: 0, centeredSumSquares: 0 };

/**
 * One state per bucket that had a batch, oldest first. `snapshots` are in the order the batches applied, or reduced
 * to the last snapshot of each counter row per bucket, buckets oldest first (what the repository reads: the same
 * states). A time earlier than the one before it (clocks of several instances) counts as the bucket already
 * reached, so the states stay in time order and each one holds every batch applied before it.
 */
export function cumulativeStates(test: AbTestRecord, snapshots: readonly CounterSnapshot[], bucketMs: number): CounterState[] {
  const variants = test.variants.map((variant) => ({ ...variant, ...ZERO }));
  const metrics = test.metrics.map((metric) => ({
    ...metric,
    variants: metric.variants.map(() => ({ ...ZERO, denominatorSum: 0, denominatorSumSquares: 0, sumProducts: 0 })),
  }));
  const states: CounterState[] = [];
  let bucket: number | null = null;
  let asOf = 0;
  const emit = (start: number): void => {
    states.push({
      bucketStart: new Date(start),
      asOf: new Date(asOf),
      test: {
        ...test,
        variants: variants.map((variant) => ({ ...variant })),
        metrics: metrics.map((metric) => ({ ...metric, variants: metric.variants.map((sums) => ({ ...sums })) })),
      },
    });
  };
  for (const snapshot of snapshots) {
    const at = Math.max(snapshot.recordedAt.getTime(), asOf);
    const start = Math.floor(at / bucketMs) * bucketMs;
    if (bucket !== null && start !== bucket) emit(bucket);
    bucket = start;
    asOf = at;
    const { count, sum, sumSquares, centeredSumSquares } = snapshot;
    if (snapshot.metricPosition === null) {
      Object.assign(variants[snapshot.variantPosition], { count, sum, sumSquares, centeredSumSquares });
    } else {
      const { denominatorSum, denominatorSumSquares, sumProducts } = snapshot;
      Object.assign(metrics[snapshot.metricPosition].variants[snapshot.variantPosition], {
        count,
        sum,
        sumSquares,
        centeredSumSquares,
        denominatorSum,
        denominatorSumSquares,
        sumProducts,
      });
    }
  }
  if (bucket !== null) emit(bucket);
  return states;
}
