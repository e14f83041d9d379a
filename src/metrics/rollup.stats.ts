/**
 * Mergeable summaries of a set of metric values (a rollup row, or a trend bucket assembled from rollup rows and raw
 * points) and the aggregations a trend reads from them. Pure: no framework, no database.
 *
 * The sketch is DDSketch's logarithmic mapping (Masson, Rim & Lee, VLDB 2019, §2), computed in SQL by
 * metric_sketch_key (migration 1796100000000): key p<i> / n<i> holds values with ⌈log_γ |v|⌉ = i, γ = (1 + α)/(1 − α),
 * key z holds |v| < 1e-9.
 */
import { MetricAggregation } from 'src/metrics/metrics.types';

/** Relative error of every value the sketch returns (DDSketch's α). */
export const SKETCH_RELATIVE_ERROR = 0.01;
const GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR);
/** Values of smaller magnitude count as 0 (absolute error below this). */
export const SKETCH_ZERO_THRESHOLD = 1e-9;

/** Sketch key → number of values. */
export type SketchCounts = Record<string, number>;

export interface RollupCell {
  count: number;
  sum: number;
  min: number;
  max: number;
  lastValue: number;
  /** Epoch ms of the last value. */
  lastAt: number;
  /** Present when the read asked for percentiles. */
  sketch?: SketchCounts;
}

/** Two summaries of disjoint point sets as one: counts and sums add, last is the later point (ties: greater value). */
export function mergeCells(a: RollupCell, b: RollupCell): RollupCell {
  const bIsLater = b.lastAt > a.lastAt || (b.lastAt === a.lastAt && b.lastValue > a.lastValue);
  const merged: RollupCell = {
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    lastValue: bIsLater ? b.lastValue : a.lastValue,
    lastAt: bIsLater ? b.lastAt : a.lastAt,
  };
  if (a.sketch !== undefined || b.sketch !== undefined) merged.sketch = mergeSketches(a.sketch ?? {}, b.sketch ?? {});
  return merged;
}

export function mergeSketches(a: SketchCounts, b: SketchCounts): SketchCounts {
  const merged: SketchCounts = { ...a };
  for (const key in b) merged[key] = (merged[key] ?? 0) + b[key];
  return merged;
}

/** Representative value of a sketch key: 2γ^i/(γ + 1), within α of every value of the bucket (γ^(i−1), γ^i]. */
export function sketchKeyValue(key: string): number {
  if (key === 'z') return 0;
  const magnitude = (2 * Math.pow(GAMMA, Number(key.slice(1)))) / (GAMMA + 1);
  return key[0] === 'n' ? -magnitude : magnitude;
}

const POSITIONS = 2 ** 17;
/**
 * Sort order of a sketch key, increasing with the key's value: n<i> (−γ^i, decreasing in i) below z (0) below p<i>
 * (γ^i). |i| stays below 40,000 for any finite float8 (log_γ 1.8e308 ≈ 35,500), so the offsets keep the three apart.
 */
function sketchKeyOrder(key: string): number {
  if (key === 'z') return 0;
  const index = Number(key.slice(1));
  return key[0] === 'n' ? -1e6 - index : 1e6 + index;
}

/**
 * The q-quantile as percentile_cont defines it (linear interpolation between the order statistics at ranks
 * ⌊q(n−1)⌋ and ⌈q(n−1)⌉), each order statistic read from the sketch within relative error α; when both have the same
 * sign the interpolated value is within α of the exact one too. Null for an empty sketch.
 * Keys are ordered by sketchKeyOrder (one numeric sort) and only the one or two keys holding the ranks are turned
 * into values: a trend asks this once per bucket.
 */
export function sketchQuantile(sketch: SketchCounts, q: number): number | null {
  // Keys and counts in one order (both follow the object's own-property order); no per-key property reads.
  const keys = Object.keys(sketch);
  const counts = Object.values(sketch);
  // sketchKeyOrder · 2^17 + position: one numeric sort orders the keys and keeps where each came from (exact in a
  // double: |order| · 2^17 < 2^38; a sketch has at most 2 · 35,500 + 1 < 2^17 keys). Plain arrays: typed arrays cost
  // more to allocate and sort than they save at a sketch's few dozen keys.
  const packed: number[] = new Array<number>(keys.length);
  let total = 0;
  for (let i = 0; i < keys.length; i++) {
    packed[i] = sketchKeyOrder(keys[i]) * POSITIONS + i;
    total += counts[i];
  }
  if (total === 0) return null;
  packed.sort((a, b) => a - b);
  const rank = q * (total - 1);
  const lower = Math.floor(rank);
  /** The key holding the order statistic at 0-based rank `target` (the last key past the end). */
  const at = (target: number): string => {
    let seen = 0;
    let position = 0;
    for (const entry of packed) {
      position = ((entry % POSITIONS) + POSITIONS) % POSITIONS;
      seen += counts[position];
      if (seen > target) break;
    }
    return keys[position];
  };
  const low = sketchKeyValue(at(lower));
  return rank === lower ? low : low + (rank - lower) * (sketchKeyValue(at(lower + 1)) - low);
}

const QUANTILES: Partial<Record<MetricAggregation, number>> = {
  [MetricAggregation.P50]: 0.5,
  [MetricAggregation.P90]: 0.9,
  [MetricAggregation.P95]: 0.95,
  [MetricAggregation.P99]: 0.99,
};

export function isPercentile(aggregation: MetricAggregation): boolean {
  return QUANTILES[aggregation] !== undefined;
}

/** The aggregation of a merged cell: exact for avg/min/max/sum/count/last, the sketch's estimate for percentiles. */
export function cellValue(cell: RollupCell, aggregation: MetricAggregation): number | null {
  switch (aggregation) {
    case MetricAggregation.Avg:
      return cell.sum / cell.count;
    case MetricAggregation.Min:
      return cell.min;
    case MetricAggregation.Max:
      return cell.max;
    case MetricAggregation.Sum:
      return cell.sum;
    case MetricAggregation.Count:
      return cell.count;
    case MetricAggregation.Last:
      return cell.lastValue;
    default:
      return sketchQuantile(cell.sketch ?? {}, QUANTILES[aggregation]!);
  }
}
