import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsNumber, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsOptional, NestedDto } from 'src/common/validation/validators';

const FINITE = { allowNaN: false, allowInfinity: false } as const;

export const MAX_OBSERVATIONS_PER_BATCH = 10_000;

export class AssignAbTestVariantDto {
  /** The unit (user, session, request key) to assign; 1–256 characters. */
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  unitId: string;
}

export class AbTestAssignmentDto {
  /**
   * The variant the unit belongs to; the same unit always gets the same variant while the weights and coverage stay.
   * A unit outside the coverage (inTest false) gets the control, as GrowthBook serves variation 0.
   */
  variant: string;
  /** False when the coverage leaves the unit out of the test (GrowthBook's inExperiment). */
  inTest: boolean;
  @ApiProperty({ type: 'string', nullable: true })
  modelVersion: string | null;
  /**
   * GrowthBook hash version 2 of hashSeed + unitId, in [0, 1): fnv1a32(String(fnv1a32(hashSeed + unitId))) % 10000
   * / 10000. Variant i owns [cᵢ, cᵢ + coverage·wᵢ) (GrowthBook getBucketRanges), wᵢ the stored normalised weights in
   * order and cᵢ their running sum.
   */
  @ApiProperty({ minimum: 0, maximum: 1, exclusiveMaximum: true })
  hash: number;
}

export class AbTestObservationDto {
  /** Variant name. */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  variant: string;

  /** The metric's value for one unit: 0 or 1 for a binary metric, any finite number for a continuous one. */
  @IsNumber(FINITE)
  value: number;

  /** Ratio metrics only (required there): the unit's denominator, e.g. its sessions; value is the numerator. */
  @IsOptional()
  @IsNumber(FINITE)
  denominator?: number;

  /** Metrics with a covariate (CUPED) only, required there: the unit's pre-experiment value of the metric (or a proxy). */
  @IsOptional()
  @IsNumber(FINITE)
  covariate?: number;
}

export class AbTestAggregateDto {
  /** Variant name. */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  variant: string;

  /** Number of observations summarised (≥ 1; a single value must have sumSquares = sum²). */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1e12 })
  @IsInt()
  @Min(1)
  @Max(1e12)
  count: number;

  /** Σx (binary: the number of successes, an integer in [0, count]). */
  @IsNumber(FINITE)
  sum: number;

  /** Σx²: required for continuous metrics; optional for binary ones, where it must equal sum. */
  @IsOptional()
  @IsNumber(FINITE)
  sumSquares?: number;

  /** Ratio metrics only (required there): Σd of the units' denominators. */
  @IsOptional()
  @IsNumber(FINITE)
  denominatorSum?: number;

  /** Ratio metrics only (required there): Σd². */
  @IsOptional()
  @IsNumber(FINITE)
  denominatorSumSquares?: number;

  /** Ratio metrics only (required there): Σm·d, numerator times denominator per unit. */
  @IsOptional()
  @IsNumber(FINITE)
  sumProducts?: number;

  /** Metrics with a covariate (CUPED) only, required there: Σx of the units' covariates. */
  @IsOptional()
  @IsNumber(FINITE)
  covariateSum?: number;

  /** Metrics with a covariate (CUPED) only, required there: Σx². */
  @IsOptional()
  @IsNumber(FINITE)
  covariateSumSquares?: number;

  /** Metrics with a covariate (CUPED) only, required there: Σx·y, covariate times value per unit. */
  @IsOptional()
  @IsNumber(FINITE)
  covariateSumProducts?: number;
}

export class RecordAbTestObservationsDto {
  /** Raw values, at most 10,000 per request. */
  @ApiPropertyOptional({ type: [AbTestObservationDto], maxItems: MAX_OBSERVATIONS_PER_BATCH })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_OBSERVATIONS_PER_BATCH)
  @NestedDto(() => AbTestObservationDto, { each: true })
  observations?: AbTestObservationDto[];

  /** Pre-aggregated sufficient statistics (count, Σx, Σx²) per variant, e.g. from a warehouse job. */
  @ApiPropertyOptional({ type: [AbTestAggregateDto], maxItems: 1000 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @NestedDto(() => AbTestAggregateDto, { each: true })
  aggregates?: AbTestAggregateDto[];

  /** Multi-metric tests (required there): the metric the batch is about. A single-metric test takes its primaryMetric or nothing. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  metric?: string;

  /** Idempotency key: a batch whose batchId this test already recorded is ignored (safe retries). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  batchId?: string;
}

export class AbTestObservationsRecordedDto {
  @ApiProperty({ format: 'uuid' })
  testId: string;
  @ApiProperty({ type: 'string', nullable: true })
  batchId: string | null;
  /** True when this batchId had already been recorded, so nothing was added. */
  duplicate: boolean;
  /** Observations added by this request (raw values plus aggregate counts); 0 for a duplicate. */
  @ApiProperty({ type: 'integer' })
  recordedCount: number;
}
