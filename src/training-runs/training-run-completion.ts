import { Injectable, Logger } from '@nestjs/common';
import { DomainEvents } from 'src/common/events/domain-events';
import type { Transaction } from 'src/database/transaction';
import type { TrainingRunEntity } from 'src/training-runs/training-run.entity';
import { isTerminal, TrainingRunStatus } from 'src/training-runs/training-run.policy';
import type { TrainingFinishedEvent } from 'src/training-runs/training-runs.events';

/** What a finished run announces once its transaction has committed. */
export interface CompletionPublication {
  finished: TrainingFinishedEvent | null;
}

const NOTHING: CompletionPublication = { finished: null };

/**
 * What happens when a run reaches a terminal status, whether logged as finished or moved there:
 * inside the transaction, nothing else yet; after the commit, the `training.finished` event.
 */
@Injectable()
export class TrainingRunCompletion {
  private readonly logger = new Logger('TrainingRuns');

  constructor(private readonly events: DomainEvents) {}

  /** Call inside the transaction that gave `run` its status; `previous` is null for a new run. */
  async record(run: TrainingRunEntity, previous: TrainingRunStatus | null, _transaction: Transaction): Promise<CompletionPublication> {
    if (!isTerminal(run.status) || (previous !== null && isTerminal(previous))) return NOTHING;
    return {
      finished: {
        runId: run.id,
        modelId: run.modelId,
        status: run.status as TrainingFinishedEvent['status'],
        trigger: run.trigger,
        modelVersion: run.modelVersion,
        finishedAt: run.finishedAt!,
      },
    };
  }

  /** Call after the commit. The run is already stored, so a failing listener is logged, not reported to the client. */
  async publish(publication: CompletionPublication): Promise<void> {
    if (!publication.finished) return;
    try {
      await this.events.emit('training.finished', publication.finished);
    } catch (error) {
      this.logger.error({ err: error, runId: publication.finished.runId }, 'Publishing training.finished failed');
    }
  }
}
