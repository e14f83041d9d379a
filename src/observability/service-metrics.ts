import { Inject, Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type RegistryContentType } from 'prom-client';
import { Clock } from 'src/common/clock';
import { observabilityConfig, type ObservabilityConfig } from 'src/config/configuration';
import { capSeries, type ExpositionFormat } from 'src/observability/exposition.policy';
import { ObservabilityRepository } from 'src/observability/observability.repository';

/** prom-client 15's default gauges named `*_total` (promtool lint: non-counters must not end in _total); `nodejs_active_*{type}` keep the counts. */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Up to a minute: large drift checks and metric batches take seconds, not milliseconds. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export type DeliveryResult = 'delivered' | 'retry' | 'failed';

/** Every metric of one registry. prom-client renames counters in place when it writes OpenMetrics, so each format gets its own set. */
function defineMetrics(format: ExpositionFormat, exportModelMetrics: boolean) {
  const registry = new Registry<RegistryContentType>();
  // prom-client's typings lack Registry's constructor argument; setContentType is the typed way to the same thing.
  registry.setContentType(format === 'openmetrics' ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'modelwatch_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status class, from arrival to the last byte sent.',
      labelNames: ['method', 'route', 'status_class'],
      buckets: HTTP_BUCKETS,
      registers,
    }),
    ingestedPoints: new Counter({
      name: 'modelwatch_ingested_points_total',
      help: 'Metric points stored (after the commit; duplicates of an idempotency key are not counted).',
      registers,
    }),
    outboxPending: new Gauge({
      name: 'modelwatch_outbox_pending_deliveries',
      help: 'Notifications waiting in the outbox (all instances: read from the database at scrape time).',
      registers,
    }),
    outboxOldestPendingAge: new Gauge({
      name: 'modelwatch_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest notification still pending in the outbox; 0 when none is.',
      registers,
    }),
    outboxDeliveries: new Counter({
      name: 'modelwatch_outbox_deliveries_total',
      help: 'Delivery attempts made by this instance, by result: delivered, retry (will be tried again) or failed (for good).',
      labelNames: ['result'],
      registers,
    }),
    ruleEvaluations: new Counter({
      name: 'modelwatch_rule_evaluations_total',
      help: 'Alert rule evaluations by what they decided: none, raise, start_clearing or resolve.',
      labelNames: ['action'],
      registers,
    }),
    ruleEvaluationDuration: new Histogram({
      name: 'modelwatch_rule_evaluation_duration_seconds',
      help: 'Time to evaluate one alert rule (window aggregate, state machine, writes).',
      registers,
    }),
    driftChecks: new Counter({
      name: 'modelwatch_drift_checks_total',
      help: 'Drift checks stored, by dataset verdict: drift or no_drift.',
      labelNames: ['result'],
      registers,
    }),
    retrainTriggers: new Counter({
      name: 'modelwatch_retrain_triggers_total',
      help: 'Retrain decisions by reason and outcome: triggered, or why not (no_policy, policy_disabled, trigger_disabled, active_run, cooldown).',
      labelNames: ['reason', 'outcome'],
      registers,
    }),
    poolConnections: new Gauge({
      name: 'modelwatch_db_pool_connections',
      help: 'Database pool connections of this instance by state: idle or in_use.',
      labelNames: ['state'],
      registers,
    }),
    poolMaxConnections: new Gauge({ name: 'modelwatch_db_pool_max_connections', help: 'Size of the database pool.', registers }),
    poolWaitingClients: new Gauge({
      name: 'modelwatch_db_pool_waiting_clients',
      help: 'Queries waiting for a free database connection.',
      registers,
    }),
    databaseUp: new Gauge({
      name: 'modelwatch_database_up',
      help: '1 when the scrape-time database reads succeeded, 0 when they failed (outbox gauges are then NaN, per-model gauges absent).',
      registers,
    }),
    model: exportModelMetrics
      ? {
          metric: new Gauge({
            name: 'modelwatch_model_metric',
            help: 'Latest recorded value of each model metric (v_latest_model_performance).',
            labelNames: ['model', 'metric', 'environment', 'version'],
            registers,
          }),
          openAlerts: new Gauge({
            name: 'modelwatch_model_open_alerts',
            help: 'Unresolved alerts by model and severity.',
            labelNames: ['model', 'severity'],
            registers,
          }),
          driftShare: new Gauge({
            name: 'modelwatch_model_drift_share',
            help: 'Share of features found drifted (0 to 1) by the latest drift check of each model.',
            labelNames: ['model'],
            registers,
          }),
          droppedSeries: new Counter({
            name: 'modelwatch_model_series_dropped_total',
            help: 'Per-model series left out of a scrape by EXPORT_MODEL_METRICS_MAX_SERIES (added at each scrape).',
            registers,
          }),
        }
      : null,
  };
}

type MetricSet = ReturnType<typeof defineMetrics>;

/**
 * The service's Prometheus metrics. Other modules call the count…/observe… methods at the few places that
 * matter; gauges about shared state (outbox, pool, per-model values) are read when scraped, so nothing is kept
 * in step by hand and every instance reports the same database-wide values.
 */
@Injectable()
export class ServiceMetrics {
  private readonly logger = new Logger(ServiceMetrics.name);
  private readonly sets: Record<ExpositionFormat, MetricSet>;
  /** Scrapes run one at a time: each resets and refills the database-derived gauges. */
  private scraping: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repository: ObservabilityRepository,
    private readonly clock: Clock,
    @Inject(observabilityConfig.KEY) private readonly config: ObservabilityConfig,
  ) {
    this.sets = {
      prometheus: defineMetrics('prometheus', config.exportModelMetrics),
      openmetrics: defineMetrics('openmetrics', config.exportModelMetrics),
    };
  }

  observeHttpRequest(labels: { method: string; route: string; status_class: string }, seconds: number): void {
    this.each((set) => set.httpRequestDuration.observe(labels, seconds));
  }

  countIngestedPoints(count: number): void {
    if (count > 0) this.each((set) => set.ingestedPoints.inc(count));
  }

  countDelivery(result: DeliveryResult): void {
    this.each((set) => set.outboxDeliveries.inc({ result }));
  }

  observeRuleEvaluation(action: string, seconds: number): void {
    this.each((set) => {
      set.ruleEvaluations.inc({ action });
      set.ruleEvaluationDuration.observe(seconds);
    });
  }

  countDriftCheck(datasetDrift: boolean): void {
    this.each((set) => set.driftChecks.inc({ result: datasetDrift ? 'drift' : 'no_drift' }));
  }

  countRetrainDecision(reason: string, outcome: string): void {
    this.each((set) => set.retrainTriggers.inc({ reason, outcome }));
  }

  /** The exposition in the given format, with its content type. */
  render(format: ExpositionFormat): Promise<{ contentType: string; body: string }> {
    const set = this.sets[format];
    const next = this.scraping.then(async () => {
      await this.readDatabaseGauges(set);
      return { contentType: set.registry.contentType, body: await set.registry.metrics() };
    });
    this.scraping = next.catch(() => undefined);
    return next;
  }

  private each(apply: (set: MetricSet) => void): void {
    apply(this.sets.prometheus);
    apply(this.sets.openmetrics);
  }

  private async readDatabaseGauges(set: MetricSet): Promise<void> {
    const pool = this.repository.poolUsage();
    set.poolMaxConnections.set(pool.max);
    set.poolConnections.set({ state: 'idle' }, pool.idle);
    set.poolConnections.set({ state: 'in_use' }, pool.total - pool.idle);
    set.poolWaitingClients.set(pool.waiting);
    const gauges = [set.outboxPending, set.outboxOldestPendingAge];
    if (set.model) gauges.push(set.model.metric, set.model.openAlerts, set.model.driftShare);
    for (const gauge of gauges) gauge.reset();
    try {
      const outbox = await this.repository.outboxBacklog();
      set.outboxPending.set(outbox.pending);
      const age = outbox.oldestCreatedAt ? (this.clock.now().getTime() - outbox.oldestCreatedAt.getTime()) / 1000 : 0;
      set.outboxOldestPendingAge.set(Math.max(0, age));
      if (set.model) await this.readModelGauges(set.model);
      set.databaseUp.set(1);
    } catch (error) {
      for (const gauge of gauges) gauge.reset();
      // Unlabelled gauges cannot be absent (prom-client writes 0 after a reset): NaN says "unknown", and compares false in alert rules.
      set.outboxPending.set(Number.NaN);
      set.outboxOldestPendingAge.set(Number.NaN);
      set.databaseUp.set(0);
      this.logger.warn({ err: error }, 'GET /metrics: the database reads failed; database-derived gauges left out');
    }
  }

  /** Drift shares, then open alerts, then latest values: the small families first, so a cap cuts the largest. */
  private async readModelGauges(model: NonNullable<MetricSet['model']>): Promise<void> {
    const budget = this.config.exportModelMetricsMaxSeries;
    const [driftShares, openAlerts, latest] = capSeries(
      [
        await this.repository.latestDriftShares(budget),
        await this.repository.openAlertCounts(budget),
        await this.repository.latestMetricValues(budget),
      ],
      budget,
    );
    for (const row of driftShares.rows) model.driftShare.set(row.labels, row.value);
    for (const row of openAlerts.rows) model.openAlerts.set(row.labels, row.value);
    for (const row of latest.rows) model.metric.set(row.labels, row.value);
    const dropped = driftShares.dropped + openAlerts.dropped + latest.dropped;
    if (dropped > 0) model.droppedSeries.inc(dropped);
  }
}
