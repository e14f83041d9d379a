/** Emitted after the commit that moved a run to a terminal status (or logged it as finished). */
export interface TrainingFinishedEvent {
  runId: string;
  modelId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  trigger: string;
  modelVersion: string | null;
  finishedAt: Date;
}

declare module 'src/common/events/domain-events' {
  interface DomainEventMap {
    'training.finished': TrainingFinishedEvent;
  }
}
