import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { invalidField } from 'src/common/errors/domain-error';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import type { Transaction } from 'src/database/transaction';
import {
  assessDegradation,
  BaselineDirection,
  DEFAULT_TOLERANCE,
  DEGRADATION_WINDOW_MS,
  type DegradationItem,
} from 'src/metrics/degradation.policy';
import {
  ListBaselinesQueryDto,
  mapBaseline,
  MetricBaselineDto,
  MetricBaselinePageDto,
  MetricDegradationDto,
  PutBaselineDto,
} from 'src/metrics/dto/metric-baseline.dto';
import {
  type ComputedMetricResolution,
  ComputedMetrics,
  type ComputedSeriesFilter,
  type ComputedSeriesRead,
} from 'src/metrics/computed-metrics';
import { aggregateSeriesValues } from 'src/metrics/computed-metrics.stats';
import { MetricBaselinesRepository } from 'src/metrics/metric-baselines.repository';
import { MetricPointsRepository } from 'src/metrics/metric-points.repository';
import { MetricsErrors } from 'src/metrics/metrics.errors';
import { DEFAULT_ENVIRONMENT, type DegradationWindow, MetricAggregation } from 'src/metrics/metrics.types';
import { ModelsService } from 'src/models/models.service';
import { describeAuditedChange } from 'src/common/http/request-context';
import { TransactionRunner } from 'src/database/transaction';

const AUDIT_KIND = 'metric-baseline';
/** A computed name's baseline and degradation window are over its hourly bucket values (GET /metrics/trend?bucket=1h). */
const COMPUTED_BUCKET_MS = 3_600_000;

/** Baselines per model, metric and environment, and the degradation check against them. */
@Injectable()
export class MetricBaselinesService {
  constructor(
    private readonly baselines: MetricBaselinesRepository,
    private readonly points: MetricPointsRepository,
    private readonly computedMetrics: ComputedMetrics,
    private readonly models: ModelsService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Sets the baseline from a given value, or from the points recorded in [from, to). */
  async put(modelId: string, metricName: string, body: PutBaselineDto): Promise<MetricBaselineDto> {
    await this.models.getSummary(modelId);
    const environment = body.environment ?? DEFAULT_ENVIRONMENT;
    const read = this.computedMetrics.isComputed(metricName) ? await this.computedMetrics.readerFor(modelId, metricName) : null;
    const computed = await this.computeValue({ modelId, metricName, environment }, read, body);
    return this.transactions.run(async (transaction) => {
      const previous = await this.baselines.findOne({ modelId, metricName, environment }, transaction);
      const baseline = await this.baselines.upsert(
        {
          modelId,
          metricName,
          environment,
          direction: body.direction ?? BaselineDirection.HigherIsBetter,
          tolerance: body.tolerance ?? DEFAULT_TOLERANCE,
          ...computed,
        },
        transaction,
      );
      const after = mapBaseline(baseline);
      describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: baseline.id, before: previous && mapBaseline(previous), after });
      return after;
    });
  }

  async list(modelId: string, query: ListBaselinesQueryDto): Promise<MetricBaselinePageDto> {
    await this.models.getSummary(modelId);
    const after = decodeCursor<{ metricName: string; environment: string }>(query.cursor, ['metricName', 'environment']);
    const rows = await this.baselines.list({ modelId, environment: query.environment, after: after ?? undefined, limit: query.limit });
    return toPage(rows, query.limit, mapBaseline, (row) => ({ metricName: row.metricName, environment: row.environment }));
  }

  async delete(modelId: string, metricName: string, environment = DEFAULT_ENVIRONMENT): Promise<void> {
    await this.models.getSummary(modelId);
    const previous = await this.transactions.run(async (transaction) => {
      const found = await this.baselines.findOne({ modelId, metricName, environment }, transaction);
      if (found && (await this.baselines.delete(modelId, metricName, environment, transaction))) {
        describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: found.id, before: mapBaseline(found), after: null });
        return found;
      }
      return null;
    });
    if (!previous) {
      throw MetricsErrors.METRIC_BASELINE_NOT_FOUND(
        `No baseline for metric "${metricName}" in environment "${environment}" of model ${modelId}.`,
        {
          modelId,
          metricName,
          environment,
        },
      );
    }
  }

  /** GET /metrics/degradation. */
  async degradation(modelId: string, window: DegradationWindow): Promise<MetricDegradationDto> {
    await this.models.getSummary(modelId);
    const to = this.clock.now();
    const from = new Date(to.getTime() - DEGRADATION_WINDOW_MS[window]);
    return { from: from.toISOString(), to: to.toISOString(), items: await this.assess(modelId, from, to) };
  }

  /** For other modules: the same check, inside their transaction when given (no model lookup). */
  checkDegradation(modelId: string, window: DegradationWindow, transaction?: Transaction): Promise<DegradationItem[]> {
    const to = this.clock.now();
    return this.assess(modelId, new Date(to.getTime() - DEGRADATION_WINDOW_MS[window]), to, transaction);
  }

  private async assess(modelId: string, from: Date, to: Date, transaction?: Transaction): Promise<DegradationItem[]> {
    const rows = await this.baselines.findWithWindowMeans(modelId, from, to, transaction);
    // A computed name's current value is its series' (the SQL counted no pushed point); one the model does not serve has none.
    const computedRows = rows.filter((row) => this.computedMetrics.isComputed(row.metricName));
    const model = computedRows.length > 0 ? await this.computedMetrics.modelFor(modelId, transaction) : undefined;
    if (model) {
      // one resolution per name, whatever the number of its environments
      const resolutions = new Map<string, ComputedMetricResolution>();
      for (const row of computedRows) {
        const resolution = resolutions.get(row.metricName) ?? (await this.computedMetrics.resolve(row.metricName, model, transaction));
        resolutions.set(row.metricName, resolution);
        if ('refusal' in resolution) continue;
        const filter = { modelId, environment: row.environment, from, to };
        const window = await computedWindow(resolution.read, filter, MetricAggregation.Avg, transaction);
        Object.assign(row, { current: window.value, count: window.count });
      }
    }
    return rows.map((row) => {
      const current = row.count > 0 ? row.current : null;
      return {
        metricName: row.metricName,
        environment: row.environment,
        baseline: row.value,
        current,
        count: row.count,
        ...assessDegradation(row.value, current, row.direction, row.tolerance),
        direction: row.direction,
        tolerance: row.tolerance,
      };
    });
  }

  /** `value`, or the aggregate of the points in [from, to) — exactly one of the two. `read`: a computed name's series. */
  private async computeValue(
    { modelId, metricName, environment }: { modelId: string; metricName: string; environment: string },
    read: ComputedSeriesRead | null,
    body: PutBaselineDto,
  ) {
    const windowGiven = body.from !== undefined || body.to !== undefined;
    if (body.value !== undefined) {
      if (windowGiven || body.aggregation !== undefined) {
        throw invalidField(
          body.from !== undefined ? 'from' : body.to !== undefined ? 'to' : 'aggregation',
          'give either value, or from and to',
        );
      }
      return { value: body.value, computedFrom: null, computedTo: null, computedAggregation: null, computedCount: null };
    }
    if (body.from === undefined || body.to === undefined) {
      throw invalidField(windowGiven ? (body.from === undefined ? 'from' : 'to') : 'value', 'give either value, or from and to');
    }
    const from = new Date(body.from);
    const to = new Date(body.to);
    if (from.getTime() >= to.getTime()) throw invalidField('from', 'must be earlier than to');
    const aggregation = body.aggregation ?? MetricAggregation.Avg;
    const window = read
      ? await computedWindow(read, { modelId, environment, from, to }, aggregation)
      : await this.points.aggregateWindow({ modelId, metricName, environment, from, to }, aggregation);
    if (window.value === null || !Number.isFinite(window.value)) {
      throw MetricsErrors.METRIC_NO_DATA(
        `No points of "${metricName}" in environment "${environment}" between ${body.from} and ${body.to}.`,
        {
          metricName,
          environment,
        },
      );
    }
    return { value: window.value, computedFrom: from, computedTo: to, computedAggregation: aggregation, computedCount: window.count };
  }
}

/** A computed series over [from, to): its hourly bucket values as the trend serves them, aggregated; count = buckets. */
async function computedWindow(
  read: ComputedSeriesRead,
  filter: ComputedSeriesFilter,
  aggregation: MetricAggregation,
  transaction?: Transaction,
): Promise<{ value: number | null; count: number }> {
  const values = await read(filter, COMPUTED_BUCKET_MS, transaction);
  return { value: aggregateSeriesValues(values, aggregation), count: values.length };
}
