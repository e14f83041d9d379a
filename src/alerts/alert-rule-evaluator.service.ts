import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AlertRuleEntity } from 'src/alerts/alert-rule.entity';
import { AlertStatus, AlertType } from 'src/alerts/alert.enums';
import {
  alertFingerprint,
  breaches,
  decideRuleAlert,
  describeRuleAlert,
  RuleAlertState,
  RuleDecision,
  ruleAlertLabels,
} from 'src/alerts/alert.policy';
import { AlertLifecycle, SYSTEM_ACTOR } from 'src/alerts/alert-lifecycle.service';
import { AlertRulesRepository } from 'src/alerts/alert-rules.repository';
import { AlertsRepository } from 'src/alerts/alerts.repository';
import { Clock } from 'src/common/clock';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { METRICS_RECORDED, type MetricsRecordedEvent } from 'src/metrics/metrics.events';
import { MetricsService } from 'src/metrics/metrics.service';
import { ServiceMetrics } from 'src/observability/service-metrics';

export interface EvaluationSummary {
  /** True when another instance was evaluating, so this run did nothing. */
  skipped: boolean;
  evaluated: number;
  /** Alerts that became (or stayed) pending or firing, started their keep-firing countdown, or resolved. */
  raised: number;
  clearing: number;
  resolved: number;
}

/**
 * Evaluates threshold rules: periodically on all enabled rules (AlertJobs; one instance at a time, by a
 * transaction-scoped advisory lock), and after each `metrics.recorded` event on the rules watching those metrics. Each rule: aggregate its window ending now, then the pure state machine decides.
 */
@Injectable()
export class AlertRuleEvaluator {
  private readonly logger = new Logger(AlertRuleEvaluator.name);

  constructor(
    private readonly rules: AlertRulesRepository,
    private readonly alerts: AlertsRepository,
    private readonly lifecycle: AlertLifecycle,
    private readonly metrics: MetricsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly serviceMetrics: ServiceMetrics,
  ) {}

  /** All enabled rules, unless another instance is evaluating right now (then `skipped`). */
  evaluateAll(): Promise<EvaluationSummary> {
    return this.transactions.run(async (transaction) => {
      if (!(await this.rules.tryLockEvaluation(transaction))) return { ...emptySummary(), skipped: true };
      return this.evaluate(await this.rules.findEnabled(transaction), transaction);
    });
  }

  /** The rules watching these metrics of this model (waits for an evaluation in progress elsewhere). */
  evaluateRecorded(scope: Pick<MetricsRecordedEvent, 'modelId' | 'metricNames' | 'environments'>): Promise<EvaluationSummary> {
    return this.transactions.run(async (transaction) => {
      await this.rules.lockEvaluation(transaction);
      return this.evaluate(await this.rules.findEnabled(transaction, scope), transaction);
    });
  }

  @OnEvent(METRICS_RECORDED, { async: true, promisify: true })
  async onMetricsRecorded(event: MetricsRecordedEvent): Promise<void> {
    try {
      await this.evaluateRecorded(event);
    } catch (error) {
      // The periodic evaluation catches up; recording metrics must not fail because of alerting.
      this.logger.error({ err: error, modelId: event.modelId }, 'Rule evaluation after metrics.recorded failed');
    }
  }

  private async evaluate(rules: AlertRuleEntity[], transaction: Transaction): Promise<EvaluationSummary> {
    const summary = emptySummary();
    const now = this.clock.now();
    for (const rule of rules) {
      const started = performance.now();
      const decision = await this.evaluateRule(rule, now, transaction);
      this.serviceMetrics.observeRuleEvaluation(decision.action, (performance.now() - started) / 1000);
      summary.evaluated++;
      if (decision.action === 'raise') summary.raised++;
      else if (decision.action === 'start_clearing') summary.clearing++;
      else if (decision.action === 'resolve') summary.resolved++;
    }
    return summary;
  }

  private async evaluateRule(rule: AlertRuleEntity, now: Date, transaction: Transaction): Promise<RuleDecision> {
    // The window ends at `now` inclusive (aggregateWindow's `to` is exclusive).
    const { value, count } = await this.metrics.aggregateWindow(
      {
        modelId: rule.modelId,
        metricName: rule.metricName,
        environment: rule.environment,
        aggregation: rule.aggregation,
        from: new Date(now.getTime() - rule.windowMinutes * 60_000),
        to: new Date(now.getTime() + 1),
      },
      transaction,
    );
    await this.rules.recordEvaluation(rule.id, now, value, transaction);
    const labels = ruleAlertLabels(rule);
    const open = await this.alerts.findOpenByFingerprintForUpdate(
      alertFingerprint(rule.modelId, AlertType.MetricThreshold, labels),
      transaction,
    );
    const observation = value === null ? 'no_data' : breaches(value, rule.comparator, rule.threshold) ? 'breach' : 'clear';
    const decision = decideRuleAlert(open && toRuleState(open), observation, rule, now);
    if (decision.action === 'raise' && value !== null) {
      const status = decision.status === AlertStatus.Pending ? AlertStatus.Pending : AlertStatus.Firing;
      const details = {
        metricName: rule.metricName,
        environment: rule.environment,
        aggregation: rule.aggregation,
        windowMinutes: rule.windowMinutes,
      };
      await this.lifecycle.raise(
        {
          modelId: rule.modelId,
          type: AlertType.MetricThreshold,
          severity: rule.severity,
          ...describeRuleAlert(rule, value),
          labels,
          details: { ...details, comparator: rule.comparator, threshold: rule.threshold, value, count, evaluatedAt: now.toISOString() },
          value,
          source: 'rule',
          ruleId: rule.id,
        },
        status,
        transaction,
      );
    } else if (decision.action === 'start_clearing' && open) {
      await this.lifecycle.startClearing(open, decision.since, transaction);
    } else if (decision.action === 'resolve' && open) {
      await this.lifecycle.resolve({ id: open.id }, SYSTEM_ACTOR, `The condition cleared (${rule.aggregation} = ${value}).`, transaction);
    }
    return decision;
  }
}

function toRuleState(alert: { status: AlertStatus; firstSeenAt: Date; clearedSince: Date | null }): RuleAlertState {
  return { status: alert.status as RuleAlertState['status'], pendingSince: alert.firstSeenAt, clearedSince: alert.clearedSince };
}

function emptySummary(): EvaluationSummary {
  return { skipped: false, evaluated: 0, raised: 0, clearing: 0, resolved: 0 };
}
