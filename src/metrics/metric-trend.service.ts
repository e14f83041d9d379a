import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { invalidField, invalidFields } from 'src/common/errors/domain-error';
import { mapMetricTrend, MetricTrendDto, MetricTrendQueryDto } from 'src/metrics/dto/metric-trend.dto';
import { parseOptionalTimestamp } from 'src/metrics/dto/metric-fields.validation';
import { MetricPointsRepository } from 'src/metrics/metric-points.repository';
import { DEFAULT_ENVIRONMENT } from 'src/metrics/metrics.types';
import { resolveTimeRange } from 'src/metrics/time-range.policy';
import {
  alignToBucket,
  BUCKET_MS,
  bucketCount,
  chooseBucket,
  detectAnomalies,
  forecastHolt,
  MAX_BUCKETS,
  summarizeTrend,
  type TrendPoint,
} from 'src/metrics/trend.stats';
import { ModelsService } from 'src/models/models.service';
import { isComputedMetricName } from 'src/predictions/realized-buckets.policy';
import { RealizedMetricsService } from 'src/predictions/realized-metrics.service';

/**
 * GET /metrics/trend: PostgreSQL buckets and aggregates the points (one index range scan); the
 * summary, anomalies and forecast are pure functions of the bucket rows.
 */
@Injectable()
export class MetricTrendService {
  constructor(
    private readonly points: MetricPointsRepository,
    private readonly models: ModelsService,
    private readonly realized: RealizedMetricsService,
    private readonly clock: Clock,
  ) {}

  async getTrend(query: MetricTrendQueryDto): Promise<MetricTrendDto> {
    const { range, error } = resolveTimeRange(parseOptionalTimestamp(query.from), parseOptionalTimestamp(query.to), this.clock.now());
    if (error) throw invalidFields([error]);
    const bucket = query.bucket ?? chooseBucket(range.from, range.to);
    const buckets = bucketCount(range.from, range.to, bucket);
    if (buckets > MAX_BUCKETS) {
      throw invalidField(
        query.bucket ? 'bucket' : 'from',
        `the range holds ${buckets} ${bucket} buckets; at most ${MAX_BUCKETS} are allowed`,
      );
    }
    const bucketMs = BUCKET_MS[bucket];
    const filter = {
      modelId: query.modelId,
      environment: query.environment ?? DEFAULT_ENVIRONMENT,
      modelVersion: query.modelVersion,
      segment: query.segment,
      ...range,
    };
    // realized.* and labels.* are computed from logged predictions and labels (one value per bucket, so no aggregation
    // or band); every other name is a pushed series.
    if (isComputedMetricName(query.metricName) && query.band) throw invalidField('band', 'not available for computed metrics');
    const rows = isComputedMetricName(query.metricName)
      ? await this.realized.bucketValues(query.metricName, filter, bucketMs)
      : await this.points.aggregateBuckets({ ...filter, metricName: query.metricName }, bucketMs, query.aggregation, query.band);
    // Points exist only for existing models (foreign key), so the model lookup is needed only for an empty answer.
    if (rows.length === 0) await this.models.getSummary(query.modelId);
    const points: TrendPoint[] = rows.map((row) => ({ bucketStart: row.bucket * bucketMs, value: row.value, count: row.count }));
    const trend = mapMetricTrend({
      modelId: query.modelId,
      metricName: query.metricName,
      bucket,
      aggregation: query.aggregation,
      ...range,
      points,
      summary: summarizeTrend(points),
      anomalies: detectAnomalies(points, { window: query.anomalyWindow, threshold: query.anomalyThreshold }),
      forecast:
        query.forecastHorizon > 0
          ? forecastHolt(points, {
              horizon: query.forecastHorizon,
              lastBucketStart: alignToBucket(range.to.getTime() - 1, bucket),
              bucketMs,
            }).points
          : [],
    });
    if (query.band) {
      const banded = rows as { p10?: number; p90?: number }[];
      trend.points.forEach((point, i) => Object.assign(point, { p10: banded[i].p10, p90: banded[i].p90 }));
    }
    return trend;
  }
}
