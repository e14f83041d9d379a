import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AlertRuleEntity } from 'src/alerts/alert-rule.entity';
import { AlertStatus, AlertType } from 'src/alerts/alert.enums';
import { alertFingerprint, describeRuleAlert, RuleAlertState, ruleAlertLabels } from 'src/alerts/alert.policy';
import { describeNoDataAlert, lookbackMinutes, type RuleSample, type RuleStep, stepRule } from 'src/alerts/rule-evaluation.policy';
import { AlertLifecycle, SYSTEM_ACTOR } from 'src/alerts/alert-lifecycle.service';
import { AlertRulesRepository } from 'src/alerts/alert-rules.repository';
import { AlertRuleTargets, computedSpecOf } from 'src/alerts/alert-rule-targets.service';
import { computedReadRange, computedSample } from 'src/alerts/rule-computed.policy';
import { AlertsRepository } from 'src/alerts/alerts.repository';
import { Clock } from 'src/common/clock';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { METRICS_RECORDED, type MetricsRecordedEvent } from 'src/metrics/metrics.events';
import { MetricsService } from 'src/metrics/metrics.service';
import { ServiceMetrics } from 'src/observability/service-metrics';
import { PREDICTIONS_RECORDED, type PredictionsRecordedEvent } from 'src/predictions/predictions.events';

export interface EvaluationSummary {
  /** True when another instance was evaluating, so this run did nothing. */
  skipped: boolean;
  evaluated: number;
  /** Alerts that became (or stayed) pending or firing, started their keep-firing countdown, or resolved. */
  raised: number;
  clearing: number;
  resolved: number;
  /** Rules whose no_data alert was raised (or stayed open). */
  noData: number;
}

const MINUTE_MS = 60_000;
/**
 * After prediction or label ingest, a computed-metric rule evaluated less than this long ago is left to the periodic
 * evaluation: ingest batches come many a second and each evaluation reads the rule's whole window of predictions.
 */
export const INGEST_EVALUATION_DEBOUNCE_MS = 30_000;

/**
 * Evaluates threshold rules: periodically on all enabled rules (AlertJobs; one instance at a time, by a
 * transaction-scoped advisory lock), after each `metrics.recorded` event on the rules watching those metrics, and
 * after each `predictions.recorded` event on the model's computed-metric rules (debounced). Each rule: aggregate its
 * window ending now (a pushed series' points, or a computed series' bucket values as GET /metrics/trend serves them),
 * then the pure state machine decides.
 */
@Injectable()
export class AlertRuleEvaluator {
  private readonly logger = new Logger(AlertRuleEvaluator.name);

  constructor(
    private readonly rules: AlertRulesRepository,
    private readonly alerts: AlertsRepository,
    private readonly lifecycle: AlertLifecycle,
    private readonly metrics: MetricsService,
    private readonly targets: AlertRuleTargets,
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

  /**
   * The computed-metric rules of these models not evaluated in the last INGEST_EVALUATION_DEBOUNCE_MS (new predictions
   * or labels, late ones for old buckets included, change their series).
   */
  evaluateIngested(scope: PredictionsRecordedEvent): Promise<EvaluationSummary> {
    return this.transactions.run(async (transaction) => {
      await this.rules.lockEvaluation(transaction);
      const evaluatedBefore = new Date(this.clock.now().getTime() - INGEST_EVALUATION_DEBOUNCE_MS);
      const rules = (await this.rules.findEnabledOfModels(scope.modelIds, evaluatedBefore, transaction)).filter((rule) =>
        this.targets.isComputed(rule.metricName),
      );
      return this.evaluate(rules, transaction);
    });
  }

  @OnEvent(PREDICTIONS_RECORDED, { async: true, promisify: true })
  async onPredictionsRecorded(event: PredictionsRecordedEvent): Promise<void> {
    try {
      await this.evaluateIngested(event);
    } catch (error) {
      // The periodic evaluation catches up; logging predictions or labels must not fail because of alerting.
      this.logger.error({ err: error, modelIds: event.modelIds }, 'Rule evaluation after predictions.recorded failed');
    }
  }

  private async evaluate(rules: AlertRuleEntity[], transaction: Transaction): Promise<EvaluationSummary> {
    const summary = emptySummary();
    const now = this.clock.now();
    for (const rule of rules) {
      const started = performance.now();
      const step = await this.evaluateRule(rule, now, transaction);
      this.serviceMetrics.observeRuleEvaluation(step.threshold.action, (performance.now() - started) / 1000);
      summary.evaluated++;
      if (step.threshold.action === 'raise') summary.raised++;
      else if (step.threshold.action === 'start_clearing') summary.clearing++;
      else if (step.threshold.action === 'resolve') summary.resolved++;
      if (step.noDataAlert.action === 'raise') summary.noData++;
    }
    return summary;
  }

  /** Read the sample, then the one pure step (rule-evaluation.policy.ts) decides; this only applies its decisions. */
  private async evaluateRule(rule: AlertRuleEntity, now: Date, transaction: Transaction): Promise<RuleStep> {
    const sample = await this.sample(rule, now, transaction);
    await this.rules.recordEvaluation(rule.id, now, sample.value, transaction);
    const labels = ruleAlertLabels(rule);
    const open = await this.alerts.findOpenByFingerprintForUpdate(
      alertFingerprint(rule.modelId, AlertType.MetricThreshold, labels),
      transaction,
    );
    const openNoData = await this.alerts.findOpenByFingerprintForUpdate(
      alertFingerprint(rule.modelId, AlertType.NoData, labels),
      transaction,
    );
    const step = stepRule({ threshold: open && toRuleState(open), noDataOpen: openNoData !== null }, sample, rule, now);
    const decision = step.threshold;
    if (decision.action === 'raise') {
      const status = decision.status === AlertStatus.Pending ? AlertStatus.Pending : AlertStatus.Firing;
      const details = {
        metricName: rule.metricName,
        environment: rule.environment,
        aggregation: rule.aggregation,
        windowMinutes: rule.windowMinutes,
        ...(rule.bucket === null ? {} : { bucket: rule.bucket, evaluationLagMinutes: rule.evaluationLagMinutes }),
        ...(step.noData ? { noData: rule.noData } : {}),
      };
      await this.lifecycle.raise(
        {
          modelId: rule.modelId,
          type: AlertType.MetricThreshold,
          severity: rule.severity,
          ...describeRuleAlert(rule, sample.value),
          labels,
          details: {
            ...details,
            comparator: rule.comparator,
            threshold: rule.threshold,
            value: sample.value,
            count: sample.count,
            evaluatedAt: now.toISOString(),
          },
          value: sample.value,
          source: 'rule',
          ruleId: rule.id,
        },
        status,
        transaction,
      );
    } else if (decision.action === 'start_clearing' && open) {
      await this.lifecycle.startClearing(open, decision.since, transaction);
    } else if (decision.action === 'resolve' && open) {
      const why =
        sample.value === null
          ? 'The rule has no data and treats no data as OK.'
          : `The condition cleared (${rule.aggregation} = ${sample.value}).`;
      await this.lifecycle.resolve({ id: open.id }, SYSTEM_ACTOR, why, transaction);
    }
    if (step.noDataAlert.action === 'raise') {
      await this.lifecycle.raise(
        {
          modelId: rule.modelId,
          type: AlertType.NoData,
          severity: rule.severity,
          ...describeNoDataAlert(rule, sample.lastPointAt),
          labels,
          details: {
            metricName: rule.metricName,
            environment: rule.environment,
            noDataMinutes: rule.noDataMinutes,
            lastPointAt: sample.lastPointAt?.toISOString() ?? null,
            evaluatedAt: now.toISOString(),
          },
          source: 'rule',
          ruleId: rule.id,
        },
        AlertStatus.Firing,
        transaction,
      );
    } else if (step.noDataAlert.action === 'resolve' && openNoData) {
      const why = rule.noDataMinutes === null ? 'The rule no longer watches for missing data.' : 'Points arrived again.';
      await this.lifecycle.resolve({ id: openNoData.id }, SYSTEM_ACTOR, why, transaction);
    }
    return step;
  }

  /** The window ends at `now` inclusive (the repository's `to` is exclusive); lastPointAt only when the rule watches for no data. */
  private async sample(rule: AlertRuleEntity, now: Date, transaction: Transaction): Promise<RuleSample & { count: number }> {
    if (this.targets.isComputed(rule.metricName)) {
      const spec = computedSpecOf(rule);
      return computedSample(await this.targets.readComputed(rule, spec, computedReadRange(spec, now), transaction), spec, now);
    }
    const series = { modelId: rule.modelId, metricName: rule.metricName, environment: rule.environment, to: new Date(now.getTime() + 1) };
    const { value, count } = await this.metrics.aggregateWindow(
      { ...series, aggregation: rule.aggregation, from: new Date(now.getTime() - rule.windowMinutes * MINUTE_MS) },
      transaction,
    );
    const lastPointAt =
      rule.noDataMinutes === null
        ? null
        : await this.metrics.latestPointAt({ ...series, from: new Date(now.getTime() - lookbackMinutes(rule) * MINUTE_MS) }, transaction);
    return { value, count, lastPointAt };
  }
}

function toRuleState(alert: { status: AlertStatus; firstSeenAt: Date; clearedSince: Date | null }): RuleAlertState {
  return { status: alert.status as RuleAlertState['status'], pendingSince: alert.firstSeenAt, clearedSince: alert.clearedSince };
}

function emptySummary(): EvaluationSummary {
  return { skipped: false, evaluated: 0, raised: 0, clearing: 0, resolved: 0, noData: 0 };
}
