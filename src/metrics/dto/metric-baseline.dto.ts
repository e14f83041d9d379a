import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsNumber, IsUUID, Max, Min } from 'class-validator';
import { PaginationQueryDto } from 'src/common/pagination/pagination.dto';
import { IsMeasuredValue } from 'src/common/validation/numbers';
import { IsTimestamp } from 'src/common/validation/timestamp';
import { IsLabel } from 'src/metrics/dto/metric-fields.validation';
import { BaselineDirection, DEFAULT_TOLERANCE } from 'src/metrics/degradation.policy';
import type { MetricBaselineEntity } from 'src/metrics/metric-baseline.entity';
import { DEGRADATION_WINDOWS, type DegradationWindow, MetricAggregation } from 'src/metrics/metrics.types';
import { IsOptional } from 'src/common/validation/validators';

export class PutBaselineDto {
  /** The baseline value itself; give either `value` or `from` + `to`. */
  @IsOptional()
  @IsMeasuredValue()
  value?: number;

  /** Compute the baseline from the points recorded in [from, to) (ISO-8601 with offset). */
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @IsOptional()
  @IsTimestamp()
  to?: string;

  /** With from/to: how the points are combined (default `avg`). */
  @ApiPropertyOptional({ enum: MetricAggregation, enumName: 'MetricAggregation', default: MetricAggregation.Avg })
  @IsOptional()
  @IsEnum(MetricAggregation)
  aggregation?: MetricAggregation;

  /** Which way is good for this metric (default `higher_is_better`). */
  @ApiPropertyOptional({ enum: BaselineDirection, enumName: 'BaselineDirection', default: BaselineDirection.HigherIsBetter })
  @IsOptional()
  @IsEnum(BaselineDirection)
  direction?: BaselineDirection;

  /** Relative change in the bad direction tolerated before the metric counts as degraded (default 0.05 = 5 %). */
  @ApiPropertyOptional({ minimum: 0, maximum: 1000, default: DEFAULT_TOLERANCE })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  tolerance?: number;

  /** Environment the baseline applies to (default `production`). */
  @ApiPropertyOptional({ default: 'production' })
  @IsOptional()
  @IsLabel(100)
  environment?: string;
}

export class BaselineEnvironmentQueryDto {
  /** Environment of the baseline (default `production`). */
  @ApiPropertyOptional({ default: 'production' })
  @IsOptional()
  @IsLabel(100)
  environment?: string;
}

export class ListBaselinesQueryDto extends PaginationQueryDto {
  /** Only baselines of this environment (default: all). */
  @IsOptional()
  @IsLabel(100)
  environment?: string;
}

export class MetricBaselineDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  metricName: string;
  environment: string;
  value: number;
  @ApiProperty({ enum: BaselineDirection, enumName: 'BaselineDirection' })
  direction: BaselineDirection;
  tolerance: number;
  /** Start of the window the value was computed from; null when it was given. */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  computedFrom: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  computedTo: string | null;
  /**
   * Aggregation the value was computed with; null when it was given. (Inline enum: OpenAPI 3.0 cannot make a
   * `$ref` to the named MetricAggregation schema nullable without an untyped allOf.)
   */
  @ApiProperty({ type: 'string', enum: [...Object.values(MetricAggregation), null], nullable: true })
  computedAggregation: MetricAggregation | null;
  /** Number of points the value was computed from. */
  @ApiProperty({ type: 'integer', nullable: true })
  computedCount: number | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class MetricBaselinePageDto {
  @ApiProperty({ type: [MetricBaselineDto] })
  items: MetricBaselineDto[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}

export class MetricDegradationQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  modelId: string;

  /** How far back the current mean reaches (default `1d`). */
  @ApiPropertyOptional({ enum: DEGRADATION_WINDOWS, enumName: 'DegradationWindow', default: '1d' })
  @IsOptional()
  @IsIn(DEGRADATION_WINDOWS)
  window: DegradationWindow = '1d';
}

export class DegradationItemDto {
  metricName: string;
  environment: string;
  baseline: number;
  /** Mean of the points recorded in the window; null when there are none. */
  @ApiProperty({ type: 'number', nullable: true })
  current: number | null;
  /** Number of points in the window. */
  @ApiProperty({ type: 'integer' })
  count: number;
  /** (current − baseline) / |baseline|; null without points or with a zero baseline. */
  @ApiProperty({ type: 'number', nullable: true })
  relativeChange: number | null;
  /** The change goes the bad way by more than `tolerance`. */
  degraded: boolean;
  @ApiProperty({ enum: BaselineDirection, enumName: 'BaselineDirection' })
  direction: BaselineDirection;
  tolerance: number;
}

export class MetricDegradationDto {
  /** Start of the window, inclusive. */
  @ApiProperty({ format: 'date-time' })
  from: string;
  /** End of the window (now), exclusive. */
  @ApiProperty({ format: 'date-time' })
  to: string;
  /** One per baseline of the model. */
  @ApiProperty({ type: [DegradationItemDto] })
  items: DegradationItemDto[];
}

export function mapBaseline(baseline: MetricBaselineEntity): MetricBaselineDto {
  return {
    modelId: baseline.modelId,
    metricName: baseline.metricName,
    environment: baseline.environment,
    value: baseline.value,
    direction: baseline.direction,
    tolerance: baseline.tolerance,
    computedFrom: baseline.computedFrom?.toISOString() ?? null,
    computedTo: baseline.computedTo?.toISOString() ?? null,
    computedAggregation: (baseline.computedAggregation as MetricAggregation | null) ?? null,
    computedCount: baseline.computedCount,
    createdAt: baseline.createdAt.toISOString(),
    updatedAt: baseline.updatedAt.toISOString(),
  };
}
