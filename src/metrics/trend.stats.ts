/**
 * Pure statistics of GET /metrics/trend: the summary of a bucketed series lives here; bucket policy,
 * anomalies and forecast live in their own files and are re-exported so callers can import everything
 * from 'src/metrics/trend.stats'. Every number returned is finite or null (safe for JSON).
 */
import { DAY_MS, finiteOrNull, normalizePoints, TrendPoint } from 'src/metrics/buckets.policy';

export * from 'src/metrics/buckets.policy';
export * from 'src/metrics/anomaly.stats';
export * from 'src/metrics/forecast.stats';

export type TrendDirection = 'up' | 'down' | 'flat';

export interface TrendSummary {
  /** Total number of raw points: the sum of the bucket counts. */
  count: number;
  first: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
  /** Unweighted mean of the bucket values (each bucket counts once, whatever its raw point count). */
  mean: number | null;
  absoluteChange: number | null;
  relativeChange: number | null;
  slopePerDay: number | null;
  direction: TrendDirection;
}

/** |relativeChange| below this (1 %) is 'flat'. */
export const FLAT_RELATIVE_THRESHOLD = 0.01;

/** Arithmetic mean; null for an empty list. */
export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  // Arithmetic mean: x̄ = (1/n)·Σ xᵢ.
  return s / xs.length;
}

/** Relative change (last − first)/|first|; null when first = 0. */
export function relativeChange(first: number, last: number): number | null {
  if (first === 0) return null;
  // Relative change with respect to the magnitude of the starting value: (last − first) / |first|.
  return (last - first) / Math.abs(first);
}

/** Ordinary least-squares slope of y on x; null with fewer than 2 points or no spread in x. */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  const mx = mean(xs.slice(0, n)) as number;
  const my = mean(ys.slice(0, n)) as number;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) * (xs[i] - mx);
  }
  if (sxx === 0) return null;
  // OLS slope: b = Σ(xᵢ − x̄)(yᵢ − ȳ) / Σ(xᵢ − x̄)².
  return sxy / sxx;
}

/** 'flat' when |rel| < 1 %, or rel is null and abs = 0; otherwise the sign of rel (or of abs when rel is null). */
export function trendDirection(absoluteChange: number | null, rel: number | null): TrendDirection {
  if (rel === null) {
    if (absoluteChange === null || absoluteChange === 0) return 'flat';
    return absoluteChange > 0 ? 'up' : 'down';
  }
  if (Math.abs(rel) < FLAT_RELATIVE_THRESHOLD) return 'flat';
  return rel > 0 ? 'up' : 'down';
}

/**
 * Summary of a series of non-empty buckets in time order. Slope is per day: bucket starts are
 * measured in days from the first bucket (a shift of x does not change an OLS slope).
 * Empty series → count 0, every number null, direction 'flat'.
 */
export function summarizeTrend(points: readonly TrendPoint[]): TrendSummary {
  const pts = normalizePoints(points);
  if (pts.length === 0) {
    return {
      count: 0,
      first: null,
      last: null,
      min: null,
      max: null,
      mean: null,
      absoluteChange: null,
      relativeChange: null,
      slopePerDay: null,
      direction: 'flat',
    };
  }
  const values = pts.map((p) => p.value);
  const first = values[0];
  const last = values[values.length - 1];
  const absoluteChange = finiteOrNull(last - first);
  const rel = finiteOrNull(relativeChange(first, last));
  const days = pts.map((p) => (p.t - pts[0].t) / DAY_MS);
  return {
    count: pts.reduce((s, p) => s + p.count, 0),
    first,
    last,
    min: values.reduce((a, b) => (b < a ? b : a)),
    max: values.reduce((a, b) => (b > a ? b : a)),
    mean: finiteOrNull(mean(values)),
    absoluteChange,
    relativeChange: rel,
    slopePerDay: finiteOrNull(leastSquaresSlope(days, values)),
    direction: trendDirection(absoluteChange, rel),
  };
}
