/**
 * The metrics module's public contract for other modules (plain types, no framework imports):
 * what MetricsService.recordPoints accepts and returns, window aggregates for alert rules and the
 * degradation check used by the retrain coordinator.
 */
import type { MetricsRecordedEvent } from 'src/metrics/metrics.events';

/** Metric names: letters, digits and `_ . : / -`, 1–100 characters. */
export const METRIC_NAME_PATTERN = /^[A-Za-z0-9_.:/-]{1,100}$/;
export const DEFAULT_ENVIRONMENT = 'production';
export const MAX_POINTS_PER_BATCH = 10_000;
/** recordedAt may run ahead of the server clock by at most this much (clock skew). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export enum MetricAggregation {
  Avg = 'avg',
  Min = 'min',
  Max = 'max',
  Sum = 'sum',
  Count = 'count',
  P50 = 'p50',
  P90 = 'p90',
  P95 = 'p95',
  P99 = 'p99',
  Last = 'last',
}

export interface MetricPointInput {
  modelId: string;
  metricName: string;
  value: number;
  /** Default: now (the service clock). At most 5 minutes in the future. */
  recordedAt?: Date;
  modelVersion?: string | null;
  /** Default 'production'. */
  environment?: string;
  segment?: Record<string, string>;
  sampleSize?: number | null;
  /** A point whose key was already recorded for the same model is skipped (counted in `duplicates`). */
  idempotencyKey?: string | null;
}

export interface RecordMetricsResult {
  recorded: number;
  duplicates: number;
  /** One per model with recorded points; publish with MetricsService.publishRecorded after your commit. */
  events: MetricsRecordedEvent[];
}

export type WindowAggregation = 'avg' | 'min' | 'max' | 'p50' | 'p95' | 'last';

export interface AggregateWindowQuery {
  modelId: string;
  metricName: string;
  environment: string;
  aggregation: WindowAggregation;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface WindowAggregate {
  /** Null when no point is in the window. */
  value: number | null;
  count: number;
}

/** A rule evaluation at each of `ticks`: the aggregate over [tick − windowMs, tick], the latest point in [tick − lookbackMs, tick]. */
export interface WindowsAtQuery {
  modelId: string;
  metricName: string;
  environment: string;
  aggregation: WindowAggregation;
  ticks: Date[];
  windowMs: number;
  /** Null: lastPointAt is not read (null in every sample). */
  lookbackMs: number | null;
}

export interface WindowSample extends WindowAggregate {
  lastPointAt: Date | null;
}

export type DegradationWindow = '1h' | '6h' | '1d' | '7d';
export const DEGRADATION_WINDOWS: readonly DegradationWindow[] = ['1h', '6h', '1d', '7d'];
export type { DegradationItem } from 'src/metrics/degradation.policy';
