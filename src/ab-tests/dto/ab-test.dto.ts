import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
  ValidationOptions,
  registerDecorator,
} from 'class-validator';
import { AB_TEST_METRIC_TYPES, AB_TEST_STATUSES, type AbTestStatus } from 'src/ab-tests/ab-test.entity';
import type { AbTestRecord } from 'src/ab-tests/ab-tests.repository';
import type { AbTestMetricType } from 'src/ab-tests/ab-test.stats';
import { PaginationQueryDto } from 'src/common/pagination/pagination.dto';

const FINITE = { allowNaN: false, allowInfinity: false } as const;

/** A probability strictly between 0 and 1 (class-validator's Min/Max are inclusive). */
function IsOpenUnitInterval(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isOpenUnitInterval',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: { message: `${String(propertyKey)} must be strictly between 0 and 1`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'number' && value > 0 && value < 1 },
    });
}

export class AbTestVariantSpecDto {
  /** Unique within the test; 1–100 characters. The first variant is the control. */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /** The model version this arm serves. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  modelVersion?: string;

  /** Positive traffic weight; weights are normalised by their sum. */
  @IsNumber(FINITE)
  @IsPositive()
  weight: number;
}

export class StartAbTestDto {
  /** 1–200 characters. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  modelId: string;

  /** The metric the decision is made on, e.g. `conversion` or `latency_ms`. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  primaryMetric: string;

  /** `binary`: observations are 0/1 (a rate); `continuous`: any finite number. */
  @ApiProperty({ enum: AB_TEST_METRIC_TYPES, enumName: 'AbTestMetricType' })
  @IsIn(AB_TEST_METRIC_TYPES)
  metricType: AbTestMetricType;

  /** 2–10 variants with unique names; the first is the control. */
  @ApiProperty({ type: [AbTestVariantSpecDto], minItems: 2, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AbTestVariantSpecDto)
  variants: AbTestVariantSpecDto[];

  /** Significance level, in (0, 1). */
  @ApiPropertyOptional({ default: 0.05, minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true })
  @IsOptional()
  @IsNumber(FINITE)
  @IsOpenUnitInterval()
  alpha?: number;

  /** Power the sample size is planned for, in (0, 1). */
  @ApiPropertyOptional({ default: 0.8, minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true })
  @IsOptional()
  @IsNumber(FINITE)
  @IsOpenUnitInterval()
  power?: number;

  /** Relative minimum detectable effect for the sample size (0.05 = a 5 % lift); non-zero and greater than −1. */
  @ApiPropertyOptional({ default: 0.05 })
  @IsOptional()
  @IsNumber(FINITE)
  minimumDetectableEffect?: number;

  /** Binary metrics: the control's expected rate, in (0, 1); enables the sample-size plan. */
  @IsOptional()
  @IsNumber(FINITE)
  @IsOpenUnitInterval()
  baselineRate?: number;

  /** Continuous metrics: the control's expected mean (non-zero); give it with baselineStdDev. */
  @IsOptional()
  @IsNumber(FINITE)
  baselineMean?: number;

  /** Continuous metrics: the expected standard deviation (positive); give it with baselineMean. */
  @ApiPropertyOptional({ type: 'number', minimum: 0, exclusiveMinimum: true })
  @IsOptional()
  @IsNumber(FINITE)
  @IsPositive()
  baselineStdDev?: number;

  /** Seed of the assignment hash (default: the test id). Reuse a seed to give units the same buckets across tests. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  hashSeed?: string;

  /** Always-valid (sequential) inference, so results may be checked at any time without inflating false positives. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  sequential?: boolean;

  /** Below this many observations in any variant the recommendation is `insufficient_data`. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  minSamplesPerVariant?: number;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  /** What the test is expected to show. */
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  hypothesis?: string;
}

export class StopAbTestDto {
  /** The variant declared the winner; must name one of the test's variants. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  winner?: string;

  /** Free-text conclusion, kept with the test. */
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  conclusion?: string;
}

export class ListAbTestsQueryDto extends PaginationQueryDto {
  /** `running` tests are read from the view v_active_ab_tests. */
  @ApiPropertyOptional({ enum: AB_TEST_STATUSES, enumName: 'AbTestStatus' })
  @IsOptional()
  @IsIn(AB_TEST_STATUSES)
  status?: AbTestStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  modelId?: string;
}

export class AbTestVariantDto {
  name: string;
  @ApiProperty({ type: 'string', nullable: true })
  modelVersion: string | null;
  /** Normalised traffic share (the weights of a test sum to 1). */
  weight: number;
  /** Observations recorded so far. */
  @ApiProperty({ type: 'integer' })
  count: number;
}

export class AbTestDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  name: string;
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ type: 'string', nullable: true })
  description: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  hypothesis: string | null;
  primaryMetric: string;
  @ApiProperty({ enum: AB_TEST_METRIC_TYPES, enumName: 'AbTestMetricType' })
  metricType: AbTestMetricType;
  alpha: number;
  power: number;
  minimumDetectableEffect: number;
  @ApiProperty({ type: 'number', nullable: true })
  baselineRate: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  baselineMean: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  baselineStdDev: number | null;
  /** Seed of the GrowthBook-compatible (version 2) assignment hash. */
  hashSeed: string;
  sequential: boolean;
  @ApiProperty({ type: 'integer' })
  minSamplesPerVariant: number;
  @ApiProperty({ enum: AB_TEST_STATUSES, enumName: 'AbTestStatus' })
  status: AbTestStatus;
  /** The variant declared the winner when the test was stopped. */
  @ApiProperty({ type: 'string', nullable: true })
  winner: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  conclusion: string | null;
  @ApiProperty({ format: 'date-time' })
  startedAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  endedAt: string | null;
  /** In position order; the first is the control. */
  @ApiProperty({ type: [AbTestVariantDto] })
  variants: AbTestVariantDto[];
}

export class AbTestPageDto {
  @ApiProperty({ type: [AbTestDto] })
  items: AbTestDto[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}

export function mapAbTest(test: AbTestRecord): AbTestDto {
  return {
    id: test.id,
    name: test.name,
    modelId: test.modelId,
    description: test.description,
    hypothesis: test.hypothesis,
    primaryMetric: test.primaryMetric,
    metricType: test.metricType,
    alpha: test.alpha,
    power: test.power,
    minimumDetectableEffect: test.minimumDetectableEffect,
    baselineRate: test.baselineRate,
    baselineMean: test.baselineMean,
    baselineStdDev: test.baselineStdDev,
    hashSeed: test.hashSeed,
    sequential: test.sequential,
    minSamplesPerVariant: test.minSamplesPerVariant,
    status: test.status,
    winner: test.winner,
    conclusion: test.conclusion,
    startedAt: test.startedAt.toISOString(),
    endedAt: test.endedAt?.toISOString() ?? null,
    variants: test.variants.map((variant) => ({
      name: variant.name,
      modelVersion: variant.modelVersion,
      weight: variant.weight,
      count: variant.count,
    })),
  };
}
