import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AbTestLifecycleService } from 'src/ab-tests/ab-test-lifecycle.service';
import { AbTestRolloutService } from 'src/ab-tests/ab-test-rollout.service';
import { AbTestRolloutTransitions, type RolloutTransition } from 'src/ab-tests/ab-test-rollout-transitions.service';
import type { RunningRolloutKey } from 'src/ab-tests/ab-test-rollouts.repository';
import type { AbTestRolloutEvaluationDto } from 'src/ab-tests/dto/ab-test-rollout.dto';
import { AlertSeverity, AlertType } from 'src/alerts/alert.enums';
import { AlertsService } from 'src/alerts/alerts.service';
import { PeriodicJob } from 'src/alerts/periodic-job';
import { WebhookOutboxService } from 'src/alerts/webhook-outbox.service';
import { jobsConfig, type JobsConfig } from 'src/config/configuration';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { RetrainPoliciesRepository } from 'src/drift/retrain-policies.repository';
import { retrainRolloutRequest } from 'src/drift/rollout-on-retrain.policy';
import { ModelsService } from 'src/models/models.service';
import type { TrainingFinishedEvent } from 'src/training-runs/training-runs.events';
import { TrainingRunsService } from 'src/training-runs/training-runs.service';

const MINUTE_MS = 60_000;
/** Rollouts read per page of a sweep. */
export const ROLLOUT_SWEEP_PAGE = 100;
export const ROLLOUT_SOURCE = 'rollout-coordinator';

const TITLES: Record<RolloutTransition['kind'], (transition: RolloutTransition) => string> = {
  started: (transition) =>
    `Rollout "${transition.test.name}" started: ${transition.challenger.modelVersion ?? transition.challenger.name} at ${percent(transition.coverage)}`,
  step: (transition) => `Rollout "${transition.test.name}" advanced to ${percent(transition.coverage)}`,
  promoted: (transition) =>
    `Rollout "${transition.test.name}" promoted ${transition.challenger.modelVersion ?? transition.challenger.name}`,
  rolled_back: (transition) =>
    `Rollout "${transition.test.name}" rolled back to ${transition.champion.modelVersion ?? transition.champion.name}`,
  stopped: (transition) => `Rollout "${transition.test.name}" stopped by hand at ${percent(transition.coverage)}`,
};

const SEVERITIES: Record<RolloutTransition['severity'], AlertSeverity> = {
  info: AlertSeverity.Info,
  warning: AlertSeverity.Warning,
  critical: AlertSeverity.Critical,
};

/**
 * The labels of a transition's alert: one alert per transition (a step is not folded into the previous one). The
 * transition that led to step i is `started:0` for the first step, `step:i` for the others.
 */
function rolloutAlertLabels(testId: string, kind: RolloutTransition['kind'], stepIndex: number): Record<string, string> {
  return { abTestId: testId, transition: `${kind}:${stepIndex}` };
}

function percent(coverage: number): string {
  return `${Math.round(coverage * 10_000) / 100} %`;
}

/**
 * Safe rollouts' side effects and schedule: evaluates every ramping rollout each minute (where the outbox runs:
 * OUTBOX_POLL_INTERVAL_MS > 0; tests call evaluateDue() with their clock), and for each transition (start, step,
 * promotion, roll-back, stop by hand: AbTestRolloutTransitions calls it back) raises an alert (info for a start, a
 * step or a promotion, critical for a roll-back, warning for a stop) and queues a signed `rollout.*` webhook to the
 * model's pipeline (the retrain policy's webhookUrl), in the same transaction as the transition. It also starts the rollout of
 * a successful retrain's candidate when the policy has rolloutOnRetrain: drift → retrain → guarded rollout → promote
 * or roll back.
 */
@Injectable()
export class RolloutCoordinator implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RolloutCoordinator.name);
  private readonly job: PeriodicJob;

  constructor(
    private readonly rollouts: AbTestRolloutService,
    private readonly transitions: AbTestRolloutTransitions,
    private readonly abTests: AbTestLifecycleService,
    private readonly alerts: AlertsService,
    private readonly outbox: WebhookOutboxService,
    private readonly policies: RetrainPoliciesRepository,
    private readonly models: ModelsService,
    private readonly trainingRuns: TrainingRunsService,
    private readonly transactions: TransactionRunner,
    @Inject(jobsConfig.KEY) private readonly config: JobsConfig,
    registry: SchedulerRegistry,
  ) {
    this.job = new PeriodicJob(registry, 'ab-test.rollout-evaluation', this.logger);
  }

  onModuleInit(): void {
    this.transitions.listen(async (transition, transaction) => {
      await this.announce(transition, transaction);
      await this.notifyPipeline(transition, transaction);
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.outboxPollIntervalMs > 0) this.job.start(MINUTE_MS, () => this.evaluateDue());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** POST /ab-test/{id}/rollout/evaluate: one evaluation now, as the periodic job does it. */
  async evaluate(testId: string): Promise<AbTestRolloutEvaluationDto> {
    const evaluation = await this.transactions.run((transaction) => this.evaluateIn(testId, transaction));
    return this.rollouts.describeEvaluation(testId, evaluation);
  }

  /** Evaluates every ramping rollout, a page at a time, each in its own transaction; returns the transitions made. */
  async evaluateDue(pageSize = ROLLOUT_SWEEP_PAGE): Promise<RolloutTransition[]> {
    const transitions: RolloutTransition[] = [];
    let after: RunningRolloutKey | null = null;
    for (;;) {
      const page = await this.rollouts.listRunning(after, pageSize);
      for (const { testId } of page) {
        try {
          const { transition } = await this.transactions.run((transaction) => this.evaluateIn(testId, transaction));
          if (transition) transitions.push(transition);
        } catch (error) {
          this.logger.error({ err: error, testId }, 'Evaluating a rollout failed');
        }
      }
      if (page.length < pageSize) return transitions;
      after = page[page.length - 1];
    }
  }

  /** The transition it makes, if any, is announced through the listener (onModuleInit), in this transaction. */
  private evaluateIn(testId: string, transaction: Transaction) {
    return this.rollouts.evaluate(testId, transaction);
  }

  /** One alert per transition; the previous one's info alert is resolved by the next transition (a roll-back's stays). */
  private async announce(transition: RolloutTransition, transaction: Transaction): Promise<void> {
    if (transition.kind !== 'started') {
      const previous = transition.fromStepIndex === 0 ? 'started' : 'step';
      await this.alerts.resolveOpen(
        {
          modelId: transition.test.modelId,
          type: AlertType.AbTestRollout,
          labels: rolloutAlertLabels(transition.test.id, previous, transition.fromStepIndex),
        },
        ROLLOUT_SOURCE,
        `Rollout moved on: ${transition.kind} at step ${transition.stepIndex}.`,
        transaction,
      );
    }
    await this.alerts.raise(
      {
        modelId: transition.test.modelId,
        type: AlertType.AbTestRollout,
        severity: SEVERITIES[transition.severity],
        title: TITLES[transition.kind](transition),
        message: transition.kind === 'rolled_back' ? `${transition.reason}: ${transition.detail}` : (transition.detail ?? undefined),
        labels: rolloutAlertLabels(transition.test.id, transition.kind, transition.stepIndex),
        details: this.payload(transition),
        source: ROLLOUT_SOURCE,
      },
      transaction,
    );
  }

  /** The same signed, retried outbox as retrain.triggered; the delivery re-checks the address (WebhookAddressGuard). */
  private async notifyPipeline(transition: RolloutTransition, transaction: Transaction): Promise<void> {
    const policy = await this.policies.find(transition.test.modelId, transaction);
    if (!policy?.webhookUrl) return;
    await this.outbox.enqueue(
      {
        url: policy.webhookUrl,
        secret: policy.webhookSecret,
        event: transition.eventType,
        modelId: transition.test.modelId,
        payload: { event: transition.eventType, ...this.payload(transition) },
      },
      transaction,
    );
  }

  private payload(transition: RolloutTransition): Record<string, unknown> {
    return {
      abTestId: transition.test.id,
      abTestName: transition.test.name,
      modelId: transition.test.modelId,
      champion: transition.champion,
      challenger: transition.challenger,
      fromStepIndex: transition.fromStepIndex,
      stepIndex: transition.stepIndex,
      fromCoverage: transition.fromCoverage,
      coverage: transition.coverage,
      outcome: transition.kind === 'started' || transition.kind === 'step' ? null : transition.kind,
      reason: transition.reason,
      detail: transition.detail,
      counts: transition.counts,
      trainingRunId: transition.trainingRunId,
      occurredAt: transition.occurredAt.toISOString(),
    };
  }

  /**
   * rolloutOnRetrain: a succeeded run with a model version starts the rollout of that candidate over the version in
   * place (the latest promoted rollout's challenger, else the newest earlier succeeded run's version). Without a
   * version in place there is nothing to guard against: no rollout, an info alert saying so.
   */
  @OnEvent('training.finished', { async: true, promisify: true })
  async onTrainingFinished(event: TrainingFinishedEvent): Promise<void> {
    if (event.status !== 'succeeded' || event.modelVersion === null) return;
    try {
      const policy = await this.policies.find(event.modelId);
      if (!policy?.rolloutOnRetrain) return;
      const model = await this.models.getSummary(event.modelId);
      const champion =
        (await this.rollouts.findLatestPromotedVersion(model.id)) ??
        (await this.trainingRuns.findPreviousSucceededVersion(model.id, event.runId, event.finishedAt));
      if (champion === null || champion === event.modelVersion) {
        await this.alerts.raise({
          modelId: model.id,
          type: AlertType.AbTestRollout,
          severity: AlertSeverity.Info,
          title: `No rollout for ${model.name} ${event.modelVersion}: no other version in place`,
          message: `Training run ${event.runId} succeeded; rolloutOnRetrain found no earlier version to roll it out over.`,
          labels: { trainingRunId: event.runId, transition: 'not_started' },
          details: { trainingRunId: event.runId, modelVersion: event.modelVersion },
          source: ROLLOUT_SOURCE,
        });
        return;
      }
      const request = retrainRolloutRequest(policy.rolloutOnRetrain, {
        modelId: model.id,
        modelName: model.name,
        championVersion: champion,
        candidateVersion: event.modelVersion,
        trainingRunId: event.runId,
      });
      await this.abTests.start(request, { trainingRunId: event.runId });
    } catch (error) {
      this.logger.error({ err: error, trainingRunId: event.runId }, 'Starting the rollout of a retrained model failed');
    }
  }
}
