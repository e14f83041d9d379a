/**
 * Events of the predictions module. `predictions.recorded` is emitted after a committed batch of predictions or
 * labels that changed something, once per batch, so listeners (alert rules on computed metrics) only see durable rows.
 */
export interface PredictionsRecordedEvent {
  /** The models whose predictions or labels changed (sorted, distinct). */
  modelIds: string[];
}

declare module 'src/common/events/domain-events' {
  interface DomainEventMap {
    'predictions.recorded': PredictionsRecordedEvent;
  }
}

export const PREDICTIONS_RECORDED = 'predictions.recorded' as const;
