/**
 * Anomalies of a bucketed series by the robust modified z-score of Iglewicz & Hoaglin (1993),
 * each bucket judged against a trailing window of the non-empty buckets before it.
 */
import { finiteOrNull, normalizePoints, TrendPoint } from 'src/metrics/buckets.policy';

/** A bucket needs at least this many earlier non-empty buckets to be judged. */
export const ANOMALY_MIN_HISTORY = 8;
export const DEFAULT_ANOMALY_WINDOW = 24;
export const DEFAULT_ANOMALY_THRESHOLD = 3.5;
/** Iglewicz & Hoaglin's constant: ≈ Φ⁻¹(0.75), so MAD/0.6745 estimates σ for normal data. */
export const MODIFIED_Z_CONSTANT = 0.6745;

export interface AnomalyOptions {
  /** Maximum number of earlier non-empty buckets in the baseline (default 24). */
  window?: number;
  /** |score| at or above which a bucket is flagged (default 3.5). */
  threshold?: number;
}

export interface Anomaly {
  bucketStart: Date;
  value: number;
  /** Median of the baseline window. */
  median: number;
  /** Median absolute deviation of the baseline window (null only if it overflows). */
  mad: number | null;
  /** Modified z-score; null when MAD = 0 (the score is ±Infinity). */
  score: number | null;
}

/** Median of a non-empty list (mean of the two middle values for an even length). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  // Sample median: middle order statistic, or the mean of the two middle ones (halved first to avoid overflow).
  return s.length % 2 === 1 ? s[mid] : s[mid - 1] / 2 + s[mid] / 2;
}

/** Median absolute deviation about a given median m (unscaled). */
export function medianAbsoluteDeviation(xs: readonly number[], m: number): number {
  // MAD = median(|xᵢ − m|) with m the median of xs (Iglewicz & Hoaglin 1993; no 1.4826 scaling).
  return median(xs.map((x) => Math.abs(x - m)));
}

/** Modified z-score of x against median m and MAD mad; ±Infinity when mad = 0 and x ≠ m, 0 when x = m. */
export function modifiedZScore(x: number, m: number, mad: number): number {
  if (x === m) return 0;
  // Iglewicz & Hoaglin (1993): Mᵢ = 0.6745·(xᵢ − x̃) / MAD.
  return (MODIFIED_Z_CONSTANT * (x - m)) / mad;
}

/** Index of the first element ≥ x in an ascending array (binary search). */
function lowerBound(sorted: readonly number[], x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < x) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Median of an ascending, non-empty array (the same formula as median()). */
function sortedMedian(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : sorted[mid - 1] / 2 + sorted[mid] / 2;
}

/**
 * MAD of an ascending array about m without sorting: the deviations |x − m| grow outwards from the
 * first element ≥ m, so merging the two runs (left going down, right going up) yields them in
 * ascending order; only the first ⌊n/2⌋ + 1 are needed. Same values as medianAbsoluteDeviation().
 */
function sortedMedianAbsoluteDeviation(sorted: readonly number[], m: number): number {
  const n = sorted.length;
  const mid = n >> 1;
  let left = lowerBound(sorted, m) - 1;
  let right = left + 1;
  let previous = 0;
  let current = 0;
  for (let rank = 0; rank <= mid; rank++) {
    const leftDeviation = left >= 0 ? Math.abs(sorted[left] - m) : Infinity;
    const rightDeviation = right < n ? Math.abs(sorted[right] - m) : Infinity;
    previous = current;
    if (leftDeviation <= rightDeviation) {
      current = leftDeviation;
      left--;
    } else {
      current = rightDeviation;
      right++;
    }
  }
  return n % 2 === 1 ? current : previous / 2 + current / 2;
}

/**
 * Flags each bucket that has ≥ 8 earlier non-empty buckets and whose modified z-score against the
 * previous min(window, available) buckets satisfies |score| ≥ threshold. With MAD = 0 any value
 * different from the median is flagged, with score null. The baseline window is kept sorted as it
 * slides (one insertion and one removal per bucket), so a long series costs O(n·window), not
 * O(n·window·log window) with two sorts per bucket.
 */
export function detectAnomalies(points: readonly TrendPoint[], options: AnomalyOptions = {}): Anomaly[] {
  const window = options.window ?? DEFAULT_ANOMALY_WINDOW;
  const threshold = options.threshold ?? DEFAULT_ANOMALY_THRESHOLD;
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`anomaly window must be a positive integer: ${window}`);
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new RangeError(`anomaly threshold must be positive: ${threshold}`);
  const pts = normalizePoints(points);
  const out: Anomaly[] = [];
  // The values of pts[max(0, i − window) … i − 1] in ascending order.
  const baseline: number[] = [];
  for (let i = 0; i < pts.length; i++) {
    const x = pts[i].value;
    if (i >= ANOMALY_MIN_HISTORY) {
      const m = sortedMedian(baseline);
      const mad = sortedMedianAbsoluteDeviation(baseline, m);
      const score = modifiedZScore(x, m, mad);
      if (Math.abs(score) >= threshold) {
        out.push({
          bucketStart: new Date(pts[i].t),
          value: x,
          median: m,
          mad: finiteOrNull(mad),
          score: finiteOrNull(score),
        });
      }
    }
    baseline.splice(lowerBound(baseline, x), 0, x);
    if (i >= window) baseline.splice(lowerBound(baseline, pts[i - window].value), 1);
  }
  return out;
}
