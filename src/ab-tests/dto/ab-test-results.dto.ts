import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AB_TEST_METRIC_TYPES, AB_TEST_STATUSES, type AbTestStatus } from 'src/ab-tests/ab-test.entity';
import type { AbTestRecord } from 'src/ab-tests/ab-tests.repository';
import type { AbTestAnalysis, AbTestMetricType, AbTestRecommendation } from 'src/ab-tests/ab-test.stats';

/** Keyed by the engine's union type, so the documented enum cannot miss a value. */
const RECOMMENDATIONS: Record<AbTestRecommendation, true> = {
  insufficient_data: true,
  srm_detected: true,
  ship_variant: true,
  keep_control: true,
  no_difference: true,
  continue: true,
};
export const AB_TEST_RECOMMENDATIONS = Object.keys(RECOMMENDATIONS) as AbTestRecommendation[];

export class AbTestVariantResultDto {
  name: string;
  @ApiProperty({ type: 'string', nullable: true })
  modelVersion: string | null;
  /** Normalised traffic share the variant was planned to get. */
  weight: number;
  @ApiProperty({ type: 'integer' })
  count: number;
  /** Σx/n (binary: the rate); null without observations. */
  @ApiProperty({ type: 'number', nullable: true })
  mean: number | null;
  /** Sample standard deviation √((Σx² − (Σx)²/n)/(n − 1)); null when n < 2. */
  @ApiProperty({ type: 'number', nullable: true })
  stdDev: number | null;
  /** count / total count; null without observations. */
  @ApiProperty({ type: 'number', nullable: true })
  observedShare: number | null;
}

/**
 * One treatment against the control: Welch's unequal-variance t-test (equal to
 * `scipy.stats.ttest_ind(treatment, control, equal_var=False)` on the raw values) and the delta-method relative lift.
 * Numbers that are undefined (too few observations, zero variance, control mean 0) are null.
 */
export class AbTestComparisonDto {
  /** The treatment's name. */
  variant: string;
  /** Δ = μ_t − μ_c. */
  @ApiProperty({ type: 'number', nullable: true })
  absoluteEffect: number | null;
  /** Δ − t_{1−α/2; df}·SE, SE = √(s_t²/n_t + s_c²/n_c). */
  @ApiProperty({ type: 'number', nullable: true })
  absoluteCiLow: number | null;
  /** Δ + t_{1−α/2; df}·SE. */
  @ApiProperty({ type: 'number', nullable: true })
  absoluteCiHigh: number | null;
  /** Δ_r = Δ/|μ_c|; null when μ_c = 0. */
  @ApiProperty({ type: 'number', nullable: true })
  relativeEffect: number | null;
  /** Δ_r − t_{1−α/2; df}·√Var_r, Var_r = s_t²/(μ_c²·n_t) + s_c²·μ_t²/(μ_c⁴·n_c) (delta method, Welch df). */
  @ApiProperty({ type: 'number', nullable: true })
  relativeCiLow: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  relativeCiHigh: number | null;
  /** Two-sided Welch p-value 2·(1 − F_t(|Δ/SE|; df)). */
  @ApiProperty({ type: 'number', nullable: true })
  pValue: number | null;
  /** Holm–Bonferroni adjusted across the test's comparisons (equals pValue with one treatment). */
  @ApiProperty({ type: 'number', nullable: true })
  adjustedPValue: number | null;
  /** Welch–Satterthwaite degrees of freedom. */
  @ApiProperty({ type: 'number', nullable: true })
  degreesOfFreedom: number | null;
  /**
   * adjustedPValue < alpha: the fixed-horizon answer, also when the test is sequential (the recommendation of a
   * sequential test is decided by the sequential p-values instead; see sequentialPValue).
   */
  significant: boolean;
  /** Φ(Δ_r/√Var_r): probability that the treatment beats the control under a flat prior. */
  @ApiProperty({ type: 'number', nullable: true })
  chanceToBeatControl: number | null;
  /**
   * Sequential tests only: always-valid p-value of the relative lift (GrowthBook gbstats asymptotic confidence
   * sequences, Waudby-Smith et al., tuning N* = 5000), never smaller than the fixed-horizon relative p-value. The
   * recommendation (ship_variant / keep_control) uses these values Holm-adjusted across the comparisons, not
   * `significant`.
   */
  @ApiPropertyOptional({ type: 'number', nullable: true })
  sequentialPValue?: number | null;
  /**
   * Sequential tests only: the confidence sequence for the relative lift, joined with the fixed-horizon relative
   * interval so it is never narrower than it.
   */
  @ApiPropertyOptional({ type: 'number', nullable: true })
  sequentialRelativeCiLow?: number | null;
  @ApiPropertyOptional({ type: 'number', nullable: true })
  sequentialRelativeCiHigh?: number | null;
}

/** Sample-ratio mismatch: Pearson χ² goodness of fit of the counts against total·wᵢ, df = k − 1. */
export class AbTestSrmDto {
  @ApiProperty({ type: 'number', nullable: true })
  pValue: number | null;
  /** pValue < 0.001 and every variant has at least 8 observations. */
  detected: boolean;
}

export class AbTestSampleSizeDto {
  /**
   * ⌈(z_{1−α′/2} + z_{power})²·(σ_c² + σ_t²)/(MDE·μ_c)²⌉ with α′ = α/(k − 1), from baselineRate (binary) or
   * baselineMean and baselineStdDev (continuous); null without a baseline.
   */
  @ApiProperty({ type: 'integer', nullable: true })
  requiredPerVariant: number | null;
  /** min over variants of count/requiredPerVariant (≥ 1 when every variant has reached it). */
  @ApiProperty({ type: 'number', nullable: true })
  progress: number | null;
}

/**
 * The analysis of a test from its variants' sufficient statistics (never from raw events). The first variant is
 * the control; every other variant is compared with it. Once the test is stopped its counters are frozen, so the
 * results no longer change.
 */
export class AbTestResultsDto {
  @ApiProperty({ format: 'uuid' })
  testId: string;
  @ApiProperty({ enum: AB_TEST_STATUSES, enumName: 'AbTestStatus' })
  status: AbTestStatus;
  @ApiProperty({ enum: AB_TEST_METRIC_TYPES, enumName: 'AbTestMetricType' })
  metricType: AbTestMetricType;
  alpha: number;
  /** The control variant's name. */
  control: string;
  @ApiProperty({ type: [AbTestVariantResultDto] })
  variants: AbTestVariantResultDto[];
  /** One per treatment, in variant order. */
  @ApiProperty({ type: [AbTestComparisonDto] })
  comparisons: AbTestComparisonDto[];
  srm: AbTestSrmDto;
  sampleSize: AbTestSampleSizeDto;
  /**
   * In priority order: `insufficient_data` (a variant below minSamplesPerVariant), `srm_detected`, `ship_variant`
   * (a significant positive lift; with sequential on, by the Holm-adjusted sequential p-values), `keep_control`
   * (every significant comparison is negative), `no_difference` (all variants reached requiredPerVariant, none
   * significant), else `continue`.
   */
  @ApiProperty({ enum: AB_TEST_RECOMMENDATIONS, enumName: 'AbTestRecommendation' })
  recommendation: AbTestRecommendation;
  /** With `ship_variant` only: the significant variant with the largest positive relative effect. */
  @ApiPropertyOptional()
  winner?: string;
}

export function mapAbTestResults(test: AbTestRecord, analysis: AbTestAnalysis): AbTestResultsDto {
  return { testId: test.id, status: test.status, metricType: test.metricType, alpha: test.alpha, ...analysis };
}
