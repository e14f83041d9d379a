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
  welchTTest,
  relativeEffect,
  absoluteEffect,
  relativeLiftVariance,
  tConfidenceInterval,
} from 'src/ab-tests/frequentist.stats';
import { sequentialTest } from 'src/ab-tests/sequential.stats';
import { chiSquareSurvival, standardNormalQuantile } from 'src/common/stats/distributions';

// ───────────────────────────── Types (the API contract) ─────────────────────────────

export type AbTestMetricType = 'binary' | 'continuous';
export type AbTestEngine = 'frequentist' | 'bayesian';
export type { AbTestEffectAnalysis } from 'src/ab-tests/frequentist.stats';

export type AbTestRecommendation = 'insufficient_data' | 'srm_detected' | 'ship_variant' | 'keep_control' | 'no_difference' | 'continue';

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

/**
 * GrowthBook's SRM rule (DEFAULT_SRM_THRESHOLD and srmHealthCheck in the growthbook repository): flagged when the
 * χ² p-value is below 0.001, once the total reaches SRM_MIN_COUNT_PER_VARIANT units per variant (8·k in all).
 */
export const SRM_P_VALUE_THRESHOLD = 0.001;
export const SRM_MIN_COUNT_PER_VARIANT = 8;

/**
 * Sample-ratio-mismatch p-value: Pearson χ² goodness of fit of the counts against total·w_i, df = k − 1.
 * Null when there are fewer than two variants or no observations. A variant with weight 0 and count 0 adds nothing;
 * one with weight 0 and a positive count is an infinite mismatch (p-value 0).
 */
export function sampleRatioMismatchPValue(counts: readonly number[], normalizedWeights: readonly number[]): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (counts.length < 2 || !(total > 0)) return null;
  let chiSquare = 0;
  for (let index = 0; index < counts.length; index += 1) {
    const expected = total * normalizedWeights[index];
    if (expected === 0) {
      if (counts[index] > 0) return 0;
      continue;
    }
    // Pearson (1900) χ² statistic Σ(O − E)²/E, as scipy.stats.chisquare(counts, total·weights).
    chiSquare += Math.pow(counts[index] - expected, 2) / expected;
  }
  return chiSquareSurvival(chiSquare, counts.length - 1);
}

/** SRM flag: p-value below SRM_P_VALUE_THRESHOLD once the total count reaches SRM_MIN_COUNT_PER_VARIANT·k. */
export function sampleRatioMismatch(counts: readonly number[], normalizedWeights: readonly number[]): AbTestSrm {
  const pValue = sampleRatioMismatchPValue(counts, normalizedWeights);
  const total = counts.reduce((sum, count) => sum + count, 0);
  const detected = pValue !== null && pValue < SRM_P_VALUE_THRESHOLD && total >= SRM_MIN_COUNT_PER_VARIANT * counts.length;
  return { pValue, detected };
}

export interface SampleSizeParameters {
  metricType: AbTestMetricType;
  alpha: number;
  power: number;
  minimumDetectableEffect: number;
  baselineRate: number | null;
  baselineMean: number | null;
  baselineStdDev: number | null;
  /** Number of variants including the control (k); α is Bonferroni-split over the k − 1 comparisons. */
  variantCount: number;
}

/**
 * Units needed per variant to detect the relative MDE with the given power in a two-sided test at α/(k − 1).
 * Null without a baseline (binary: baselineRate; continuous: baselineMean and baselineStdDev) or when undefined.
 */
export function requiredSampleSizePerVariant(parameters: SampleSizeParameters): number | null {
  const { metricType, alpha, power, minimumDetectableEffect, variantCount } = parameters;
  let controlMean: number;
  let varianceSum: number;
  if (metricType === 'binary') {
    if (parameters.baselineRate === null) return null;
    const controlRate = parameters.baselineRate;
    const treatmentRate = controlRate * (1 + minimumDetectableEffect);
    if (treatmentRate < 0 || treatmentRate > 1) return null;
    controlMean = controlRate;
    varianceSum = controlRate * (1 - controlRate) + treatmentRate * (1 - treatmentRate);
  } else {
    if (parameters.baselineMean === null || parameters.baselineStdDev === null) return null;
    controlMean = parameters.baselineMean;
    varianceSum = 2 * Math.pow(parameters.baselineStdDev, 2);
  }
  const comparisons = Math.max(1, variantCount - 1);
  const adjustedAlpha = alpha / comparisons;
  // Two-sample z-test sample size (Chow, Shao & Wang 2008, §4.2): ⌈(z_{1−α′/2} + z_{power})²(σ_c² + σ_t²)/(MDE·μ_c)²⌉
  const required = Math.ceil(
    (Math.pow(standardNormalQuantile(1 - adjustedAlpha / 2) + standardNormalQuantile(power), 2) * varianceSum) /
      Math.pow(minimumDetectableEffect * controlMean, 2),
  );
  return Number.isFinite(required) && required > 0 ? required : null;
}

/** Progress towards the required sample size: min over variants of count/requiredPerVariant (null without one). */
export function sampleSizeProgress(counts: readonly number[], requiredPerVariant: number | null): number | null {
  if (requiredPerVariant === null || counts.length === 0) return null;
  return Math.min(...counts.map((count) => count / requiredPerVariant));
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
  const positive = significant.filter((entry) => entry.effect > 0);
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

// ───────────────────────────── Validation ─────────────────────────────

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Problems with one variant's aggregates (count, sum, sumSquares) for the metric type; empty when consistent. */
export function validateVariantAggregates(
  metricType: AbTestMetricType,
  variant: Pick<AbTestVariantInput, 'count' | 'sum' | 'sumSquares'>,
  fieldPrefix = '',
): AbTestInputProblem[] {
  const problems: AbTestInputProblem[] = [];
  const { count, sum, sumSquares } = variant;
  if (!Number.isInteger(count) || count < 0) {
    problems.push({ field: `${fieldPrefix}count`, message: 'must be a non-negative integer' });
  }
  if (!isFiniteNumber(sum)) problems.push({ field: `${fieldPrefix}sum`, message: 'must be a finite number' });
  if (!isFiniteNumber(sumSquares)) {
    problems.push({ field: `${fieldPrefix}sumSquares`, message: 'must be a finite number' });
  }
  if (problems.length > 0) return problems;
  if (metricType === 'binary') {
    if (!Number.isInteger(sum) || sum < 0 || sum > count) {
      problems.push({ field: `${fieldPrefix}sum`, message: 'must be an integer number of successes in [0, count]' });
    }
    if (sumSquares !== sum) {
      problems.push({ field: `${fieldPrefix}sumSquares`, message: 'must equal sum for a binary metric' });
    }
    return problems;
  }
  if (sumSquares < 0) problems.push({ field: `${fieldPrefix}sumSquares`, message: 'must be >= 0' });
  if (count === 0 && (sum !== 0 || sumSquares !== 0)) {
    problems.push({ field: `${fieldPrefix}count`, message: 'is 0, so sum and sumSquares must be 0' });
  } else if (sum * sum > count * sumSquares * (1 + 1e-9)) {
    // Cauchy–Schwarz: (Σx)² ≤ n·Σx² for any real data.
    problems.push({ field: `${fieldPrefix}sumSquares`, message: 'is too small for sum and count ((Σx)² > n·Σx²)' });
  }
  return problems;
}

/** Every problem with an analysis input, as { field, message }; empty when the input can be analysed. */
export function validateAbTestAnalysisInput(input: AbTestAnalysisInput): AbTestInputProblem[] {
  const problems: AbTestInputProblem[] = [];
  if (input.metricType !== 'binary' && input.metricType !== 'continuous') {
    problems.push({ field: 'metricType', message: "must be 'binary' or 'continuous'" });
  }
  if (!isFiniteNumber(input.alpha) || input.alpha <= 0 || input.alpha >= 1) {
    problems.push({ field: 'alpha', message: 'must be in (0, 1)' });
  }
  if (!isFiniteNumber(input.power) || input.power <= 0 || input.power >= 1) {
    problems.push({ field: 'power', message: 'must be in (0, 1)' });
  }
  const mde = input.minimumDetectableEffect;
  if (!isFiniteNumber(mde) || mde === 0 || mde <= -1) {
    problems.push({ field: 'minimumDetectableEffect', message: 'must be a non-zero relative effect greater than -1' });
  }
  if (input.baselineRate !== null) {
    if (!isFiniteNumber(input.baselineRate) || input.baselineRate <= 0 || input.baselineRate >= 1) {
      problems.push({ field: 'baselineRate', message: 'must be in (0, 1) or null' });
    } else if (input.metricType === 'binary' && isFiniteNumber(mde) && input.baselineRate * (1 + mde) > 1) {
      problems.push({
        field: 'minimumDetectableEffect',
        message: 'makes the target rate baselineRate·(1 + MDE) exceed 1',
      });
    }
  }
  if (input.baselineMean !== null && (!isFiniteNumber(input.baselineMean) || input.baselineMean === 0)) {
    problems.push({ field: 'baselineMean', message: 'must be a non-zero finite number or null' });
  }
  if (input.baselineStdDev !== null && (!isFiniteNumber(input.baselineStdDev) || input.baselineStdDev <= 0)) {
    problems.push({ field: 'baselineStdDev', message: 'must be a positive finite number or null' });
  }
  if (typeof input.sequential !== 'boolean') problems.push({ field: 'sequential', message: 'must be a boolean' });
  if (input.analysis !== 'relative' && input.analysis !== 'absolute') {
    problems.push({ field: 'analysis', message: "must be 'relative' or 'absolute'" });
  }
  if (input.engine !== 'frequentist' && input.engine !== 'bayesian') {
    problems.push({ field: 'engine', message: "must be 'frequentist' or 'bayesian'" });
  }
  if (!isFiniteNumber(input.sequentialTuningParameter) || input.sequentialTuningParameter <= 0) {
    problems.push({ field: 'sequentialTuningParameter', message: 'must be a positive number' });
  }
  if (input.prior !== null) {
    if (!isFiniteNumber(input.prior.mean)) problems.push({ field: 'prior.mean', message: 'must be a finite number' });
    if (!isFiniteNumber(input.prior.variance) || input.prior.variance <= 0) {
      problems.push({ field: 'prior.variance', message: 'must be a finite number > 0' });
    }
  }
  if (!Number.isInteger(input.minSamplesPerVariant) || input.minSamplesPerVariant < 0) {
    problems.push({ field: 'minSamplesPerVariant', message: 'must be a non-negative integer' });
  }
  if (!Array.isArray(input.variants) || input.variants.length < 2) {
    problems.push({ field: 'variants', message: 'must list the control and at least one treatment' });
    return problems;
  }
  const names = new Set<string>();
  let weightSum = 0;
  input.variants.forEach((variant, index) => {
    const prefix = `variants[${index}].`;
    if (typeof variant.name !== 'string' || variant.name.length === 0) {
      problems.push({ field: `${prefix}name`, message: 'must be a non-empty string' });
    } else if (names.has(variant.name)) {
      problems.push({ field: `${prefix}name`, message: `duplicates another variant's name "${variant.name}"` });
    } else {
      names.add(variant.name);
    }
    if (variant.modelVersion !== null && typeof variant.modelVersion !== 'string') {
      problems.push({ field: `${prefix}modelVersion`, message: 'must be a string or null' });
    }
    if (!isFiniteNumber(variant.weight) || variant.weight < 0) {
      problems.push({ field: `${prefix}weight`, message: 'must be a finite number >= 0' });
    } else {
      weightSum += variant.weight;
    }
    if (input.metricType === 'binary' || input.metricType === 'continuous') {
      problems.push(...validateVariantAggregates(input.metricType, variant, prefix));
    }
    const centered = variant.centeredSumSquares;
    if (centered !== undefined && (!isFiniteNumber(centered) || centered < 0)) {
      problems.push({ field: `${prefix}centeredSumSquares`, message: 'must be a finite number >= 0' });
    }
  });
  if (!(weightSum > 0)) problems.push({ field: 'variants', message: 'weights must have a positive sum' });
  return problems;
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
  const { alpha, variants, analysis, engine } = input;
  const weightTotal = variants.reduce((sum, variant) => sum + variant.weight, 0);
  const weights = variants.map((variant) => variant.weight / weightTotal);
  const counts = variants.map((variant) => variant.count);
  const totalCount = counts.reduce((sum, count) => sum + count, 0);
  const samples = variants.map((variant) => summarizeVariant(input.metricType, variant));

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
  const raw = samples.slice(1).map((treatment, offset) => {
    const welch = welchTTest(treatment, control, alpha);
    const decided = twoSidedTTest(treatment, control, analysis, alpha);
    const relative = relativeEffect(treatment.mean, control.mean);
    const relativeVariance = relativeLiftVariance(treatment, control);
    const relativeTest = analysis === 'relative' ? decided : twoSidedTTest(treatment, control, 'relative', alpha);
    const pairSize = treatment.count + control.count;
    const tuning = input.sequentialTuningParameter;
    return {
      variant: variants[offset + 1].name,
      welch,
      decided,
      absolute: absoluteEffect(treatment.mean, control.mean),
      relative,
      relativeUsable: relativeTest !== null && relativeVariance !== null,
      relativeVariance,
      relativeCi:
        relativeTest === null
          ? null
          : tConfidenceInterval(relativeTest.estimate, relativeTest.variance, relativeTest.degreesOfFreedom, alpha),
      sequential: input.sequential ? sequentialOutcome(decided, decided, pairSize, alpha, tuning) : null,
      sequentialRelative: input.sequential ? sequentialOutcome(relativeTest, relativeTest, pairSize, alpha, tuning) : null,
      bayesian: engine === 'bayesian' ? gaussianEffectPosterior(effectEstimate(treatment, control, analysis), prior, alpha) : undefined,
    };
  });

  const adjustedPValues = holmBonferroni(raw.map((entry) => entry.decided?.pValue ?? null));
  const adjustedSequentialPValues = holmBonferroni(raw.map((entry) => entry.sequential?.pValue ?? null));

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
          ? finiteOrNull(chanceToBeatControl(entry.relative, entry.relativeVariance))
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

  const decision = recommend({
    counts,
    minSamplesPerVariant: input.minSamplesPerVariant,
    srmDetected: srm.detected,
    requiredPerVariant,
    comparisons: comparisons.map((comparison, index) => ({
      variant: comparison.variant,
      significant: decisionSignificance(input, comparison, adjustedSequentialPValues[index]),
      relativeEffect: engine === 'bayesian' ? (comparison.bayesian?.expected ?? null) : comparison.relativeEffect,
      absoluteEffect: comparison.absoluteEffect,
    })),
  });

  const result: AbTestAnalysis = {
    analysis,
    engine,
    control: variants[0].name,
    variants: variantSummaries,
    comparisons,
    srm,
    sampleSize,
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
function decisionSignificance(input: AbTestAnalysisInput, comparison: AbTestComparison, adjustedSequentialPValue: number | null): boolean {
  if (input.engine === 'bayesian') {
    const chance = comparison.bayesian?.chanceToWin;
    return chance !== undefined && (chance >= 1 - input.alpha || chance <= input.alpha);
  }
  const pValue = input.sequential ? adjustedSequentialPValue : comparison.adjustedPValue;
  return pValue !== null && pValue < input.alpha;
}
