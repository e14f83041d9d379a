import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsPositive,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidationOptions,
  registerDecorator,
} from 'class-validator';
import {
  AB_TEST_ANALYSES,
  AB_TEST_ENGINES,
  AB_TEST_METRIC_TYPES,
  AB_TEST_MODES,
  AB_TEST_STATUSES,
  type AbTestMode,
  type AbTestStatus,
} from 'src/ab-tests/ab-test.entity';
import { DEFAULT_RAMP_STEPS, ROLLOUT_DEFAULTS } from 'src/ab-tests/rollout.policy';
import type { AbTestRecord } from 'src/ab-tests/ab-tests.repository';
import type { AbTestEffectAnalysis, AbTestEngine, AbTestMetricType } from 'src/ab-tests/ab-test.stats';
import {
  CORRECTION_SCOPES,
  type CorrectionScope,
  METRIC_DIRECTIONS,
  METRIC_ROLES,
  METRIC_TYPES,
  type MetricDirection,
  type MetricRole,
  type MetricType,
} from 'src/ab-tests/multi-metric.stats';
import { PaginationQueryDto } from 'src/common/pagination/pagination.dto';
import { IsMeasuredValue, IsPositiveNumber, MAX_ABS_VALUE } from 'src/common/validation/numbers';
import { IsOptional, NestedDto } from 'src/common/validation/validators';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const MIN_WEIGHT = 0.000001;
const MAX_WEIGHT = 1_000_000;

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

/** A coverage in (0, 1] (GrowthBook clamps; here a value outside is refused). */
function IsCoverage(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isCoverage',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: { message: `${String(propertyKey)} must be in (0, 1]`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'number' && value > 0 && value <= 1 },
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

  /** Traffic weight, 0.000001–1,000,000; weights are normalised by their sum (so no arm's share rounds to 0). */
  @IsNumber(FINITE)
  @Min(MIN_WEIGHT)
  @Max(MAX_WEIGHT)
  weight: number;
}

export class AbTestPriorDto {
  /** Prior mean of the effect, on the relative scale (0.1 = +10 %); rescaled by |μ_c| for an absolute analysis. */
  @IsNumber(FINITE)
  mean: number;

  /** Prior variance of the effect (relative scale), > 0. */
  @ApiProperty({ type: 'number', minimum: 0, exclusiveMinimum: true })
  @IsNumber(FINITE)
  @IsPositive()
  variance: number;
}

export class AbTestMetricSpecDto {
  /** Unique within the test; 1–200 characters. Observations name it in `metric`. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** Exactly one `primary` (decides), any `secondary` (reported), any `guardrail` (a failure forbids shipping). */
  @ApiProperty({ enum: METRIC_ROLES, enumName: 'AbTestMetricRole' })
  @IsIn(METRIC_ROLES)
  role: MetricRole;

  /**
   * `continuous` (per-unit values; variance Σ(x − x̄)²/(n − 1)), `binomial` (0/1; variance p(1 − p)) or `ratio`
   * (numerator and denominator per unit, e.g. revenue per session; delta method as gbstats' RatioStatistic).
   */
  @ApiProperty({ enum: METRIC_TYPES, enumName: 'AbTestMetricKind' })
  @IsIn(METRIC_TYPES)
  type: MetricType;

  @ApiPropertyOptional({ enum: METRIC_DIRECTIONS, enumName: 'AbTestMetricDirection', default: 'higher_is_better' })
  @IsOptional()
  @IsIn(METRIC_DIRECTIONS)
  direction?: MetricDirection;

  /** Guardrails (required there, refused elsewhere): the tolerated relative harm, e.g. 0.02 for 2 %. */
  @ApiPropertyOptional({ type: 'number', minimum: 0, exclusiveMinimum: true })
  @IsOptional()
  @IsNumber(FINITE)
  @IsPositive()
  tolerance?: number;

  /**
   * CUPED (continuous and binomial metrics): every unit carries a pre-experiment covariate (observations `covariate`,
   * aggregates `covariateSum`, `covariateSumSquares`, `covariateSumProducts`) and the effects are regression-adjusted
   * as gbstats' RegressionAdjustedStatistic. A binomial metric's covariate is 0/1 too.
   */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  covariate?: boolean;
}

export class RolloutSettingsDto {
  /**
   * The ramp: coverages in (0, 1], strictly increasing, ending at 1 (default 0.01 → 0.05 → 0.1 → 0.25 → 0.5 → 1).
   * `assign` serves the current step's coverage; a unit outside it gets the champion with `inTest: false`.
   */
  @ApiPropertyOptional({ type: [Number], minItems: 1, maxItems: 20, default: DEFAULT_RAMP_STEPS })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsNumber(FINITE, { each: true })
  steps?: number[];

  /** A step lasts at least this long before the ramp advances (seconds, 0–31,536,000). */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 31_536_000, default: ROLLOUT_DEFAULTS.minStepDurationSeconds })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(31_536_000)
  minStepDurationSeconds?: number;

  /** … and until each variant has this many units recorded during the step (0–1,000,000,000). */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000_000, default: ROLLOUT_DEFAULTS.minSamplesPerStep })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  minSamplesPerStep?: number;

  /** A step with no unit at all this long after it began rolls the rollout back (seconds, 1–31,536,000). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 31_536_000, default: ROLLOUT_DEFAULTS.noTrafficAfterSeconds })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(31_536_000)
  noTrafficAfterSeconds?: number;
}

export class StartAbTestDto {
  /**
   * `experiment` (default): a champion/challenger test. `rollout`: a safe rollout of the second variant (the
   * challenger) over the first (the champion) along `rollout.steps`, with every guardrail checked by the sequential
   * test, SRM and "no traffic" at each step; it ends `promoted` or `rolled_back` (GET /ab-test/{id}/rollout).
   */
  @ApiPropertyOptional({ enum: AB_TEST_MODES, enumName: 'AbTestMode', default: 'experiment' })
  @IsOptional()
  @IsIn(AB_TEST_MODES)
  mode?: AbTestMode;

  /** Mode `rollout` only: the ramp and its step rules (defaults apply to what is omitted). */
  @IsOptional()
  @NestedDto(() => RolloutSettingsDto)
  rollout?: RolloutSettingsDto;

  /** 1–200 characters. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  modelId: string;

  /** The metric the decision is made on, e.g. `conversion` or `latency_ms`; required unless `metrics` is given. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  primaryMetric?: string;

  /** `binary`: observations are 0/1 (a rate); `continuous`: any finite number. Required unless `metrics` is given. */
  @ApiPropertyOptional({ enum: AB_TEST_METRIC_TYPES, enumName: 'AbTestMetricType' })
  @IsOptional()
  @IsIn(AB_TEST_METRIC_TYPES)
  metricType?: AbTestMetricType;

  /**
   * Several metrics (1–50) instead of primaryMetric/metricType: exactly one primary. Observations then name their
   * metric. The test's settings (alpha, engine, analysis, sequential) apply to every metric.
   */
  @ApiPropertyOptional({ type: [AbTestMetricSpecDto], minItems: 1, maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @NestedDto(() => AbTestMetricSpecDto, { each: true })
  metrics?: AbTestMetricSpecDto[];

  /**
   * Multi-metric tests: Holm's correction over the treatments of each metric (`variants`, default) or over every
   * treatment × non-guardrail metric together (`variants_and_metrics`).
   */
  @ApiPropertyOptional({ enum: CORRECTION_SCOPES, enumName: 'AbTestCorrectionScope', default: 'variants' })
  @IsOptional()
  @IsIn(CORRECTION_SCOPES)
  correctionScope?: CorrectionScope;

  /** 2–10 variants with unique names; the first is the control. */
  @ApiProperty({ type: [AbTestVariantSpecDto], minItems: 2, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @NestedDto(() => AbTestVariantSpecDto, { each: true })
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
  @IsMeasuredValue()
  baselineMean?: number;

  /** Continuous metrics: the expected standard deviation (positive); give it with baselineMean. */
  @ApiPropertyOptional({ type: 'number', minimum: 0, exclusiveMinimum: true })
  @IsOptional()
  @IsPositiveNumber({ max: MAX_ABS_VALUE, required: false })
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

  /**
   * GrowthBook coverage, in (0, 1]: the share of units that enter the test (each variant keeps its weight within it).
   * `assign` reports the others with `inTest: false`; do not record observations for them.
   */
  @ApiPropertyOptional({ default: 1, minimum: 0, exclusiveMinimum: true, maximum: 1 })
  @IsOptional()
  @IsNumber(FINITE)
  @IsCoverage()
  coverage?: number;

  /**
   * The effect the p-value, CI, Holm adjustment, significance and recommendation are computed on (gbstats'
   * difference_type): `relative` (Δ/|μ_c|, delta method) or `absolute` (Δ).
   */
  @ApiPropertyOptional({ enum: AB_TEST_ANALYSES, enumName: 'AbTestAnalysis', default: 'relative' })
  @IsOptional()
  @IsIn(AB_TEST_ANALYSES)
  analysis?: AbTestEffectAnalysis;

  /** `frequentist` (Welch t-test, optionally sequential) or `bayesian` (gbstats' Gaussian effect model). */
  @ApiPropertyOptional({ enum: AB_TEST_ENGINES, enumName: 'AbTestEngine', default: 'frequentist' })
  @IsOptional()
  @IsIn(AB_TEST_ENGINES)
  engine?: AbTestEngine;

  /** Bayesian engine: a proper Gaussian prior on the effect; omitted: gbstats' default improper (flat) prior. */
  @IsOptional()
  @NestedDto(() => AbTestPriorDto)
  prior?: AbTestPriorDto;

  /** Sequential tests: gbstats' tuning parameter N*, the sample size at which the confidence sequence is tightest. */
  @ApiPropertyOptional({ default: 5000, minimum: 0, exclusiveMinimum: true })
  @IsOptional()
  @IsNumber(FINITE)
  @IsPositive()
  sequentialTuningParameter?: number;

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

export class AbTestMetricDto {
  name: string;
  @ApiProperty({ enum: METRIC_ROLES, enumName: 'AbTestMetricRole' })
  role: MetricRole;
  @ApiProperty({ enum: METRIC_TYPES, enumName: 'AbTestMetricKind' })
  type: MetricType;
  @ApiProperty({ enum: METRIC_DIRECTIONS, enumName: 'AbTestMetricDirection' })
  direction: MetricDirection;
  @ApiProperty({ type: 'number', nullable: true })
  tolerance: number | null;
  /** CUPED: the metric is regression-adjusted with a pre-experiment covariate. */
  covariate: boolean;
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
  /** Share of units in the test, in (0, 1]. */
  coverage: number;
  @ApiProperty({ enum: AB_TEST_ANALYSES, enumName: 'AbTestAnalysis' })
  analysis: AbTestEffectAnalysis;
  @ApiProperty({ enum: AB_TEST_ENGINES, enumName: 'AbTestEngine' })
  engine: AbTestEngine;
  sequentialTuningParameter: number;
  /** The proper prior of the Bayesian engine; null: the improper flat prior. */
  @ApiProperty({ type: AbTestPriorDto, nullable: true })
  prior: AbTestPriorDto | null;
  /** Multi-metric tests: the metrics in order (empty for a single-metric test). */
  @ApiProperty({ type: [AbTestMetricDto] })
  metrics: AbTestMetricDto[];
  @ApiProperty({ enum: CORRECTION_SCOPES, enumName: 'AbTestCorrectionScope' })
  correctionScope: CorrectionScope;
  @ApiProperty({ enum: AB_TEST_MODES, enumName: 'AbTestMode' })
  mode: AbTestMode;
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
    coverage: test.coverage,
    analysis: test.analysis,
    engine: test.engine,
    sequentialTuningParameter: test.sequentialTuningParameter,
    prior: test.priorMean !== null && test.priorVariance !== null ? { mean: test.priorMean, variance: test.priorVariance } : null,
    metrics: test.metrics.map(({ name, role, type, direction, tolerance, covariate }) => ({
      name,
      role,
      type,
      direction,
      tolerance,
      covariate,
    })),
    correctionScope: test.correctionScope ?? 'variants',
    mode: test.mode,
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
