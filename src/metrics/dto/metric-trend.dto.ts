import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ToBoolean, ToNumber, ToStringList } from 'src/common/validation/validation';
import { IsOptional, IsStringMap } from 'src/common/validation/validators';
import { IsTimestamp } from 'src/common/validation/timestamp';
import { IsLabel, IsMetricName } from 'src/metrics/dto/metric-fields.validation';
import { METRIC_NAME_PATTERN, MetricAggregation } from 'src/metrics/metrics.types';
import {
  type Anomaly,
  BUCKET_SIZES,
  type BucketSize,
  type ForecastPoint,
  type TimeInput,
  type TrendPoint,
  type TrendSummary,
  DEFAULT_ANOMALY_THRESHOLD,
  DEFAULT_ANOMALY_WINDOW,
  finiteOrNull,
  MAX_FORECAST_HORIZON,
  type TrendDirection,
} from 'src/metrics/trend.stats';

export const TREND_SOURCES = ['raw', 'rollup', 'mixed'] as const;
export type TrendSource = (typeof TREND_SOURCES)[number];

/** from/to/environment shared by the trend and compare queries. */
export class MetricRangeQueryDto {
  /** Start of the range, inclusive (ISO-8601 with offset); default: 30 days before `to`. */
  @IsOptional()
  @IsTimestamp({ query: true })
  from?: string;

  /** End of the range, exclusive; default: now. */
  @IsOptional()
  @IsTimestamp({ query: true })
  to?: string;

  /** Environment of the points; default `production`. */
  @ApiPropertyOptional({ default: 'production' })
  @IsOptional()
  @IsLabel(100)
  environment?: string;
}

export class MetricTrendQueryDto extends MetricRangeQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  modelId: string;

  @ApiProperty({ pattern: METRIC_NAME_PATTERN.source })
  @IsMetricName()
  metricName: string;

  /** Bucket size, aligned to the Unix epoch in UTC; default: the smallest size giving at most 500 buckets. */
  @ApiPropertyOptional({ enum: BUCKET_SIZES, enumName: 'MetricBucket' })
  @IsOptional()
  @IsIn(BUCKET_SIZES)
  bucket?: BucketSize;

  /** How the points of a bucket are combined; percentiles are PostgreSQL's percentile_cont. */
  @ApiPropertyOptional({ enum: MetricAggregation, enumName: 'MetricAggregation', default: MetricAggregation.Avg })
  @IsOptional()
  @IsEnum(MetricAggregation)
  aggregation: MetricAggregation = MetricAggregation.Avg;

  /** Only points of this model version (default: all versions). */
  @IsOptional()
  @IsLabel(200)
  modelVersion?: string;

  /**
   * Only points whose segment contains these key/value pairs. Sent as one query parameter per key,
   * `segment.<key>=<value>` (e.g. `segment.region=eu&segment.team=ads`); `segment[<key>]=<value>` works too.
   */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    style: 'deepObject',
    explode: true,
  } as object)
  @IsOptional()
  @IsStringMap({ maxEntries: 20 })
  segment?: Record<string, string>;

  /** Maximum number of earlier non-empty buckets an anomaly is judged against (1–1000). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: DEFAULT_ANOMALY_WINDOW })
  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(1000)
  anomalyWindow: number = DEFAULT_ANOMALY_WINDOW;

  /** |modified z-score| at or above which a bucket is an anomaly (> 0). */
  @ApiPropertyOptional({ minimum: 0, exclusiveMinimum: true, default: DEFAULT_ANOMALY_THRESHOLD } as object)
  @IsOptional()
  @ToNumber()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(Number.MIN_VALUE)
  anomalyThreshold: number = DEFAULT_ANOMALY_THRESHOLD;

  /** Number of future buckets to forecast (0–500). */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_FORECAST_HORIZON, default: 0 })
  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(MAX_FORECAST_HORIZON)
  forecastHorizon: number = 0;

  /** Also return each bucket's p10 and p90 (percentile_cont) on the points: the band around the line. */
  @ApiPropertyOptional({ type: 'boolean', default: false })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  band: boolean = false;
}

export class TrendPointDto {
  @ApiProperty({ format: 'date-time' })
  bucketStart: string;
  value: number;
  /** Number of recorded points in the bucket. */
  @ApiProperty({ type: 'integer' })
  count: number;
  /** 10th percentile of the bucket's points (only with `band=true`). */
  @ApiPropertyOptional({ type: 'number' })
  p10?: number;
  /** 90th percentile of the bucket's points (only with `band=true`). */
  @ApiPropertyOptional({ type: 'number' })
  p90?: number;
  /** `estimated.*` only: lower end of the CBPE band, estimate − 3 standard errors clipped to 0 (absent when the standard error is undefined). */
  @ApiPropertyOptional({ type: 'number' })
  lower?: number;
  /** `estimated.*` only: upper end of the CBPE band, estimate + 3 standard errors clipped to 1. */
  @ApiPropertyOptional({ type: 'number' })
  upper?: number;
  /**
   * `realized.auc` only: the AUC is computed from a 1,000-bin score histogram, and |value − exact AUC| ≤ errorBound
   * (half the share of positive–negative pairs that fall in one bin; docs/predictions.md).
   */
  @ApiPropertyOptional({ type: 'number' })
  errorBound?: number;
}

export class TrendSummaryDto {
  /** Number of recorded points in the range. */
  @ApiProperty({ type: 'integer' })
  count: number;
  /** Value of the first non-empty bucket. */
  @ApiProperty({ type: 'number', nullable: true })
  first: number | null;
  /** Value of the last non-empty bucket. */
  @ApiProperty({ type: 'number', nullable: true })
  last: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  min: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  max: number | null;
  /** Mean of the bucket values. */
  @ApiProperty({ type: 'number', nullable: true })
  mean: number | null;
  /** last − first. */
  @ApiProperty({ type: 'number', nullable: true })
  absoluteChange: number | null;
  /** (last − first) / |first|; null when first is 0. */
  @ApiProperty({ type: 'number', nullable: true })
  relativeChange: number | null;
  /** Least-squares slope of the bucket value against bucketStart in days. */
  @ApiProperty({ type: 'number', nullable: true })
  slopePerDay: number | null;
  /** `flat` when |relativeChange| < 1 %. */
  @ApiProperty({ enum: ['up', 'down', 'flat'], enumName: 'TrendDirection' })
  direction: TrendDirection;
}

export class TrendAnomalyDto {
  @ApiProperty({ format: 'date-time' })
  bucketStart: string;
  value: number;
  /** Median of the preceding window of non-empty buckets. */
  median: number;
  /** Median absolute deviation of that window (0 flags any value different from the median). */
  @ApiProperty({ type: 'number', nullable: true })
  mad: number | null;
  /** Modified z-score 0.6745·(value − median)/MAD; null when MAD is 0 (infinite score). */
  @ApiProperty({ type: 'number', nullable: true })
  score: number | null;
}

export class TrendForecastDto {
  @ApiProperty({ format: 'date-time' })
  bucketStart: string;
  @ApiProperty({ type: 'number', nullable: true })
  value: number | null;
  /** Lower end of the 95 % interval. */
  @ApiProperty({ type: 'number', nullable: true })
  lower: number | null;
  /** Upper end of the 95 % interval. */
  @ApiProperty({ type: 'number', nullable: true })
  upper: number | null;
}

export class MetricTrendDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  metricName: string;
  @ApiProperty({ enum: BUCKET_SIZES, enumName: 'MetricBucket' })
  bucket: BucketSize;
  @ApiProperty({ enum: MetricAggregation, enumName: 'MetricAggregation' })
  aggregation: MetricAggregation;
  @ApiProperty({ format: 'date-time' })
  from: string;
  @ApiProperty({ format: 'date-time' })
  to: string;
  /** Non-empty buckets in time order. */
  @ApiProperty({ type: [TrendPointDto] })
  points: TrendPointDto[];
  summary: TrendSummaryDto;
  @ApiProperty({ type: [TrendAnomalyDto] })
  anomalies: TrendAnomalyDto[];
  /** Holt's linear exponential smoothing for `forecastHorizon` buckets after the range. */
  @ApiProperty({ type: [TrendForecastDto] })
  forecast: TrendForecastDto[];
  /**
   * Where the buckets came from: `raw` points only, `rollup` (minute/hour/day rollups cover the range exactly) or
   * `mixed` (rollups for the aligned middle, raw points for the edges). avg, min, max, sum, count and last are exact
   * either way; percentiles from rollups are sketch estimates (see relativeError).
   */
  @ApiProperty({ enum: TREND_SOURCES, enumName: 'TrendSource' })
  source: TrendSource;
  /**
   * For percentiles (and the band) read from the rollup sketch: the value-relative error bound of each percentile
   * (DDSketch's α: |estimate − exact| ≤ relativeError · |exact| when the two order statistics interpolated have the
   * same sign). Null when the values are exact (percentile_cont over raw points, or a non-percentile aggregation).
   */
  @ApiProperty({ type: 'number', nullable: true })
  relativeError: number | null;
}

export class CompareMetricsQueryDto extends MetricRangeQueryDto {
  @ApiProperty({ pattern: METRIC_NAME_PATTERN.source })
  @IsMetricName()
  metricName: string;

  /** Comma-separated model ids (1–50): one series per model. */
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    minItems: 1,
    maxItems: 50,
    style: 'form',
    explode: false,
  } as ApiPropertyOptions)
  @IsOptional()
  @ToStringList()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  modelIds?: string[];

  /** With `modelVersions`: the model whose versions are compared. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  modelId?: string;

  /** Comma-separated model versions of `modelId` (1–50): one series per version. */
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 200 },
    minItems: 1,
    maxItems: 50,
    style: 'form',
    explode: false,
  } as ApiPropertyOptions)
  @IsOptional()
  @ToStringList()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  modelVersions?: string[];
}

export class MetricSeriesStatsDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  /** The version compared, or null when the series spans every version of the model. */
  @ApiProperty({ type: 'string', nullable: true })
  modelVersion: string | null;
  @ApiProperty({ type: 'integer' })
  count: number;
  @ApiProperty({ type: 'number', nullable: true })
  mean: number | null;
  /** Sample standard deviation (n − 1); null with fewer than 2 points. */
  @ApiProperty({ type: 'number', nullable: true })
  stdDev: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  min: number | null;
  /** Median (percentile_cont 0.5). */
  @ApiProperty({ type: 'number', nullable: true })
  p50: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  max: number | null;
  /** Value of the latest point. */
  @ApiProperty({ type: 'number', nullable: true })
  last: number | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  lastRecordedAt: string | null;
}

export class MetricComparisonDto {
  /** One per requested model (or version), in the order requested. */
  @ApiProperty({ type: [MetricSeriesStatsDto] })
  series: MetricSeriesStatsDto[];
}

export interface SeriesStatsRow {
  modelId: string;
  modelVersion: string | null;
  count: number;
  mean: number | null;
  stdDev: number | null;
  min: number | null;
  p50: number | null;
  max: number | null;
  last: number | null;
  lastRecordedAt: Date | null;
}

export function mapSeriesStats(row: SeriesStatsRow): MetricSeriesStatsDto {
  return {
    modelId: row.modelId,
    modelVersion: row.modelVersion,
    count: row.count,
    mean: finiteOrNull(row.mean),
    stdDev: finiteOrNull(row.stdDev),
    min: finiteOrNull(row.min),
    p50: finiteOrNull(row.p50),
    max: finiteOrNull(row.max),
    last: finiteOrNull(row.last),
    lastRecordedAt: row.lastRecordedAt ? row.lastRecordedAt.toISOString() : null,
  };
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, index) => String(index).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, index) => String(index).padStart(3, '0'));
const DAY_MS = 86_400_000;

/**
 * Date.prototype.toISOString for a long run of increasing UTC times, ~4× faster: the date part is
 * formatted once per day and the time of day from lookup tables (a trend can hold 5,000 buckets,
 * and formatting them was the largest cost of the response after the query). Years outside
 * 0000–9999, which toISOString writes with six digits, fall back to it.
 */
export function createIsoFormatter(): (time: TimeInput) => string {
  let currentDay = Number.NaN;
  let datePrefix = '';
  return (time) => {
    const ms = time instanceof Date ? time.getTime() : time;
    const day = Math.floor(ms / DAY_MS) * DAY_MS;
    if (day !== currentDay) {
      datePrefix = new Date(day).toISOString().slice(0, 11);
      currentDay = day;
    }
    if (datePrefix[10] !== 'T') return new Date(ms).toISOString();
    let rest = ms - day;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    return `${datePrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
  };
}

/** The trend as computed (times as Dates or epoch ms) → the response body (ISO strings). */
export function mapMetricTrend(trend: {
  modelId: string;
  metricName: string;
  bucket: BucketSize;
  aggregation: MetricAggregation;
  from: Date;
  to: Date;
  points: TrendPoint[];
  summary: TrendSummary;
  anomalies: Anomaly[];
  forecast: ForecastPoint[];
  source: TrendSource;
  relativeError: number | null;
}): MetricTrendDto {
  const iso = createIsoFormatter();
  return {
    modelId: trend.modelId,
    metricName: trend.metricName,
    bucket: trend.bucket,
    aggregation: trend.aggregation,
    from: trend.from.toISOString(),
    to: trend.to.toISOString(),
    points: trend.points.map((point) => ({ bucketStart: iso(point.bucketStart), value: point.value, count: point.count })),
    summary: trend.summary,
    anomalies: trend.anomalies.map((anomaly) => ({ ...anomaly, bucketStart: anomaly.bucketStart.toISOString() })),
    forecast: trend.forecast.map((point) => ({ ...point, bucketStart: iso(point.bucketStart) })),
    source: trend.source,
    relativeError: trend.relativeError,
  };
}
