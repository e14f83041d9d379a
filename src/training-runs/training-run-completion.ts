import { Injectable, Logger } from '@nestjs/common';
import { DomainEvents } from 'src/common/events/domain-events';
import type { Transaction } from 'src/database/transaction';
import type { MetricsRecordedEvent } from 'src/metrics/metrics.events';
import { MetricsService } from 'src/metrics/metrics.service';
import type { MetricPointInput } from 'src/metrics/metrics.types';
import type { TrainingRunEntity } from 'src/training-runs/training-run.entity';
import { isTerminal, TrainingRunStatus } from 'src/training-runs/training-run.policy';
import type { TrainingFinishedEvent } from 'src/training-runs/training-runs.events';

/** The environment a run's evaluation results are recorded under, apart from production traffic. */
export const TRAINING_ENVIRONMENT = 'training';

/** What a finished run announces once its transaction has committed. */
export interface CompletionPublication {
  metricsRecorded: MetricsRecordedEvent[];
  finished: TrainingFinishedEvent | null;
}

const NOTHING: CompletionPublication = { metricsRecorded: [], finished: null };

/**
 * What happens when a run reaches a terminal status, whether logged as finished or moved there:
 * inside that transaction, a succeeded run's metrics become metric points (one per metric, at
 * finishedAt, under the run's model version); after the commit, `metrics.recorded` and
 * `training.finished` are published.
 */
@Injectable()
export class TrainingRunCompletion {
  private readonly logger = new Logger('TrainingRuns');

  constructor(
    private readonly metrics: MetricsService,
    private readonly events: DomainEvents,
  ) {}

  /** Call inside the transaction that gave `run` its status; `previous` is null for a new run. */
  async record(run: TrainingRunEntity, previous: TrainingRunStatus | null, transaction: Transaction): Promise<CompletionPublication> {
    if (!isTerminal(run.status) || (previous !== null && isTerminal(previous))) return NOTHING;
    const finishedAt = run.finishedAt!;
    let metricsRecorded: MetricsRecordedEvent[] = [];
    const names = Object.keys(run.metrics);
    if (run.status === TrainingRunStatus.Succeeded && names.length > 0) {
      // The idempotency key ties each point to the run, so the same results are never recorded twice.
      const points: MetricPointInput[] = names.map((metricName) => ({
        modelId: run.modelId,
        metricName,
        value: run.metrics[metricName],
        recordedAt: finishedAt,
        modelVersion: run.modelVersion,
        environment: TRAINING_ENVIRONMENT,
        idempotencyKey: `training-run:${run.id}:${metricName}`,
      }));
      metricsRecorded = (await this.metrics.recordPoints(points, transaction)).events;
    }
    return {
      metricsRecorded,
      finished: {
        runId: run.id,
        modelId: run.modelId,
        status: run.status as TrainingFinishedEvent['status'],
        trigger: run.trigger,
        modelVersion: run.modelVersion,
        finishedAt,
      },
    };
  }

  /** Call after the commit. The run is already stored, so a failing listener is logged, not reported to the client. */
  async publish(publication: CompletionPublication): Promise<void> {
    if (!publication.finished) return;
    try {
      await this.metrics.publishRecorded(publication.metricsRecorded);
      await this.events.emit('training.finished', publication.finished);
    } catch (error) {
      this.logger.error({ err: error, runId: publication.finished.runId }, 'Publishing the events of a finished training run failed');
    }
  }
}
