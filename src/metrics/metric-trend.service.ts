import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { ComputedMetrics } from 'src/metrics/computed-metrics';
import { invalidField, invalidFields } from 'src/common/errors/domain-error';
import { mapMetricTrend, MetricTrendDto, MetricTrendQueryDto, type TrendSource } from 'src/metrics/dto/metric-trend.dto';
import { parseOptionalTimestamp } from 'src/metrics/dto/metric-fields.validation';
import { type BucketRow, MetricPointsRepository, type SeriesFilter } from 'src/metrics/metric-points.repository';
import { MetricMaintenanceService } from 'src/metrics/metric-maintenance.service';
import { type BucketCell, MetricRollupsRepository } from 'src/metrics/metric-rollups.repository';
import { DEFAULT_ENVIRONMENT, MetricAggregation } from 'src/metrics/metrics.types';
import { planTrendSourcesBefore } from 'src/metrics/rollup-plan.policy';
import { cellValue, isPercentile, mergeCells, SKETCH_RELATIVE_ERROR, sketchQuantile } from 'src/metrics/rollup.stats';
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
import type { BucketValue } from 'src/predictions/realized-buckets.policy';

/**
 * Up to this many points in range, percentiles are computed exactly from raw points (percentile_cont), which costs
 * about as much as reading the rollup sketches; beyond it they come from the sketches.
 */
export const EXACT_PERCENTILE_LIMIT = 10_000;

export interface TrendBuckets {
  rows: BucketRow[];
  source: TrendSource;
  relativeError: number | null;
}

export interface TrendReadOptions {
  /** false: raw points only (the comparison path of tests and benchmarks). Default true. */
  rollups?: boolean;
  /** Default EXACT_PERCENTILE_LIMIT. */
  exactPercentileLimit?: number;
}

/**
 * GET /metrics/trend: the buckets come from the minute/hour/day rollups where those cover the range exactly and from
 * raw points for the edges (rollup-plan.policy); the summary, anomalies and forecast are pure functions of the buckets.
 */
@Injectable()
export class MetricTrendService {
  constructor(
    private readonly points: MetricPointsRepository,
    private readonly rollups: MetricRollupsRepository,
    private readonly maintenance: MetricMaintenanceService,
    private readonly models: ModelsService,
    private readonly computedMetrics: ComputedMetrics,
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
    // Computed names (realized.*, labels.* and every family in the ComputedMetrics registry) have one value per bucket,
    // so no aggregation or band, and come from their provider; every other name is a pushed series, read from rollups.
    const computed = this.computedMetrics.isComputed(query.metricName);
    if (computed && query.band) throw invalidField('band', 'not available for computed metrics');
    const { rows, source, relativeError } = computed
      ? { rows: await this.computedMetrics.bucketValues(query.metricName, filter, bucketMs), source: 'raw' as const, relativeError: null }
      : await this.readBuckets({ ...filter, metricName: query.metricName }, bucketMs, query.aggregation, query.band);
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
      source,
      relativeError,
    });
    // estimated.* carry their CBPE band (±3 standard errors) on each point, realized.auc its histogram error bound.
    if (computed) {
      const values = rows as BucketValue[];
      trend.points.forEach((point, i) => {
        if (values[i].lower !== undefined) Object.assign(point, { lower: values[i].lower, upper: values[i].upper });
        if (values[i].errorBound !== undefined) point.errorBound = values[i].errorBound;
      });
    }
    if (query.band) {
      const banded = rows as { p10?: number; p90?: number }[];
      trend.points.forEach((point, i) => Object.assign(point, { p10: banded[i].p10, p90: banded[i].p90 }));
    }
    return trend;
  }

  /**
   * The non-empty buckets of one series: rollup rows for the pieces of the range they cover exactly and that lie before
   * the series' rollup watermark (its oldest point not yet folded by the rollup worker), raw points for the rest,
   * merged per bucket. Percentiles (and the band) stay exact from raw points while the range holds at most
   * exactPercentileLimit points and its raw points are all retained.
   */
  async readBuckets(
    filter: SeriesFilter,
    bucketMs: number,
    aggregation: MetricAggregation,
    band: boolean,
    options: TrendReadOptions = {},
  ): Promise<TrendBuckets> {
    const raw = async (): Promise<TrendBuckets> => ({
      rows: await this.points.aggregateBuckets(filter, bucketMs, aggregation, band),
      source: 'raw',
      relativeError: null,
    });
    if (options.rollups === false) return raw();
    // The watermark first, then the rollups (see inboxWatermark): rollups only before it, raw points from it on.
    const watermark = await this.rollups.inboxWatermark(filter);
    const pieces = planTrendSourcesBefore(filter.from.getTime(), filter.to.getTime(), bucketMs, watermark?.getTime() ?? null);
    const rollupPieces = pieces.filter((piece) => piece.source !== 'raw');
    if (rollupPieces.length === 0) return raw();
    const withSketch = band || isPercentile(aggregation);
    const rawPieces = pieces.filter((piece) => piece.source === 'raw');
    const parts = await Promise.all([
      this.rollups.readRollupCells(filter, bucketMs, rollupPieces, withSketch),
      ...rawPieces.map((piece) =>
        this.points.aggregateCells({ ...filter, from: new Date(piece.from), to: new Date(piece.to) }, bucketMs, withSketch),
      ),
    ]);
    const cells = mergeByBucket(parts);
    const total = cells.reduce((sum, cell) => sum + cell.count, 0);
    const rawKept = this.maintenance.rawRetainedFrom();
    const rawComplete = rawKept === null || filter.from.getTime() >= rawKept.getTime();
    if (withSketch && rawComplete && total <= (options.exactPercentileLimit ?? EXACT_PERCENTILE_LIMIT)) return raw();
    return {
      rows: cells.map((cell) => {
        const row: BucketRow = { bucket: cell.bucket, value: cellValue(cell, aggregation)!, count: cell.count };
        if (band) Object.assign(row, { p10: sketchQuantile(cell.sketch!, 0.1), p90: sketchQuantile(cell.sketch!, 0.9) });
        return row;
      }),
      source: rawPieces.length > 0 ? 'mixed' : 'rollup',
      relativeError: withSketch ? SKETCH_RELATIVE_ERROR : null,
    };
  }
}

/** Cells of the same bucket from several reads merged into one, in bucket order. */
function mergeByBucket(parts: BucketCell[][]): BucketCell[] {
  const byBucket = new Map<number, BucketCell>();
  for (const part of parts) {
    for (const cell of part) {
      const seen = byBucket.get(cell.bucket);
      byBucket.set(cell.bucket, seen ? { ...mergeCells(seen, cell), bucket: cell.bucket } : cell);
    }
  }
  return [...byBucket.values()].sort((a, b) => a.bucket - b.bucket);
}
