/**
 * When a metric counts as degraded against its baseline (GET /metrics/degradation and
 * MetricsService.checkDegradation). Pure: no framework, no database.
 */
import type { DegradationWindow } from 'src/metrics/metrics.types';

export enum BaselineDirection {
  HigherIsBetter = 'higher_is_better',
  LowerIsBetter = 'lower_is_better',
}

export const DEFAULT_TOLERANCE = 0.05;

export const DEGRADATION_WINDOW_MS: Readonly<Record<DegradationWindow, number>> = Object.freeze({
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '1d': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
});

export interface DegradationItem {
  metricName: string;
  environment: string;
  baseline: number;
  /** Mean of the points recorded in the window; null when there are none. */
  current: number | null;
  /** Number of points in the window. */
  count: number;
  /** (current − baseline) / |baseline|; null without points or with a zero baseline. */
  relativeChange: number | null;
  degraded: boolean;
  direction: BaselineDirection;
  tolerance: number;
}

export interface DegradationAssessment {
  relativeChange: number | null;
  degraded: boolean;
}

/**
 * Degraded when the change goes the bad way (down for higher_is_better, up for lower_is_better) by
 * more than `tolerance`, relative to |baseline|. With a zero baseline the relative change is undefined
 * and the absolute change is compared with the tolerance instead. No current value → not degraded.
 */
export function assessDegradation(
  baseline: number,
  current: number | null,
  direction: BaselineDirection,
  tolerance: number,
): DegradationAssessment {
  if (current === null || !Number.isFinite(current)) return { relativeChange: null, degraded: false };
  const sign = direction === BaselineDirection.HigherIsBetter ? -1 : 1;
  if (baseline === 0) return { relativeChange: null, degraded: sign * current > tolerance };
  // Relative change against the baseline's magnitude: (current − baseline) / |baseline|.
  const relativeChange = (current - baseline) / Math.abs(baseline);
  if (!Number.isFinite(relativeChange)) return { relativeChange: null, degraded: sign * (current - baseline) > 0 };
  return { relativeChange, degraded: sign * relativeChange > tolerance };
}
