import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AlertRuleEvaluator } from 'src/alerts/alert-rule-evaluator.service';
import { AlertSuppressionReview } from 'src/alerts/alert-suppression-review.service';
import { PeriodicJob } from 'src/alerts/periodic-job';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { jobsConfig, type JobsConfig } from 'src/config/configuration';

/**
 * The module's periodic jobs, started on bootstrap and stopped (waiting for a run in flight) before the
 * database closes: rule evaluation every `alertEvaluationIntervalSeconds`, outbox delivery every
 * `outboxPollIntervalMs` (0 turns either off; tests call evaluateAll() / deliverDue() themselves), and hourly removal of
 * finished notifications older than `outboxRetentionDays`. Held-back alerts are reviewed at the rule evaluation interval
 * (a silence or a reference grace period that ran out notifies what it held back).
 */
const HOUR_MS = 3_600_000;

@Injectable()
export class AlertJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AlertJobs.name);
  private readonly evaluation: PeriodicJob;
  private readonly delivery: PeriodicJob;
  private readonly pruning: PeriodicJob;
  private readonly suppressionReview: PeriodicJob;

  constructor(
    private readonly evaluator: AlertRuleEvaluator,
    private readonly worker: WebhookDeliveryWorker,
    private readonly review: AlertSuppressionReview,
    @Inject(jobsConfig.KEY) private readonly config: JobsConfig,
    registry: SchedulerRegistry,
  ) {
    this.evaluation = new PeriodicJob(registry, 'alerts.rule-evaluation', this.logger);
    this.delivery = new PeriodicJob(registry, 'alerts.webhook-delivery', this.logger);
    this.pruning = new PeriodicJob(registry, 'alerts.outbox-pruning', this.logger);
    this.suppressionReview = new PeriodicJob(registry, 'alerts.suppression-review', this.logger);
  }

  onApplicationBootstrap(): void {
    this.evaluation.start(this.config.alertEvaluationIntervalSeconds * 1000, () => this.evaluator.evaluateAll());
    this.suppressionReview.start(this.config.alertEvaluationIntervalSeconds * 1000, () => this.review.reviewNextBatch());
    // Each tick only claims and starts deliveries; they finish on their own (a hung receiver never holds a tick).
    this.delivery.start(this.config.outboxPollIntervalMs, () => this.worker.dispatchDue());
    // hourly, and only where deliveries run at all (so tests, with polling off, call pruneFinished themselves)
    if (this.config.outboxPollIntervalMs > 0 && this.config.outboxRetentionDays > 0) {
      this.pruning.start(HOUR_MS, () => this.worker.pruneFinished(this.config.outboxRetentionDays));
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.evaluation.stop(), this.delivery.stop(), this.pruning.stop(), this.suppressionReview.stop()]);
    await this.worker.drain();
  }
}
