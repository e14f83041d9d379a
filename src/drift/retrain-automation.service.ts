import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AlertSeverity, AlertType } from 'src/alerts/alert.enums';
import { AlertsService } from 'src/alerts/alerts.service';
import { Clock } from 'src/common/clock';
import { TransactionRunner } from 'src/database/transaction';
import { COORDINATOR, RetrainCoordinator, retrainAlertLabels } from 'src/drift/retrain-coordinator.service';
import { RetrainPoliciesRepository } from 'src/drift/retrain-policies.repository';
import { decideRetrain, type RetrainReason } from 'src/drift/retrain.policy';
import { METRICS_RECORDED, type MetricsRecordedEvent } from 'src/metrics/metrics.events';
import { MetricsService } from 'src/metrics/metrics.service';
import type { DegradationWindow } from 'src/metrics/metrics.types';
import { ModelsService } from 'src/models/models.service';
import type { TrainingFinishedEvent } from 'src/training-runs/training-runs.events';
import { TrainingRunsService } from 'src/training-runs/training-runs.service';

/** Metrics are compared with their baselines over the last day when new points arrive. */
export const DEGRADATION_WINDOW: DegradationWindow = '1d';

/** Run triggers that only retraining (ours or a user's automation) produces; manual runs count when we started them. */
const RETRAIN_TRIGGERS: readonly string[] = ['data_drift', 'performance_degradation', 'scheduled'] satisfies RetrainReason[];

/**
 * The coordinator's reactions to other modules' events: retrain when fresh metrics are degraded against their
 * baselines, and follow up on the runs it started. Listener errors are logged, never thrown at the emitter.
 */
@Injectable()
export class RetrainAutomation {
  private readonly logger = new Logger('RetrainAutomation');

  constructor(
    private readonly coordinator: RetrainCoordinator,
    private readonly policies: RetrainPoliciesRepository,
    private readonly metrics: MetricsService,
    private readonly trainingRuns: TrainingRunsService,
    private readonly alerts: AlertsService,
    private readonly models: ModelsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * Degradation of a metric that just got points (if the policy retrains on it): the cheap unlocked pre-check skips
   * the degradation query while the policy, an active run or the cooldown would refuse anyway (so at most once per cooldown).
   */
  @OnEvent(METRICS_RECORDED, { async: true, promisify: true })
  async onMetricsRecorded(event: MetricsRecordedEvent): Promise<void> {
    try {
      if (!(await this.mayRetrain(event.modelId, 'performance_degradation'))) return;
      const degraded = (await this.metrics.checkDegradation(event.modelId, DEGRADATION_WINDOW)).filter(
        (item) => item.degraded && event.metricNames.includes(item.metricName) && event.environments.includes(item.environment),
      );
      if (degraded.length === 0) return;
      await this.transactions.run(async (transaction) =>
        this.coordinator.retrain(
          {
            model: await this.models.getSummary(event.modelId, transaction),
            reason: 'performance_degradation',
            origin: 'automatic',
            force: false,
            requestedBy: COORDINATOR,
            driftCheckId: null,
            summary: `Performance degradation: ${degraded.map((item) => `${item.metricName} (${item.environment})`).join(', ')} worse than baseline.`,
            hints: {
              degradedMetrics: degraded.map(({ metricName, environment, baseline, current, relativeChange }) => ({
                metricName,
                environment,
                baseline,
                current,
                relativeChange,
              })),
            },
          },
          transaction,
        ),
      );
    } catch (error) {
      this.logger.error({ err: error, modelId: event.modelId }, 'Retraining on degraded metrics failed');
    }
  }

  /** A finished run closes its retrain_triggered alert; a failed retrain raises a critical retrain_failed alert. */
  @OnEvent('training.finished', { async: true, promisify: true })
  async onTrainingFinished(event: TrainingFinishedEvent): Promise<void> {
    try {
      await this.transactions.run(async (transaction) => {
        const model = await this.models.getSummary(event.modelId, transaction);
        const labels = retrainAlertLabels(model, event.runId);
        const ours = await this.alerts.resolveOpen(
          { modelId: model.id, type: AlertType.RetrainTriggered, labels },
          COORDINATOR,
          `Training run ${event.runId} ${event.status}.`,
          transaction,
        );
        if (event.status !== 'failed' || (ours === 0 && !RETRAIN_TRIGGERS.includes(event.trigger))) return;
        await this.alerts.raise(
          {
            modelId: model.id,
            type: AlertType.RetrainFailed,
            severity: AlertSeverity.Critical,
            title: `Retraining of ${model.name} failed`,
            message: `Training run ${event.runId} (${event.trigger}) failed at ${event.finishedAt.toISOString()}.`,
            labels,
            details: {
              trainingRunId: event.runId,
              trigger: event.trigger,
              modelVersion: event.modelVersion,
              finishedAt: event.finishedAt.toISOString(),
            },
            source: COORDINATOR,
          },
          transaction,
        );
      });
    } catch (error) {
      this.logger.error({ err: error, runId: event.runId }, 'Following up a finished training run failed');
    }
  }

  private async mayRetrain(modelId: string, reason: RetrainReason): Promise<boolean> {
    const policy = await this.policies.find(modelId);
    if (!policy) return false;
    const decision = decideRetrain({
      reason,
      origin: 'automatic',
      policy,
      activeRun: await this.trainingRuns.findActiveAutomatedRun(modelId),
      lastRun: await this.trainingRuns.findLastAutomatedRun(modelId),
      now: this.clock.now(),
      force: false,
    });
    return decision.retrain;
  }
}
