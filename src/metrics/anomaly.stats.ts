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

/**
 * Flags each bucket that has ≥ 8 earlier non-empty buckets and whose modified z-score against the
 * previous min(window, available) buckets satisfies |score| ≥ threshold. With MAD = 0 any value
 * different from the median is flagged, with score null.
 */
export function detectAnomalies(points: readonly TrendPoint[], options: AnomalyOptions = {}): Anomaly[] {
  const window = options.window ?? DEFAULT_ANOMALY_WINDOW;
  const threshold = options.threshold ?? DEFAULT_ANOMALY_THRESHOLD;
  if (!Number.isInteger(window) || window < 1)
    throw new RangeError(`anomaly window must be a positive integer: ${window}`);
  if (!(threshold > 0) || !Number.isFinite(threshold))
    throw new RangeError(`anomaly threshold must be positive: ${threshold}`);
  const pts = normalizePoints(points);
  const out: Anomaly[] = [];
  for (let i = ANOMALY_MIN_HISTORY; i < pts.length; i++) {
    const baseline = pts.slice(Math.max(0, i - window), i).map((p) => p.value);
    const x = pts[i].value;
    const m = median(baseline);
    const mad = medianAbsoluteDeviation(baseline, m);
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
  return out;
}
