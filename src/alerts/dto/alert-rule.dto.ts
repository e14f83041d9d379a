import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsIn, IsInt, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { AlertRuleEntity } from 'src/alerts/alert-rule.entity';
import { AlertSeverity, RuleAggregation, RuleComparator, RuleNoData } from 'src/alerts/alert.enums';
import { IsNullable, IsOptional } from 'src/common/validation/validators';
import { PageOf } from 'src/alerts/dto/page.dto';
import { PaginationQueryDto } from 'src/common/pagination/pagination.dto';
import { ToBoolean } from 'src/common/validation/validation';
import { BUCKET_SIZES, type BucketSize } from 'src/metrics/buckets.policy';
import { DEFAULT_ENVIRONMENT, METRIC_NAME_PATTERN } from 'src/metrics/metrics.types';
import { IsMeasuredValue } from 'src/common/validation/numbers';
import { IsStringMap } from 'src/common/validation/validators';

const MAX_MINUTES = 10_080; // one week
export const MAX_EVALUATION_LAG_MINUTES = 43_200; // thirty days, as PENDING_LABEL_DAYS' default

export class CreateAlertRuleDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  modelId: string;

  /** Shown in the alert title. */
  @ApiPropertyOptional({ type: 'string', nullable: true })
  @IsNullable()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  /**
   * A metric recorded through POST /metrics/record, or one ModelWatch computes and GET /metrics/trend serves
   * (`realized.*`, `labels.coverage`, `labels.delay_p50`/`_p95` …, as the model's task type allows: a 400 otherwise).
   */
  @ApiProperty({ pattern: METRIC_NAME_PATTERN.source, example: 'accuracy' })
  @IsString()
  @Matches(METRIC_NAME_PATTERN, { message: 'metricName must match ^[A-Za-z0-9_.:/-]{1,100}$' })
  metricName: string;

  @ApiPropertyOptional({ default: DEFAULT_ENVIRONMENT })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  environment?: string;

  /**
   * How the points of the window are reduced to one value. For a computed metric, how the values of the buckets in the
   * window are (avg: their unweighted mean; last: the latest bucket's; min/max/p50/p95 over the bucket values).
   */
  @ApiProperty({ enum: RuleAggregation, enumName: 'RuleAggregation' })
  @IsEnum(RuleAggregation)
  aggregation: RuleAggregation;

  /**
   * The window ends at evaluation time (minus evaluationLagMinutes) and spans this many minutes (1–10,080). A computed
   * metric's window holds the buckets that ended inside it (complete buckets only), so it must span at least one bucket.
   */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MINUTES })
  @IsInt()
  @Min(1)
  @Max(MAX_MINUTES)
  windowMinutes: number;

  /** The condition is `aggregated value <comparator> threshold`. */
  @ApiProperty({ enum: RuleComparator, enumName: 'RuleComparator' })
  @IsEnum(RuleComparator)
  comparator: RuleComparator;

  @IsMeasuredValue()
  threshold: number;

  @ApiProperty({ enum: AlertSeverity, enumName: 'AlertSeverity' })
  @IsEnum(AlertSeverity)
  severity: AlertSeverity;

  /** The condition must hold this long before the alert fires (pending until then); 0 fires at once. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_MINUTES, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINUTES)
  forMinutes?: number;

  /** A firing alert stays firing this long after the condition clears; 0 resolves at once. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_MINUTES, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINUTES)
  keepFiringForMinutes?: number;

  /**
   * What the alert does while the rule has no data: `keep-last` (default) leaves it as it is, `ok` treats no data as
   * the condition clearing, `alerting` as the condition holding (pending, then firing after forMinutes).
   */
  @ApiPropertyOptional({ enum: RuleNoData, enumName: 'RuleNoData', default: RuleNoData.KeepLast })
  @IsOptional()
  @IsEnum(RuleNoData)
  noData?: RuleNoData;

  /**
   * No points for this many minutes (1–10,080) is "no data", and raises a `no_data` alert that resolves when points
   * arrive again. Null (default): no `no_data` alert, and "no data" means an empty window.
   */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_MINUTES, nullable: true, default: null })
  @IsNullable()
  @IsInt()
  @Min(1)
  @Max(MAX_MINUTES)
  noDataMinutes?: number | null;

  /**
   * Computed metrics only: the bucket size of the series the rule reads, the buckets GET /metrics/trend serves with
   * this `bucket` (default `1h`). A 400 for a pushed metric.
   */
  @ApiPropertyOptional({ enum: BUCKET_SIZES, enumName: 'MetricBucket' })
  @IsOptional()
  @IsIn(BUCKET_SIZES)
  bucket?: BucketSize;

  /**
   * Computed metrics only: the window ends this many minutes (0–43,200) before the evaluation, so the freshest buckets,
   * whose labels are not due yet, are not judged (set it to the expected label delay, e.g. labels.delay_p95). The
   * no-data check still counts back from the evaluation itself. A 400 above 0 for a pushed metric.
   */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_EVALUATION_LAG_MINUTES, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_EVALUATION_LAG_MINUTES)
  evaluationLagMinutes?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /** Added to the labels of the alerts this rule raises (with `metric`, `environment` and `rule`). */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsStringMap()
  labels?: Record<string, string>;
}

/** Any field but the model; null is refused except for `name` (null removes it) and `noDataMinutes` (null turns it off). */
export class UpdateAlertRuleDto extends PartialType(OmitType(CreateAlertRuleDto, ['modelId'] as const), { skipNullProperties: false }) {}

export class ListAlertRulesQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  modelId?: string;

  @IsOptional()
  @IsString()
  @Matches(METRIC_NAME_PATTERN, { message: 'metricName must match ^[A-Za-z0-9_.:/-]{1,100}$' })
  metricName?: string;

  @ApiPropertyOptional({ type: 'boolean' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  enabled?: boolean;
}

export class AlertRuleDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ type: 'string', nullable: true })
  name: string | null;
  metricName: string;
  environment: string;
  @ApiProperty({ enum: RuleAggregation, enumName: 'RuleAggregation' })
  aggregation: RuleAggregation;
  @ApiProperty({ type: 'integer' })
  windowMinutes: number;
  @ApiProperty({ enum: RuleComparator, enumName: 'RuleComparator' })
  comparator: RuleComparator;
  threshold: number;
  @ApiProperty({ enum: AlertSeverity, enumName: 'AlertSeverity' })
  severity: AlertSeverity;
  @ApiProperty({ type: 'integer' })
  forMinutes: number;
  @ApiProperty({ type: 'integer' })
  keepFiringForMinutes: number;
  @ApiProperty({ enum: RuleNoData, enumName: 'RuleNoData' })
  noData: RuleNoData;
  @ApiProperty({ type: 'integer', nullable: true })
  noDataMinutes: number | null;
  /** The bucket size a computed metric is read in; null for a pushed metric. */
  @ApiProperty({ enum: BUCKET_SIZES, enumName: 'MetricBucket', nullable: true })
  bucket: BucketSize | null;
  @ApiProperty({ type: 'integer' })
  evaluationLagMinutes: number;
  enabled: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  labels: Record<string, string>;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  lastEvaluatedAt: string | null;
  /** The aggregated value at the last evaluation; null when the window had no data. */
  @ApiProperty({ type: 'number', nullable: true })
  lastValue: number | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class AlertRulePageDto extends PageOf(AlertRuleDto) {}

export function mapAlertRule(rule: AlertRuleEntity): AlertRuleDto {
  return {
    id: rule.id,
    modelId: rule.modelId,
    name: rule.name,
    metricName: rule.metricName,
    environment: rule.environment,
    aggregation: rule.aggregation,
    windowMinutes: rule.windowMinutes,
    comparator: rule.comparator,
    threshold: rule.threshold,
    severity: rule.severity,
    forMinutes: rule.forMinutes,
    keepFiringForMinutes: rule.keepFiringForMinutes,
    noData: rule.noData,
    noDataMinutes: rule.noDataMinutes,
    bucket: rule.bucket,
    evaluationLagMinutes: rule.evaluationLagMinutes,
    enabled: rule.enabled,
    labels: rule.labels,
    lastEvaluatedAt: rule.lastEvaluatedAt?.toISOString() ?? null,
    lastValue: rule.lastValue,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}
