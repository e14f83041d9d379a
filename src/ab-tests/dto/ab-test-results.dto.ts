import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AB_TEST_ANALYSES, AB_TEST_ENGINES, AB_TEST_METRIC_TYPES, AB_TEST_STATUSES, type AbTestStatus } from 'src/ab-tests/ab-test.entity';
import type { AbTestRecord } from 'src/ab-tests/ab-tests.repository';
import { AbTestMetricDto } from 'src/ab-tests/dto/ab-test.dto';
import { CORRECTION_SCOPES, type CorrectionScope, type MultiMetricAnalysis } from 'src/ab-tests/multi-metric.stats';
import type {
  AbTestAnalysis,
  AbTestEffectAnalysis,
  AbTestEngine,
  AbTestMetricType,
  AbTestRecommendation,
} from 'src/ab-tests/ab-test.stats';

/** Keyed by the engine's union type, so the documented enum cannot miss a value. */
const RECOMMENDATIONS: Record<AbTestRecommendation, true> = {
  insufficient_data: true,
  srm_detected: true,
  ship_variant: true,
  guardrail_failed: true,
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
  /**
   * The standard deviation the tests use: continuous √(Σ(x − x̄)²/(n − 1)) (gbstats SampleMeanStatistic, Bessel);
   * binary √(p(1 − p)) with p = Σx/n (gbstats ProportionStatistic, no n/(n − 1)); null when n < 2.
   */
  @ApiProperty({ type: 'number', nullable: true })
  stdDev: number | null;
  /** count / total count; null without observations. */
  @ApiProperty({ type: 'number', nullable: true })
  observedShare: number | null;
}

/**
 * Bayesian engine (gbstats EffectBayesianABTest): the Gaussian posterior of the effect of the test's analysis
 * (relative or absolute), from the likelihood N(estimate, SE²) and the prior (improper flat by default).
 */
export class AbTestBayesianResultDto {
  /** Posterior mean of the effect. */
  expected: number;
  /** Posterior standard deviation. */
  stdDev: number;
  /** P(effect > 0 | data) = Φ(expected/stdDev). */
  chanceToWin: number;
  /** expected − z_{1−α/2}·stdDev: the equal-tailed (1 − α) credible interval. */
  ciLow: number;
  ciHigh: number;
  /** Expected loss of keeping the control, E[max(effect, 0)] = μΦ(μ/σ) + σφ(μ/σ). */
  riskControl: number;
  /** Expected loss of shipping the treatment, E[max(−effect, 0)] = σφ(μ/σ) − μΦ(−μ/σ). */
  riskTreatment: number;
}

/** CUPED (gbstats RegressionAdjustedStatistic) for one treatment: the effects of the comparison are the adjusted ones. */
export class AbTestCupedDto {
  /** θ = cov(x, y)/var(x) of the control's and this treatment's units pooled (0: no adjustment was possible). */
  theta: number;
  /** ȳ − θ·x̄ of the control. */
  @ApiProperty({ type: 'number', nullable: true })
  adjustedControlMean: number | null;
  /** ȳ − θ·x̄ of the treatment. */
  @ApiProperty({ type: 'number', nullable: true })
  adjustedTreatmentMean: number | null;
  /** 1 − Var_CUPED/Var_unadjusted of the analysis' estimate: the share of its variance the covariate removed. */
  @ApiProperty({ type: 'number', nullable: true })
  varianceReduction: number | null;
}

/**
 * One treatment against the control, as gbstats' TwoSidedTTest: Welch's unequal-variance t-test (df
 * Welch–Satterthwaite) of the effect the test's `analysis` names — relative Δ/|μ_c| with the delta-method variance,
 * or absolute Δ. pValue, ciLow/ciHigh, adjustedPValue and significant all come from that one analysis. The absolute
 * and relative effects and intervals are both reported. Numbers that are undefined (too few observations, zero
 * variance, control mean 0) are null.
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
  /** Two-sided p-value of the analysis' estimate: 2·(1 − F_t(|est/SE|; df)). */
  @ApiProperty({ type: 'number', nullable: true })
  pValue: number | null;
  /** Holm–Bonferroni adjusted across the test's comparisons (equals pValue with one treatment). */
  @ApiProperty({ type: 'number', nullable: true })
  adjustedPValue: number | null;
  /** The (1 − α) CI of the analysis' estimate, est ± t_{1−α/2; df}·SE: relativeCi* or absoluteCi*. */
  @ApiProperty({ type: 'number', nullable: true })
  ciLow: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  ciHigh: number | null;
  /** SE of the analysis' estimate (gbstats' uplift stddev). */
  @ApiProperty({ type: 'number', nullable: true })
  standardError: number | null;
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
   * Sequential tests only: always-valid p-value of the analysis' estimate (GrowthBook gbstats asymptotic confidence
   * sequences, Waudby-Smith et al., tuning N* = sequentialTuningParameter), never smaller than the fixed-horizon one. The
   * recommendation (ship_variant / keep_control) uses these values Holm-adjusted across the comparisons, not
   * `significant`.
   */
  @ApiPropertyOptional({ type: 'number', nullable: true })
  sequentialPValue?: number | null;
  /** Sequential tests only: the confidence sequence of the analysis' estimate, joined with its fixed-horizon CI. */
  @ApiPropertyOptional({ type: 'number', nullable: true })
  sequentialCiLow?: number | null;
  @ApiPropertyOptional({ type: 'number', nullable: true })
  sequentialCiHigh?: number | null;
  /**
   * Sequential tests only: the confidence sequence for the relative lift, joined with the fixed-horizon relative
   * interval so it is never narrower than it.
   */
  @ApiPropertyOptional({ type: 'number', nullable: true })
  sequentialRelativeCiLow?: number | null;
  @ApiPropertyOptional({ type: 'number', nullable: true })
  sequentialRelativeCiHigh?: number | null;
  /** Bayesian engine only (null when the posterior is undefined). */
  @ApiPropertyOptional({ type: AbTestBayesianResultDto, nullable: true })
  bayesian?: AbTestBayesianResultDto | null;
  /**
   * Metrics with a covariate only (CUPED): absolute Δ of the adjusted means with var_t/n_t + var_c/n_c (adjusted
   * variances var(y) + θ²var(x) − 2θcov(x, y)); relative Δ/|ȳ_c| with gbstats' frequentist_variance_relative_cuped.
   */
  @ApiPropertyOptional({ type: AbTestCupedDto })
  cuped?: AbTestCupedDto;
}

/** Sample-ratio mismatch: Pearson χ² goodness of fit of the counts against total·wᵢ, df = k − 1. */
export class AbTestSrmDto {
  @ApiProperty({ type: 'number', nullable: true })
  pValue: number | null;
  /** GrowthBook's rule: pValue < 0.001 once the total count reaches 8 per variant (8·k). */
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

/** A guardrail's check for one treatment (multi-metric tests). */
export class AbTestGuardrailDto {
  /** The treatment's name. */
  variant: string;
  /** The relative (1 − α) CI the check reads. */
  @ApiProperty({ type: 'number', nullable: true })
  ciLow: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  ciHigh: number | null;
  /** Harm beyond the tolerance: higher_is_better ciHigh < −tolerance, lower_is_better ciLow > tolerance. */
  failed: boolean;
}

/** One metric of a multi-metric test: its variants and its comparisons, analysed with the test's settings. */
export class AbTestMetricResultDto extends AbTestMetricDto {
  /** Ratio metrics: mean is Σm/Σd and stdDev the delta-method per-unit standard deviation. */
  @ApiProperty({ type: [AbTestVariantResultDto] })
  variants: AbTestVariantResultDto[];
  /** Holm-adjusted as correctionScope says (guardrails: per metric). */
  @ApiProperty({ type: [AbTestComparisonDto] })
  comparisons: AbTestComparisonDto[];
  srm: AbTestSrmDto;
  /** Guardrails only, one per treatment. */
  @ApiPropertyOptional({ type: [AbTestGuardrailDto] })
  guardrails?: AbTestGuardrailDto[];
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
  /** The effect pValue, CIs, significance and the recommendation are computed on. */
  @ApiProperty({ enum: AB_TEST_ANALYSES, enumName: 'AbTestAnalysis' })
  analysis: AbTestEffectAnalysis;
  @ApiProperty({ enum: AB_TEST_ENGINES, enumName: 'AbTestEngine' })
  engine: AbTestEngine;
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
   * (a significant positive lift; with sequential on, by the Holm-adjusted sequential p-values; Bayesian engine: a
   * chance to win ≥ 1 − α), `guardrail_failed` (every such treatment fails a guardrail), `keep_control`
   * (every significant comparison is negative), `no_difference` (all variants reached requiredPerVariant, none
   * significant), else `continue`.
   */
  @ApiProperty({ enum: AB_TEST_RECOMMENDATIONS, enumName: 'AbTestRecommendation' })
  recommendation: AbTestRecommendation;
  /** With `ship_variant` only: the significant variant with the largest positive relative effect. */
  @ApiPropertyOptional()
  winner?: string;
  /** Multi-metric tests only. */
  @ApiPropertyOptional({ enum: CORRECTION_SCOPES, enumName: 'AbTestCorrectionScope' })
  correctionScope?: CorrectionScope;
  /**
   * Multi-metric tests only: every metric in order. The top-level fields are the primary metric's; its
   * recommendation never ships a treatment with a failing guardrail (`guardrail_failed` when that leaves none).
   */
  @ApiPropertyOptional({ type: [AbTestMetricResultDto] })
  metrics?: AbTestMetricResultDto[];
}

export function mapMultiMetricResults(test: AbTestRecord, result: MultiMetricAnalysis): AbTestResultsDto {
  return {
    ...mapAbTestResults(test, result.primary),
    correctionScope: result.correctionScope,
    metrics: result.metrics.map((metric) => ({
      name: metric.name,
      role: metric.role,
      type: metric.type,
      direction: metric.direction,
      tolerance: metric.tolerance,
      covariate: metric.covariate,
      variants: metric.analysis.variants,
      comparisons: metric.analysis.comparisons,
      srm: metric.analysis.srm,
      ...(metric.guardrails
        ? { guardrails: metric.guardrails.map((check, index) => ({ variant: metric.analysis.comparisons[index].variant, ...check })) }
        : {}),
    })),
  };
}

export function mapAbTestResults(test: AbTestRecord, analysis: AbTestAnalysis): AbTestResultsDto {
  return { testId: test.id, status: test.status, metricType: test.metricType, alpha: test.alpha, ...analysis };
}
