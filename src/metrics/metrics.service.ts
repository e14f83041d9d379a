import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { type FieldError, invalidField, invalidFields } from 'src/common/errors/domain-error';
import { DomainEvents } from 'src/common/events/domain-events';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import type { DegradationItem } from 'src/metrics/degradation.policy';
import {
  LatestMetricsDto,
  LatestMetricsQueryDto,
  mapLatestMetric,
  RecordMetricsBody,
  RecordMetricsResultDto,
} from 'src/metrics/dto/metric-point.dto';
import { CompareMetricsQueryDto, mapSeriesStats, MetricComparisonDto } from 'src/metrics/dto/metric-trend.dto';
import { parseOptionalTimestamp } from 'src/metrics/dto/metric-fields.validation';
import { MetricBaselinesService } from 'src/metrics/metric-baselines.service';
import { MetricMaintenanceService } from 'src/metrics/metric-maintenance.service';
import { prepareMetricPoints, prepareRecordBody, type NewMetricPoint } from 'src/metrics/metric-points.policy';
import { MetricPointsRepository } from 'src/metrics/metric-points.repository';
import { METRICS_RECORDED, type MetricsRecordedEvent } from 'src/metrics/metrics.events';
import {
  type AggregateWindowQuery,
  DEFAULT_ENVIRONMENT,
  type DegradationWindow,
  MetricAggregation,
  type MetricPointInput,
  type RecordMetricsResult,
  type WindowAggregate,
  type WindowSample,
  type WindowsAtQuery,
} from 'src/metrics/metrics.types';
import { resolveTimeRange } from 'src/metrics/time-range.policy';
import { ModelErrors } from 'src/models/models.errors';
import { ModelsService } from 'src/models/models.service';
import { ServiceMetrics } from 'src/observability/service-metrics';

/**
 * The metrics module's service: recording points (for the API and for other modules), the latest
 * values, comparisons, and the window aggregates / degradation check other modules build on.
 */
@Injectable()
export class MetricsService {
  constructor(
    private readonly points: MetricPointsRepository,
    private readonly baselines: MetricBaselinesService,
    private readonly maintenance: MetricMaintenanceService,
    private readonly models: ModelsService,
    private readonly transactions: TransactionRunner,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly serviceMetrics: ServiceMetrics,
  ) {}

  /** POST /metrics/record. */
  async record(body: RecordMetricsBody): Promise<RecordMetricsResultDto> {
    const { recorded, duplicates } = await this.recordPrepared(prepareRecordBody(body, this.clock.now()));
    return { recorded, duplicates };
  }

  /**
   * Records a batch all or nothing (one multi-row INSERT). Without a transaction it opens its own and
   * emits `metrics.recorded` after the commit; inside the caller's transaction it emits nothing: the
   * caller publishes the returned events with publishRecorded() once its transaction has committed.
   */
  recordPoints(points: MetricPointInput[], transaction?: Transaction): Promise<RecordMetricsResult> {
    return this.recordPrepared(prepareMetricPoints(points, this.clock.now()), transaction);
  }

  /** Emits `metrics.recorded` for events returned by recordPoints(…, transaction) after that transaction committed. */
  async publishRecorded(events: MetricsRecordedEvent[]): Promise<void> {
    this.serviceMetrics.countIngestedPoints(events.reduce((sum, event) => sum + event.count, 0));
    for (const event of events) await this.events.emit(METRICS_RECORDED, event);
  }

  /** One aggregate of one series over [from, to) (alert rules). Value null when the window is empty. */
  aggregateWindow(query: AggregateWindowQuery, transaction?: Transaction): Promise<WindowAggregate> {
    return this.points.aggregateWindow(
      { modelId: query.modelId, metricName: query.metricName, environment: query.environment, from: query.from, to: query.to },
      query.aggregation as MetricAggregation,
      transaction,
    );
  }

  /** The latest point of one series in [from, to), or null (the no-data check of alert rules). */
  latestPointAt(query: Omit<AggregateWindowQuery, 'aggregation'>, transaction?: Transaction): Promise<Date | null> {
    return this.points.latestPointAt(
      { modelId: query.modelId, metricName: query.metricName, environment: query.environment, from: query.from, to: query.to },
      transaction,
    );
  }

  /** What a rule evaluation at each of `ticks` reads (alert-rule backtests): see MetricPointsRepository.windowsAt. */
  windowsAt(query: WindowsAtQuery): Promise<WindowSample[]> {
    return this.points.windowsAt(query, query.ticks, query.windowMs, query.aggregation as MetricAggregation, query.lookbackMs);
  }

  /** How many points of one series lie in [from, to). */
  countPoints(query: Omit<AggregateWindowQuery, 'aggregation'>): Promise<number> {
    return this.points.countPoints(query);
  }

  /** The mean of each baselined metric over the last window against its baseline (as GET /metrics/degradation). */
  checkDegradation(modelId: string, window: DegradationWindow, transaction?: Transaction): Promise<DegradationItem[]> {
    return this.baselines.checkDegradation(modelId, window, transaction);
  }

  async latest(query: LatestMetricsQueryDto): Promise<LatestMetricsDto> {
    await this.models.getSummary(query.modelId);
    const rows = await this.points.findLatest(query.modelId, query);
    return { items: rows.map(mapLatestMetric) };
  }

  /** One series per model (modelIds) or per version of one model (modelId + modelVersions), in the order asked. */
  async compare(query: CompareMetricsQueryDto): Promise<MetricComparisonDto> {
    const byModels = query.modelIds !== undefined;
    if (
      byModels
        ? query.modelId !== undefined || query.modelVersions !== undefined
        : query.modelId === undefined || query.modelVersions === undefined
    ) {
      const field = byModels
        ? query.modelId !== undefined
          ? 'modelId'
          : 'modelVersions'
        : query.modelId === undefined
          ? 'modelId'
          : 'modelVersions';
      throw invalidField(field, 'give either modelIds, or modelId together with modelVersions');
    }
    const { range, error } = resolveTimeRange(parseOptionalTimestamp(query.from), parseOptionalTimestamp(query.to), this.clock.now());
    if (error) throw invalidFields([error]);
    const modelIds = byModels ? [...new Set(query.modelIds!.map((id) => id.toLowerCase()))] : [query.modelId!.toLowerCase()];
    await this.assertModelsExist(modelIds, byModels ? 'modelIds' : 'modelId');
    const versions = byModels ? undefined : [...new Set(query.modelVersions)];
    const rows = await this.points.seriesStats({
      modelIds,
      metricName: query.metricName,
      environment: query.environment ?? DEFAULT_ENVIRONMENT,
      ...range,
      modelVersions: versions,
    });
    const keys = versions ? versions.map((version) => [modelIds[0], version] as const) : modelIds.map((id) => [id, null] as const);
    return {
      series: keys.map(([modelId, modelVersion]) =>
        mapSeriesStats(
          rows.find((row) => row.modelId === modelId && row.modelVersion === modelVersion) ?? {
            modelId,
            modelVersion,
            count: 0,
            mean: null,
            stdDev: null,
            min: null,
            p50: null,
            max: null,
            last: null,
            lastRecordedAt: null,
          },
        ),
      ),
    };
  }

  private async recordPrepared(
    prepared: { points: NewMetricPoint[]; errors: FieldError[] },
    transaction?: Transaction,
  ): Promise<RecordMetricsResult> {
    if (prepared.errors.length > 0) throw invalidFields(prepared.errors);
    if (transaction) return this.insert(prepared.points, transaction);
    // A month without a partition (a backfill) gets one first, outside the insert's transaction; inside a caller's
    // transaction such points land in the default partition and the maintenance job moves them.
    await this.maintenance.ensureMonths(prepared.points.map((point) => point.recordedAt));
    const result = await this.transactions.run((own) => this.insert(prepared.points, own));
    await this.publishRecorded(result.events);
    return result;
  }

  private async insert(points: NewMetricPoint[], transaction: Transaction): Promise<RecordMetricsResult> {
    await this.assertPointModelsExist(points, transaction);
    // A model deleted between the check above and the insert is a 404 through onMissingReference('models').
    const events = await this.points.insertPoints(points, transaction);
    const recorded = events.reduce((sum, event) => sum + event.count, 0);
    return { recorded, duplicates: points.length - recorded, events };
  }

  /** 404 naming the first point of each unknown model. */
  private async assertPointModelsExist(points: NewMetricPoint[], transaction: Transaction): Promise<void> {
    const firstIndex = new Map<string, number>();
    points.forEach((point, index) => {
      if (!firstIndex.has(point.modelId)) firstIndex.set(point.modelId, index);
    });
    const missing = await this.models.findMissing([...firstIndex.keys()], transaction);
    if (missing.length === 0) return;
    const errors = missing.map((modelId) => ({
      field: `points[${firstIndex.get(modelId)}].modelId`,
      message: `no model with id ${modelId}`,
    }));
    throw ModelErrors.MODEL_NOT_FOUND(errors.map((error) => `${error.field}: ${error.message}`).join('; '), { modelIds: missing }, errors);
  }

  private async assertModelsExist(modelIds: string[], field: string): Promise<void> {
    const missing = await this.models.findMissing(modelIds);
    if (missing.length > 0) {
      throw ModelErrors.MODEL_NOT_FOUND(`No model with id ${missing.join(', ')}.`, { modelIds: missing }, [
        { field, message: `unknown model id(s): ${missing.join(', ')}` },
      ]);
    }
  }
}
