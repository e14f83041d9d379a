/**
 * Events of the metrics module. `metrics.recorded` is emitted once per model per committed batch,
 * after the commit, so listeners (alerts, retrain coordinator) only ever see durable points.
 */
export interface MetricsRecordedEvent {
  modelId: string;
  /** Distinct metric names among the points recorded for this model (sorted). */
  metricNames: string[];
  /** Distinct environments among those points (sorted). */
  environments: string[];
  /** Earliest recordedAt among the points recorded for this model in the batch. */
  from: Date;
  /** Latest recordedAt among those points (inclusive). */
  to: Date;
  /** Number of points recorded for this model (duplicates skipped by idempotency key not counted). */
  count: number;
}

declare module 'src/common/events/domain-events' {
  interface DomainEventMap {
    'metrics.recorded': MetricsRecordedEvent;
  }
}

export const METRICS_RECORDED = 'metrics.recorded' as const;
