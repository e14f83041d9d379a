/**
 * The A/B test statistics engine: pure functions over per-variant sufficient statistics (count, Σx, Σx²), with
 * GrowthBook's gbstats as the reference. Frequentist: Welch's t-test of the relative (delta-method) or absolute effect,
 * p-value, CI and significance from that one analysis, Holm-adjusted across the treatments (frequentist.stats.ts),
 * optionally always-valid (sequential.stats.ts). Bayesian: gbstats' Gaussian effect model (bayesian.stats.ts). Every
 * number that is undefined is reported as null, never NaN or Infinity, so the result is always valid JSON. Pure
 * TypeScript: no framework or database imports.
 */
import { type BayesianEffectResult, type GaussianPrior, gaussianEffectPosterior, priorOnAbsoluteScale } from 'src/ab-tests/bayesian.stats';
import {
  type AbTestEffectAnalysis,
  type SampleSummary,
  chanceToBeatControl,
  effectEstimate,
  holmBonferroni,
  summarizeProportion,
  summarizeSample,
  twoSidedTTest,
  welchInterval,
  relativeEffect,
  absoluteEffect,
  relativeLiftVariance,
} from 'src/ab-tests/frequentist.stats';
import { sequentialTest } from 'src/ab-tests/sequential.stats';
import { type CovariateKind, type CovariateSums, cupedComparison, cupedEffect, varianceReduction } from 'src/ab-tests/cuped.stats';
import { validateAbTestAnalysisInput } from 'src/ab-tests/ab-test-validation.policy';
import { requiredSampleSizePerVariant, sampleRatioMismatch, sampleSizeProgress } from 'src/ab-tests/planning.stats';

// ───────────────────────────── Types (the API contract) ─────────────────────────────

export type AbTestMetricType = 'binary' | 'continuous';
export type AbTestEngine = 'frequentist' | 'bayesian';
export type { AbTestEffectAnalysis } from 'src/ab-tests/frequentist.stats';

export type AbTestRecommendation =
  'insufficient_data' | 'srm_detected' | 'ship_variant' | 'guardrail_failed' | 'keep_control' | 'no_difference' | 'continue';

export interface AbTestVariantInput {
  name: string;
  modelVersion: string | null;
  /** Traffic weight; any non-negative scale (normalised by the sum over variants). */
  weight: number;
  count: number;
  /** Σx (binary: number of successes). */
  sum: number;
  /** Σx² (binary: equals sum). */
  sumSquares: number;
  /**
   * Optional Σ(x − x̄)², when it was accumulated directly (two-pass per batch, merged with mergeCenteredSumSquares)
   * rather than derived as Σx² − (Σx)²/n. Then the variance keeps its precision when |x̄| ≫ s, where the
   * difference of sums cancels catastrophically. Σx² is still required (and checked) alongside it.
   */
  centeredSumSquares?: number;
}

export interface AbTestAnalysisInput {
  metricType: AbTestMetricType;
  alpha: number;
  power: number;
  /** Relative minimum detectable effect, e.g. 0.05 for +5 %. */
  minimumDetectableEffect: number;
  baselineRate: number | null;
  baselineMean: number | null;
  baselineStdDev: number | null;
  sequential: boolean;
  minSamplesPerVariant: number;
  /** The effect p-value, CI, significance and recommendation are taken from (gbstats' difference_type). */
  analysis: AbTestEffectAnalysis;
  engine: AbTestEngine;
  /** gbstats' sequential tuning parameter N* (default 5000). */
  sequentialTuningParameter: number;
  /** Proper Gaussian prior on the effect (relative scale) for the Bayesian engine; null: the improper flat prior. */
  prior: GaussianPrior | null;
  /** variants[0] is the control. */
  variants: AbTestVariantInput[];
}

export interface AbTestVariantSummary {
  name: string;
  modelVersion: string | null;
  weight: number;
  count: number;
  mean: number | null;
  stdDev: number | null;
  observedShare: number | null;
}

export interface AbTestComparison {
  variant: string;
  absoluteEffect: number | null;
  absoluteCiLow: number | null;
  absoluteCiHigh: number | null;
  relativeEffect: number | null;
  relativeCiLow: number | null;
  relativeCiHigh: number | null;
  pValue: number | null;
  adjustedPValue: number | null;
  /** The (1 − α) CI of the test's analysis (relative or absolute): the interval pValue and significant belong to. */
  ciLow: number | null;
  ciHigh: number | null;
  /** √variance of the analysis' estimate (gbstats' uplift stddev). */
  standardError: number | null;
  degreesOfFreedom: number | null;
  significant: boolean;
  chanceToBeatControl: number | null;
  /** Present only when the analysis is sequential. */
  sequentialPValue?: number | null;
  sequentialCiLow?: number | null;
  sequentialCiHigh?: number | null;
  sequentialRelativeCiLow?: number | null;
  sequentialRelativeCiHigh?: number | null;
  /** Present only with the Bayesian engine (null when the posterior is undefined). */
  bayesian?: BayesianEffectResult | null;
  /** Present only for a metric with a covariate (CUPED): every effect above is the adjusted one. */
  cuped?: CupedResult;
}

export interface CupedResult {
  /** cov(x, y)/var(x) pooled over the control and this treatment (0: no adjustment possible). */
  theta: number;
  adjustedControlMean: number | null;
  adjustedTreatmentMean: number | null;
  /** 1 − Var_CUPED/Var_unadjusted of the analysis' estimate. */
  varianceReduction: number | null;
}

export interface AbTestSrm {
  pValue: number | null;
  detected: boolean;
}

export interface AbTestSampleSize {
  requiredPerVariant: number | null;
  progress: number | null;
}

export interface AbTestAnalysis {
  analysis: AbTestEffectAnalysis;
  engine: AbTestEngine;
  control: string;
  variants: AbTestVariantSummary[];
  comparisons: AbTestComparison[];
  srm: AbTestSrm;
  sampleSize: AbTestSampleSize;
  recommendation: AbTestRecommendation;
  /** The winning variant's name; present only when recommendation is 'ship_variant'. */
  winner?: string;
}

export interface AbTestInputProblem {
  field: string;
  message: string;
}

/** Thrown by analyzeAbTest when validateAbTestAnalysisInput reports problems. */
export class AbTestInputError extends RangeError {
  constructor(readonly problems: AbTestInputProblem[]) {
    super(`invalid A/B test input: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`);
    this.name = 'AbTestInputError';
  }
}

export interface RecommendationComparison {
  variant: string;
  /** Significance used for the decision (Holm-adjusted; sequential when the test is sequential). */
  significant: boolean;
  relativeEffect: number | null;
  absoluteEffect: number | null;
}

export interface RecommendationParameters {
  counts: readonly number[];
  minSamplesPerVariant: number;
  srmDetected: boolean;
  requiredPerVariant: number | null;
  comparisons: readonly RecommendationComparison[];
  /** Treatments a failing guardrail forbids shipping. */
  blocked?: ReadonlySet<string>;
}

/** The decision rule, in priority order; winner only with 'ship_variant'. */
export function recommend(parameters: RecommendationParameters): {
  recommendation: AbTestRecommendation;
  winner?: string;
} {
  const { counts, minSamplesPerVariant, srmDetected, requiredPerVariant, comparisons } = parameters;
  if (counts.some((count) => count < minSamplesPerVariant)) return { recommendation: 'insufficient_data' };
  if (srmDetected) return { recommendation: 'srm_detected' };
  const significant = comparisons
    .filter((comparison) => comparison.significant)
    .map((comparison) => ({
      variant: comparison.variant,
      effect: comparison.relativeEffect ?? comparison.absoluteEffect,
    }))
    .filter((entry): entry is { variant: string; effect: number } => entry.effect !== null);
  const improving = significant.filter((entry) => entry.effect > 0);
  const positive = improving.filter((entry) => !parameters.blocked?.has(entry.variant));
  if (improving.length > 0 && positive.length === 0) return { recommendation: 'guardrail_failed' };
  if (positive.length > 0) {
    const winner = positive.reduce((best, entry) => (entry.effect > best.effect ? entry : best));
    return { recommendation: 'ship_variant', winner: winner.variant };
  }
  if (significant.length > 0 && significant.every((entry) => entry.effect < 0)) {
    return { recommendation: 'keep_control' };
  }
  if (significant.length === 0 && requiredPerVariant !== null && counts.every((count) => count >= requiredPerVariant)) {
    return { recommendation: 'no_difference' };
  }
  return { recommendation: 'continue' };
}

// ───────────────────────────── The analysis ─────────────────────────────

/** JSON safety net: a non-finite number (overflow/underflow at extreme inputs) is reported as undefined, i.e. null. */
function finiteOrNull(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) ? value : null;
}

/** One variant's summary for the metric type: gbstats' ProportionStatistic for binary, SampleMeanStatistic otherwise. */
export function summarizeVariant(metricType: AbTestMetricType, variant: AbTestVariantInput): SampleSummary {
  return metricType === 'binary'
    ? summarizeProportion(variant.count, variant.sum)
    : summarizeSample(variant.count, variant.sum, variant.sumSquares, variant.centeredSumSquares);
}

interface SequentialOutcome {
  pValue: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * gbstats SequentialTwoSidedTTest on an estimate; never less than the fixed-horizon test: the sequence is joined with
 * the t interval and the p-value is the max with the fixed-horizon one (binds only at very small df).
 */
function sequentialOutcome(
  estimate: { estimate: number; variance: number } | null,
  fixed: { pValue: number; ciLow: number; ciHigh: number } | null,
  sampleSize: number,
  alpha: number,
  tuningParameter: number,
): SequentialOutcome | null {
  if (estimate === null || fixed === null) return null;
  const sequence = sequentialTest(estimate.estimate, estimate.variance, sampleSize, alpha, tuningParameter);
  if (sequence === null) return null;
  return {
    pValue: Math.max(sequence.pValue, fixed.pValue),
    ciLow: Math.min(sequence.ciLow, fixed.ciLow),
    ciHigh: Math.max(sequence.ciHigh, fixed.ciHigh),
  };
}

/** Analyse an A/B test from per-variant aggregates; throws AbTestInputError when the input is invalid. */
export function analyzeAbTest(input: AbTestAnalysisInput): AbTestAnalysis {
  const problems = validateAbTestAnalysisInput(input);
  if (problems.length > 0) throw new AbTestInputError(problems);
  return analyzeSamples(
    input,
    input.variants.map((variant) => summarizeVariant(input.metricType, variant)),
  );
}

/** How a metric's analysis is decided when it is one of several (see multi-metric.stats.ts). */
export interface SampleAnalysisOptions {
  /** The metric improves downwards: effects, chance to win and risks are read the other way. */
  lowerIsBetter?: boolean;
  /** Per treatment, whether it is decisive (a multiple-comparison correction across metrics replaces the per-metric one). */
  decisive?: readonly boolean[];
  /** Treatments that may not be shipped (a guardrail failed). */
  blocked?: ReadonlySet<string>;
  /** CUPED: the metric's and its covariate's sums per variant (variant order); effects are regression-adjusted. */
  cuped?: { kind: CovariateKind; variants: readonly CovariateSums[] };
}

/**
 * The analysis of per-variant summaries (mean, variance, n); input supplies the settings and the variants' names,
 * weights and counts. Input is assumed valid (analyzeAbTest and the multi-metric analysis validate it).
 */
export function analyzeSamples(input: AbTestAnalysisInput, samples: SampleSummary[], options: SampleAnalysisOptions = {}): AbTestAnalysis {
  const lowerIsBetter = options.lowerIsBetter ?? false;
  const { alpha, variants, analysis, engine } = input;
  const weightTotal = variants.reduce((sum, variant) => sum + variant.weight, 0);
  const weights = variants.map((variant) => variant.weight / weightTotal);
  const counts = variants.map((variant) => variant.count);
  const totalCount = counts.reduce((sum, count) => sum + count, 0);

  const variantSummaries: AbTestVariantSummary[] = variants.map((variant, index) => ({
    name: variant.name,
    modelVersion: variant.modelVersion,
    weight: weights[index],
    count: variant.count,
    mean: finiteOrNull(samples[index].mean),
    stdDev: samples[index].variance === null ? null : finiteOrNull(Math.sqrt(samples[index].variance as number)),
    observedShare: totalCount > 0 ? variant.count / totalCount : null,
  }));

  const control = samples[0];
  const prior =
    input.prior !== null && analysis === 'absolute' && control.mean !== null && control.mean !== 0
      ? priorOnAbsoluteScale(input.prior, control.mean)
      : input.prior;
  const raw = samples.slice(1).map((plainTreatment, offset) => {
    const cuped = options.cuped ? cupedComparison(options.cuped.kind, options.cuped.variants[offset + 1], options.cuped.variants[0]) : null;
    // With CUPED the tests run on the adjusted variants (their variances give Welch's df) and CUPED's estimates.
    const treatment = cuped?.treatment ?? plainTreatment;
    const pairControl = cuped?.control ?? control;
    const effectOf = (kind: AbTestEffectAnalysis) => (cuped ? cupedEffect(cuped, kind) : effectEstimate(plainTreatment, control, kind));
    const welch = welchInterval(treatment, pairControl, alpha);
    const decided = twoSidedTTest(treatment, pairControl, analysis, alpha, effectOf(analysis));
    const relative = cuped ? (cuped.relative?.estimate ?? null) : relativeEffect(treatment.mean, control.mean);
    const relativeVariance = cuped ? (cuped.relative?.variance ?? null) : relativeLiftVariance(treatment, control);
    const relativeTest = analysis === 'relative' ? decided : twoSidedTTest(treatment, pairControl, 'relative', alpha, effectOf('relative'));
    const pairSize = treatment.count + control.count;
    const tuning = input.sequentialTuningParameter;
    return {
      variant: variants[offset + 1].name,
      welch,
      decided,
      absolute: absoluteEffect(treatment.mean, pairControl.mean),
      relative,
      relativeUsable: relativeTest !== null && relativeVariance !== null,
      relativeVariance,
      // twoSidedTTest's CI on the relative estimate is this interval (the same tConfidenceInterval call).
      relativeCi: relativeTest === null ? null : ([relativeTest.ciLow, relativeTest.ciHigh] as const),
      sequential: input.sequential ? sequentialOutcome(decided, decided, pairSize, alpha, tuning) : null,
      sequentialRelative: input.sequential ? sequentialOutcome(relativeTest, relativeTest, pairSize, alpha, tuning) : null,
      bayesian: engine === 'bayesian' ? gaussianEffectPosterior(effectOf(analysis), prior, alpha, lowerIsBetter) : undefined,
      cuped:
        cuped === null
          ? undefined
          : {
              theta: cuped.theta,
              adjustedControlMean: finiteOrNull(cuped.control.mean),
              adjustedTreatmentMean: finiteOrNull(cuped.treatment.mean),
              varianceReduction: finiteOrNull(
                varianceReduction(cupedEffect(cuped, analysis), effectEstimate(plainTreatment, control, analysis)),
              ),
            },
    };
  });

  const adjustedPValues = holmBonferroni(raw.map((entry) => entry.decided?.pValue ?? null));

  const comparisons: AbTestComparison[] = raw.map((entry, index) => {
    const adjustedPValue = adjustedPValues[index];
    const comparison: AbTestComparison = {
      variant: entry.variant,
      absoluteEffect: finiteOrNull(entry.absolute),
      absoluteCiLow: finiteOrNull(entry.welch?.ciLow),
      absoluteCiHigh: finiteOrNull(entry.welch?.ciHigh),
      relativeEffect: finiteOrNull(entry.relative),
      relativeCiLow: finiteOrNull(entry.relativeCi?.[0]),
      relativeCiHigh: finiteOrNull(entry.relativeCi?.[1]),
      pValue: finiteOrNull(entry.decided?.pValue),
      adjustedPValue: finiteOrNull(adjustedPValue),
      ciLow: finiteOrNull(entry.decided?.ciLow),
      ciHigh: finiteOrNull(entry.decided?.ciHigh),
      standardError: entry.decided ? finiteOrNull(Math.sqrt(entry.decided.variance)) : null,
      degreesOfFreedom: finiteOrNull(entry.decided?.degreesOfFreedom ?? entry.welch?.degreesOfFreedom),
      significant: adjustedPValue !== null && adjustedPValue < alpha,
      chanceToBeatControl:
        entry.relative !== null && entry.relativeUsable && entry.relativeVariance !== null
          ? finiteOrNull(chanceToBeatControl(lowerIsBetter ? -entry.relative : entry.relative, entry.relativeVariance))
          : null,
    };
    if (input.sequential) {
      comparison.sequentialPValue = finiteOrNull(entry.sequential?.pValue);
      comparison.sequentialCiLow = finiteOrNull(entry.sequential?.ciLow);
      comparison.sequentialCiHigh = finiteOrNull(entry.sequential?.ciHigh);
      comparison.sequentialRelativeCiLow = finiteOrNull(entry.sequentialRelative?.ciLow);
      comparison.sequentialRelativeCiHigh = finiteOrNull(entry.sequentialRelative?.ciHigh);
    }
    if (engine === 'bayesian') comparison.bayesian = entry.bayesian ?? null;
    if (entry.cuped !== undefined) comparison.cuped = entry.cuped;
    return comparison;
  });

  const srm = sampleRatioMismatch(counts, weights);
  const requiredPerVariant = requiredSampleSizePerVariant({
    metricType: input.metricType,
    alpha,
    power: input.power,
    minimumDetectableEffect: input.minimumDetectableEffect,
    baselineRate: input.baselineRate,
    baselineMean: input.baselineMean,
    baselineStdDev: input.baselineStdDev,
    variantCount: variants.length,
  });
  const sampleSize: AbTestSampleSize = {
    requiredPerVariant,
    progress: finiteOrNull(sampleSizeProgress(counts, requiredPerVariant)),
  };

  return withRecommendation(
    input,
    { analysis, engine, control: variants[0].name, variants: variantSummaries, comparisons, srm, sampleSize },
    options,
  );
}

/**
 * An analysis with its recommendation (recommend) decided from its comparisons, counts, SRM and sample-size plan, as
 * the options say (direction, guardrail-blocked treatments, significance from a correction across metrics). A
 * multi-metric test decides its primary metric's analysis again here once its guardrails and correction are known,
 * without analysing the metric twice.
 */
export function withRecommendation(
  input: AbTestAnalysisInput,
  analysis: Omit<AbTestAnalysis, 'recommendation' | 'winner'>,
  options: Pick<SampleAnalysisOptions, 'lowerIsBetter' | 'decisive' | 'blocked'> = {},
): AbTestAnalysis {
  const sign = options.lowerIsBetter ? -1 : 1;
  const adjustedSequentialPValues = holmBonferroni(analysis.comparisons.map((comparison) => comparison.sequentialPValue ?? null));
  const decision = recommend({
    counts: analysis.variants.map((variant) => variant.count),
    minSamplesPerVariant: input.minSamplesPerVariant,
    srmDetected: analysis.srm.detected,
    requiredPerVariant: analysis.sampleSize.requiredPerVariant,
    blocked: options.blocked,
    comparisons: analysis.comparisons.map((comparison, index) => {
      const relativeEffect = analysis.engine === 'bayesian' ? (comparison.bayesian?.expected ?? null) : comparison.relativeEffect;
      return {
        variant: comparison.variant,
        significant: options.decisive?.[index] ?? decisionSignificance(input, comparison, adjustedSequentialPValues[index]),
        relativeEffect: relativeEffect === null ? null : sign * relativeEffect,
        absoluteEffect: comparison.absoluteEffect === null ? null : sign * comparison.absoluteEffect,
      };
    }),
  });
  const result: AbTestAnalysis = {
    analysis: analysis.analysis,
    engine: analysis.engine,
    control: analysis.control,
    variants: analysis.variants,
    comparisons: analysis.comparisons,
    srm: analysis.srm,
    sampleSize: analysis.sampleSize,
    recommendation: decision.recommendation,
  };
  if (decision.recommendation === 'ship_variant' && decision.winner !== undefined) result.winner = decision.winner;
  return result;
}

/**
 * Whether a comparison is decisive for the recommendation. Frequentist: its Holm-adjusted p-value (sequential when the
 * test is sequential) below α. Bayesian (GrowthBook's decision rule, no multiplicity correction): chance to win
 * ≥ 1 − α or ≤ α.
 */
export function decisionSignificance(
  input: AbTestAnalysisInput,
  comparison: AbTestComparison,
  adjustedSequentialPValue: number | null,
): boolean {
  if (input.engine === 'bayesian') {
    const chance = comparison.bayesian?.chanceToWin;
    return chance !== undefined && (chance >= 1 - input.alpha || chance <= input.alpha);
  }
  const pValue = input.sequential ? adjustedSequentialPValue : comparison.adjustedPValue;
  return pValue !== null && pValue < input.alpha;
}
