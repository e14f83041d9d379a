/**
 * Forecast of a bucketed series by Holt's linear exponential smoothing (Holt 1957), α and β chosen
 * on the grid {0.1, …, 0.9}² by least one-step-ahead squared error.
 */
import { finiteOrNull, normalizePoints, toEpochMs, TimeInput, TrendPoint } from 'src/metrics/buckets.policy';

export const MAX_FORECAST_HORIZON = 500;
/** Holt needs at least this many points (two to initialise, two one-step errors to fit). */
export const FORECAST_MIN_POINTS = 4;
/** Smoothing parameter grid k/10, k = 1…9 (built by division so 0.3 is exactly the literal 0.3). */
export const HOLT_GRID: readonly number[] = Object.freeze([1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => k / 10));
/** Normal 97.5 % quantile used for the ±95 % interval. */
export const FORECAST_Z = 1.96;

export interface ForecastOptions {
  /** Number of future buckets, integer 0–500. */
  horizon: number;
  /** Aligned start of the last bucket of the requested range (the bucket containing to − 1 ms). */
  lastBucketStart: TimeInput;
  /** Bucket size in milliseconds. */
  bucketMs: number;
}

export interface ForecastPoint {
  bucketStart: Date;
  value: number | null;
  lower: number | null;
  upper: number | null;
}

export interface HoltForecast {
  /** Chosen level smoothing parameter; null when there are fewer than 4 points. */
  alpha: number | null;
  /** Chosen trend smoothing parameter; null when there are fewer than 4 points. */
  beta: number | null;
  /** √(mean of the one-step squared errors) at the chosen α, β; null when there are fewer than 4 points. */
  rmse: number | null;
  points: ForecastPoint[];
}

export interface HoltFit {
  level: number;
  trend: number;
  /** Sum of squared one-step errors e_t, t = 2…n−1. */
  sse: number;
  /** Number of one-step errors (n − 2). */
  errors: number;
}

/**
 * Runs Holt's recursions on y (length ≥ 2): level₀ = y₀, trend₀ = y₁ − y₀, and for t ≥ 1
 * level_t = α·y_t + (1−α)(level_{t−1} + trend_{t−1}), trend_t = β(level_t − level_{t−1}) + (1−β)·trend_{t−1};
 * accumulates e_t = y_t − (level_{t−1} + trend_{t−1}) for t ≥ 2.
 */
export function holtFit(y: readonly number[], alpha: number, beta: number): HoltFit {
  if (y.length < 2) throw new RangeError('Holt needs at least 2 values');
  let level = y[0];
  let trend = y[1] - y[0];
  let sse = 0;
  for (let t = 1; t < y.length; t++) {
    const predicted = level + trend;
    if (t >= 2) sse += (y[t] - predicted) ** 2;
    const previousLevel = level;
    // Holt (1957) linear method: ℓ_t = α·y_t + (1−α)(ℓ_{t−1} + b_{t−1}); b_t = β(ℓ_t − ℓ_{t−1}) + (1−β)·b_{t−1}.
    level = alpha * y[t] + (1 - alpha) * predicted;
    trend = beta * (level - previousLevel) + (1 - beta) * trend;
  }
  return { level, trend, sse, errors: Math.max(0, y.length - 2) };
}

/**
 * The (α, β) on HOLT_GRID minimising the one-step SSE. Ties go to the smallest α, then smallest β:
 * a later candidate wins only if it is smaller by more than a tolerance that is relative to the best
 * SSE (1e-9) plus an absolute floor n·(1e-9·max|y|)² covering rounding noise around a zero SSE.
 */
export function chooseHoltParameters(y: readonly number[]): { alpha: number; beta: number; fit: HoltFit } {
  const scale = y.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const floor = y.length * (1e-9 * scale) ** 2;
  let best: { alpha: number; beta: number; fit: HoltFit } | null = null;
  for (const alpha of HOLT_GRID) {
    for (const beta of HOLT_GRID) {
      const fit = holtFit(y, alpha, beta);
      if (best === null || fit.sse < best.fit.sse - (1e-9 * best.fit.sse + floor)) best = { alpha, beta, fit };
    }
  }
  return best as { alpha: number; beta: number; fit: HoltFit };
}

/**
 * Holt forecast of the non-empty bucket values for `horizon` future buckets. Step h has
 * bucketStart = lastBucketStart + h·bucketMs, value = level + h·trend and the interval
 * value ± 1.96·RMSE·√h. Fewer than 4 points → no forecast (alpha/beta/rmse null, points empty).
 */
export function forecastHolt(points: readonly TrendPoint[], options: ForecastOptions): HoltForecast {
  const { horizon, bucketMs } = options;
  if (!Number.isInteger(horizon) || horizon < 0 || horizon > MAX_FORECAST_HORIZON) {
    throw new RangeError(`forecast horizon must be an integer 0–${MAX_FORECAST_HORIZON}: ${horizon}`);
  }
  if (!(bucketMs > 0) || !Number.isFinite(bucketMs)) throw new RangeError(`invalid bucketMs: ${bucketMs}`);
  const lastStart = toEpochMs(options.lastBucketStart);
  const y = normalizePoints(points).map((p) => p.value);
  if (y.length < FORECAST_MIN_POINTS) return { alpha: null, beta: null, rmse: null, points: [] };

  const { alpha, beta, fit } = chooseHoltParameters(y);
  // Root mean squared one-step error: RMSE = √(Σ e_t² / (n − 2)).
  const rmse = Math.sqrt(fit.sse / fit.errors);
  const out: ForecastPoint[] = [];
  for (let h = 1; h <= horizon; h++) {
    // Holt h-step forecast ŷ_{n−1+h} = ℓ_{n−1} + h·b_{n−1}; 95 % interval ŷ ± 1.96·RMSE·√h.
    const value = fit.level + h * fit.trend;
    const half = FORECAST_Z * rmse * Math.sqrt(h);
    out.push({
      bucketStart: new Date(lastStart + h * bucketMs),
      value: finiteOrNull(value),
      lower: finiteOrNull(value - half),
      upper: finiteOrNull(value + half),
    });
  }
  return { alpha, beta, rmse: finiteOrNull(rmse), points: out };
}
