import { Injectable } from '@nestjs/common';
import { AlertSeverity, AlertType } from 'src/alerts/alert.enums';
import { AlertsService } from 'src/alerts/alerts.service';
import { WebhookOutboxService } from 'src/alerts/webhook-outbox.service';
import { Clock } from 'src/common/clock';
import { DomainError } from 'src/common/errors/domain-error';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { DriftErrors } from 'src/drift/drift.errors';
import { DriftHistoryService } from 'src/drift/drift-history.service';
import { RetrainTriggeredDto, TriggerRetrainDto } from 'src/drift/dto/retrain.dto';
import { RetrainPoliciesRepository } from 'src/drift/retrain-policies.repository';
import type { RetrainPolicyEntity } from 'src/drift/retrain-policy.entity';
import { decideRetrain, type RetrainOrigin, type RetrainReason, type RetrainRefusal } from 'src/drift/retrain.policy';
import { ModelsService, type ModelSummary } from 'src/models/models.service';
import { ServiceMetrics } from 'src/observability/service-metrics';
import { TrainingTrigger } from 'src/training-runs/training-run.policy';
import { type AutomatedRunSummary, TrainingRunsService } from 'src/training-runs/training-runs.service';

/** What the user's training pipeline may want to know about the data behind a retrain. */
export interface RetrainHints {
  driftedFeatures?: { name: string; stattest: string; score: number | null; threshold: number }[];
  degradedMetrics?: { metricName: string; environment: string; baseline: number; current: number | null; relativeChange: number | null }[];
}

export interface RetrainRequest {
  model: ModelSummary;
  reason: RetrainReason;
  origin: RetrainOrigin;
  /** Skip the cooldown (never the one-active-run rule). */
  force: boolean;
  requestedBy: string;
  driftCheckId: string | null;
  /** One line on why, recorded as the run's reason. */
  summary: string;
  hints: RetrainHints;
}

interface RetrainState {
  policy: RetrainPolicyEntity | null;
  activeRun: AutomatedRunSummary | null;
  lastRun: AutomatedRunSummary | null;
}

export type RetrainAttempt = { triggered: true; trainingRunId: string; queuedAt: Date } | ({ triggered: false } & RetrainRefusal);

export const RETRAIN_WEBHOOK_EVENT = 'retrain.triggered';
export const COORDINATOR = 'retrain-coordinator';

const TRIGGERS: Record<RetrainReason, TrainingTrigger> = {
  manual: TrainingTrigger.Manual,
  scheduled: TrainingTrigger.Scheduled,
  data_drift: TrainingTrigger.DataDrift,
  performance_degradation: TrainingTrigger.PerformanceDegradation,
};

/** The labels of a run's retrain_triggered alert: one alert per run, so it can be resolved when the run finishes. */
export function retrainAlertLabels(model: ModelSummary, trainingRunId: string): Record<string, string> {
  return { model: model.name, trainingRunId };
}

/**
 * Decides and starts retraining for every path (POST /retrain/trigger, drift checks, degraded metrics), so the
 * same rules hold everywhere: serialised per model, policy, one active automated run, cooldown.
 */
@Injectable()
export class RetrainCoordinator {
  constructor(
    private readonly models: ModelsService,
    private readonly trainingRuns: TrainingRunsService,
    private readonly alerts: AlertsService,
    private readonly outbox: WebhookOutboxService,
    private readonly policies: RetrainPoliciesRepository,
    private readonly driftHistory: DriftHistoryService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly serviceMetrics: ServiceMetrics,
  ) {}

  /**
   * Retrains if the rules allow it, inside the caller's transaction: the per-model lock is held until that
   * transaction ends, so a concurrent trigger (any instance) sees this run as active once it may look.
   * Counted in modelwatch_retrain_triggers_total when decided: a caller's transaction that later rolls back leaves
   * a count without a run (rare: the decision is the last thing most callers do).
   */
  async retrain(request: RetrainRequest, transaction: Transaction): Promise<RetrainAttempt> {
    const attempt = await this.decideAndStart(request, transaction);
    this.serviceMetrics.countRetrainDecision(request.reason, attempt.triggered ? 'triggered' : attempt.why);
    return attempt;
  }

  private async decideAndStart(request: RetrainRequest, transaction: Transaction): Promise<RetrainAttempt> {
    await this.policies.lockModelForRetrain(request.model.id, transaction);
    const state = await this.readState(request.model.id, transaction);
    const decision = decideRetrain({
      ...state,
      reason: request.reason,
      origin: request.origin,
      now: this.clock.now(),
      force: request.force,
    });
    if (!decision.retrain) return { triggered: false, ...decision };
    const run = await this.createRun(request, transaction);
    if (!run.triggered) return run;
    await this.announce(request, run.trainingRunId, transaction);
    await this.notifyPipeline(request, state, run, transaction);
    return run;
  }

  /** POST /retrain/trigger: 202 with the queued run, or 409 with the active run's id or the time to retry. */
  async trigger(input: TriggerRetrainDto): Promise<RetrainTriggeredDto> {
    const attempt = await this.transactions.run(async (transaction) => {
      const model = await this.models.getSummary(input.modelId, transaction);
      const check = input.driftCheckId ? await this.driftHistory.getCheckWithResults(input.driftCheckId, model.id, transaction) : null;
      return this.retrain(
        {
          model,
          reason: input.reason,
          origin: 'request',
          force: input.force ?? false,
          requestedBy: input.requestedBy ?? 'api',
          driftCheckId: input.driftCheckId ?? null,
          summary: `Retrain requested (${input.reason}) by ${input.requestedBy ?? 'api'}${check ? ` after drift check ${check.checkId}` : ''}`,
          hints: check ? { driftedFeatures: check.features.filter((feature) => feature.drifted) } : {},
        },
        transaction,
      );
    });
    if (attempt.triggered) return { trainingRunId: attempt.trainingRunId, status: 'queued' };
    throw refusalError(attempt);
  }

  /** What the decision depends on, read under the lock (every query on the caller's transaction). */
  private async readState(modelId: string, transaction: Transaction): Promise<RetrainState> {
    return {
      policy: await this.policies.find(modelId, transaction),
      activeRun: await this.trainingRuns.findActiveAutomatedRun(modelId, transaction),
      lastRun: await this.trainingRuns.findLastAutomatedRun(modelId, transaction),
    };
  }

  /** The training table's partial unique index is the final guard: a run created around this lock still refuses. */
  private async createRun(request: RetrainRequest, transaction: Transaction): Promise<RetrainAttempt> {
    try {
      const run = await this.trainingRuns.createRun(
        {
          modelId: request.model.id,
          trigger: TRIGGERS[request.reason],
          reason: request.summary,
          triggeredBy: request.requestedBy,
          driftCheckId: request.driftCheckId ?? undefined,
        },
        transaction,
      );
      return { triggered: true, trainingRunId: run.id, queuedAt: new Date(run.queuedAt) };
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'TRAINING_RUN_ACTIVE_EXISTS')) throw error;
      const activeRunId = String(error.extensions.existingRunId ?? '');
      return { triggered: false, retrain: false, why: 'active_run', detail: error.detail, activeRunId };
    }
  }

  private async announce(request: RetrainRequest, trainingRunId: string, transaction: Transaction): Promise<void> {
    await this.alerts.raise(
      {
        modelId: request.model.id,
        type: AlertType.RetrainTriggered,
        severity: AlertSeverity.Info,
        title: `Retraining triggered for ${request.model.name} (${request.reason.replace(/_/g, ' ')})`,
        message: request.summary,
        labels: retrainAlertLabels(request.model, trainingRunId),
        details: {
          trainingRunId,
          reason: request.reason,
          requestedBy: request.requestedBy,
          driftCheckId: request.driftCheckId,
          ...request.hints,
        },
        source: COORDINATOR,
      },
      transaction,
    );
  }

  /** The same signed, retried outbox as alert channels; delivered after commit by the outbox worker. */
  private async notifyPipeline(
    request: RetrainRequest,
    { policy, lastRun }: RetrainState,
    run: { trainingRunId: string; queuedAt: Date },
    transaction: Transaction,
  ): Promise<void> {
    if (!policy?.webhookUrl) return;
    await this.outbox.enqueue(
      {
        url: policy.webhookUrl,
        secret: policy.webhookSecret,
        event: RETRAIN_WEBHOOK_EVENT,
        modelId: request.model.id,
        payload: {
          event: RETRAIN_WEBHOOK_EVENT,
          trainingRunId: run.trainingRunId,
          model: { id: request.model.id, name: request.model.name },
          reason: request.reason,
          requestedBy: request.requestedBy,
          driftCheckId: request.driftCheckId,
          queuedAt: run.queuedAt.toISOString(),
          datasetHints: {
            ...request.hints,
            // data since the previous automated run is what that run has not seen
            previousRunQueuedAt: lastRun ? lastRun.queuedAt.toISOString() : null,
          },
        },
      },
      transaction,
    );
  }
}

function refusalError(refusal: RetrainRefusal): DomainError {
  if (refusal.why === 'active_run') {
    return DriftErrors.RETRAIN_RUN_ACTIVE(refusal.detail, { activeRunId: refusal.activeRunId, existingRunId: refusal.activeRunId });
  }
  if (refusal.why === 'cooldown') {
    return DriftErrors.RETRAIN_COOLDOWN(refusal.detail, {
      retryAfter: refusal.retryAfter.toISOString(),
      retryAfterSeconds: refusal.retryAfterSeconds,
    });
  }
  // requests skip the policy gates, so only automatic paths can end here
  return DriftErrors.RETRAIN_NOT_ALLOWED(refusal.detail, { why: refusal.why });
}
