import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AlertRuleEvaluator } from 'src/alerts/alert-rule-evaluator.service';
import { AlertSuppressionReview } from 'src/alerts/alert-suppression-review.service';
import { AlertNotifier } from 'src/alerts/alert-notifier.service';
import { PeriodicJob } from 'src/alerts/periodic-job';
import { Clock } from 'src/common/clock';
import { TransactionRunner } from 'src/database/transaction';
import { ALERTMANAGER_RESEND_MINUTES } from 'src/integrations/alertmanager/alertmanager-alert';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { jobsConfig, type JobsConfig } from 'src/config/configuration';

/**
 * The module's periodic jobs, started on bootstrap and stopped (waiting for a run in flight) before the
 * database closes: rule evaluation every `alertEvaluationIntervalSeconds`, outbox delivery every
 * `outboxPollIntervalMs` (0 turns either off; tests call evaluateAll() / deliverDue() themselves), hourly removal of
 * finished notifications older than `outboxRetentionDays`, and, where deliveries run, the Alertmanager re-send
 * (every open alert pushed again every ALERTMANAGER_RESEND_MINUTES, checked twice as often). Held-back alerts are
 * reviewed at the rule evaluation interval (a silence or a reference grace period that ran out notifies what it held back).
 */
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const RESEND_BATCH = 500;

@Injectable()
export class AlertJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AlertJobs.name);
  private readonly evaluation: PeriodicJob;
  private readonly delivery: PeriodicJob;
  private readonly pruning: PeriodicJob;
  private readonly suppressionReview: PeriodicJob;
  private readonly resend: PeriodicJob;

  constructor(
    private readonly evaluator: AlertRuleEvaluator,
    private readonly worker: WebhookDeliveryWorker,
    private readonly review: AlertSuppressionReview,
    private readonly notifier: AlertNotifier,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(jobsConfig.KEY) private readonly config: JobsConfig,
    registry: SchedulerRegistry,
  ) {
    this.evaluation = new PeriodicJob(registry, 'alerts.rule-evaluation', this.logger);
    this.delivery = new PeriodicJob(registry, 'alerts.webhook-delivery', this.logger);
    this.pruning = new PeriodicJob(registry, 'alerts.outbox-pruning', this.logger);
    this.suppressionReview = new PeriodicJob(registry, 'alerts.suppression-review', this.logger);
    this.resend = new PeriodicJob(registry, 'alerts.alertmanager-resend', this.logger);
  }

  /** Queues a firing notice for every open alert an Alertmanager channel has not been sent for ALERTMANAGER_RESEND_MINUTES; returns how many. */
  resendToAlertmanager(): Promise<number> {
    const staleBefore = new Date(this.clock.now().getTime() - ALERTMANAGER_RESEND_MINUTES * MINUTE_MS);
    return this.transactions.run((transaction) => this.notifier.resendToAlertmanager(staleBefore, RESEND_BATCH, transaction));
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
    if (this.config.outboxPollIntervalMs > 0)
      this.resend.start((ALERTMANAGER_RESEND_MINUTES * MINUTE_MS) / 2, () => this.resendToAlertmanager());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([
      this.evaluation.stop(),
      this.delivery.stop(),
      this.pruning.stop(),
      this.suppressionReview.stop(),
      this.resend.stop(),
    ]);
    await this.worker.drain();
  }
}
