/**
 * The A/B test statistics engine: pure functions over per-variant sufficient statistics (count, Σx, Σx²).
 * Fixed-horizon inference is Welch's unequal-variance t-test (equal to scipy.stats.ttest_ind(treatment, control,
 * equal_var=False) on the raw values), the relative lift uses the delta method, multiple comparisons against the
 * control are Holm-adjusted, and the optional sequential mode reports GrowthBook-style always-valid p-values and
 * confidence sequences (see sequential.stats.ts). Every number that is undefined is reported as null, never NaN
 * or Infinity, so the result is always valid JSON. Pure TypeScript: no framework or database imports.
 */
import { normalizeWeights } from 'src/ab-tests/ab-test-assignment.policy';
import { DEFAULT_SEQUENTIAL_TUNING_PARAMETER, sequentialTest } from 'src/ab-tests/sequential.stats';
import {
  chiSquareSurvival,
  standardNormalCdf,
  standardNormalQuantile,
  studentTQuantile,
  studentTTwoSidedPValue,
} from 'src/common/stats/distributions';

// ───────────────────────────── Types (the API contract) ─────────────────────────────

export type AbTestMetricType = 'binary' | 'continuous';

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
  degreesOfFreedom: number | null;
  significant: boolean;
  chanceToBeatControl: number | null;
  /** Present only when the analysis is sequential. */
  sequentialPValue?: number | null;
  sequentialRelativeCiLow?: number | null;
  sequentialRelativeCiHigh?: number | null;
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

/** SRM is flagged below this p-value (and only when every variant has at least SRM_MIN_COUNT observations). */
export const SRM_P_VALUE_THRESHOLD = 0.001;
export const SRM_MIN_COUNT = 8;

/**
 * Σx² − (Σx)²/n at or below ROUNDING_UNITS·ε·Σx² is cancellation noise, not variance, and is treated as exactly 0
 * (this also clamps negative values). Integer-valued sums (binary metrics, counts) are exact, leaving only the final
 * subtraction's rounding; summing n non-integer values accumulates up to about n·ε·Σx² (constant data measured at
 * ≈ 0.26·n·ε), so below that floor the sums cannot resolve the variance.
 */
const ROUNDING_UNITS_EXACT = 64;

/**
 * A directly accumulated Σ(x − x̄)² at or below (ROUNDING_UNITS_EXACT + n)·ε²·Σx² is rounding noise (each deviation
 * is exact to about ε·|x̄|, so constant data leaves O(n·ε²·x̄²)) and is treated as exactly 0; real data is spread
 * far more (s/|x̄| above ~√n·ε, 7e-13 at n = 10⁷).
 */
function centeredNoiseFloor(count: number, sumSquares: number): number {
  return (ROUNDING_UNITS_EXACT + count) * Number.EPSILON * Number.EPSILON * Math.abs(sumSquares);
}

// ───────────────────────────── Building blocks ─────────────────────────────

/** Sample mean Σx/n; null when n = 0. */
export function sampleMean(count: number, sum: number): number | null {
  return count > 0 ? sum / count : null;
}

/** Unbiased sample variance from sufficient statistics (Σ(x − x̄)² when known); null when n < 2. */
export function sampleVariance(count: number, sum: number, sumSquares: number, centeredSumSquares?: number): number | null {
  if (count < 2) return null;
  if (centeredSumSquares !== undefined) {
    // Bessel-corrected variance Σ(x − x̄)²/(n − 1) from the directly accumulated centred sum (no cancellation).
    return centeredSumSquares <= centeredNoiseFloor(count, sumSquares) ? 0 : centeredSumSquares / (count - 1);
  }
  // Bessel-corrected variance (Σx² − (Σx)²/n)/(n − 1), i.e. numpy.var(x, ddof=1) as used by scipy.stats.ttest_ind.
  const differenceOfSums = sumSquares - (sum * sum) / count;
  const roundingUnits = Number.isInteger(sum) && Number.isInteger(sumSquares) ? ROUNDING_UNITS_EXACT : ROUNDING_UNITS_EXACT + count;
  if (differenceOfSums <= roundingUnits * Number.EPSILON * Math.abs(sumSquares)) return 0;
  return differenceOfSums / (count - 1);
}

/** What a comparison needs from one variant. */
export interface SampleSummary {
  count: number;
  mean: number | null;
  variance: number | null;
}

export function summarizeSample(count: number, sum: number, sumSquares: number, centeredSumSquares?: number): SampleSummary {
  return { count, mean: sampleMean(count, sum), variance: sampleVariance(count, sum, sumSquares, centeredSumSquares) };
}

/** Σ(x − x̄)² of raw values by the corrected two-pass algorithm: no cancellation, and the mean's own rounding removed. */
export function centeredSumOfSquares(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  let squares = 0;
  let deviations = 0;
  for (const value of values) {
    squares += (value - mean) * (value - mean);
    deviations += value - mean;
  }
  // Corrected two-pass algorithm (Chan, Golub & LeVeque 1983, Am. Stat. 37:242, eq. 1.7): Σ(x − x̄)² − (Σ(x − x̄))²/n.
  return Math.max(0, squares - (deviations * deviations) / values.length);
}

/** Σ(x − x̄)² of the union of two samples from their counts, sums and centred sums of squares. */
export function mergeCenteredSumSquares(
  left: { count: number; sum: number; centeredSumSquares: number },
  right: { count: number; sum: number; centeredSumSquares: number },
): number {
  if (left.count === 0) return right.centeredSumSquares;
  if (right.count === 0) return left.centeredSumSquares;
  const delta = right.sum / right.count - left.sum / left.count;
  // Chan, Golub & LeVeque (1979, STAN-CS-79-773) pairwise update: M2 = M2_a + M2_b + δ²·n_a·n_b/(n_a + n_b).
  return left.centeredSumSquares + right.centeredSumSquares + delta * delta * ((left.count * right.count) / (left.count + right.count));
}

/** Absolute effect μ_t − μ_c; null when a mean is missing. */
export function absoluteEffect(treatmentMean: number | null, controlMean: number | null): number | null {
  // Difference in means, the effect scipy.stats.ttest_ind(treatment, control) tests.
  return treatmentMean === null || controlMean === null ? null : treatmentMean - controlMean;
}

/** Welch–Satterthwaite degrees of freedom for the difference of two means. */
export function welchDegreesOfFreedom(
  treatmentVariance: number,
  treatmentCount: number,
  controlVariance: number,
  controlCount: number,
): number {
  // Welch (1947); Satterthwaite (1946): (a + b)²/(a²/(n_t − 1) + b²/(n_c − 1)), a = s_t²/n_t, b = s_c²/n_c
  const treatmentTerm = treatmentVariance / treatmentCount;
  const controlTerm = controlVariance / controlCount;
  return (
    Math.pow(treatmentTerm + controlTerm, 2) /
    (Math.pow(treatmentTerm, 2) / (treatmentCount - 1) + Math.pow(controlTerm, 2) / (controlCount - 1))
  );
}

export interface WelchTestResult {
  absoluteEffect: number;
  standardError: number;
  degreesOfFreedom: number;
  tStatistic: number;
  pValue: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * Welch's two-sided t-test of μ_t − μ_c with its (1 − α) confidence interval.
 * Null when either side has n < 2 or the standard error is zero (both variances zero).
 */
export function welchTTest(treatment: SampleSummary, control: SampleSummary, alpha: number): WelchTestResult | null {
  const difference = absoluteEffect(treatment.mean, control.mean);
  if (difference === null || treatment.variance === null || control.variance === null) return null;
  // Welch (1947): Δ = μ_t − μ_c, SE = √(s_t²/n_t + s_c²/n_c), t = Δ/SE, p = 2·F_t(−|t|; df), CI = Δ ± t_{1−α/2; df}·SE.
  const differenceVariance = treatment.variance / treatment.count + control.variance / control.count;
  const standardError = Math.sqrt(differenceVariance);
  if (!(standardError > 0) || !Number.isFinite(standardError)) return null;
  const degreesOfFreedom = welchDegreesOfFreedom(treatment.variance, treatment.count, control.variance, control.count);
  const tStatistic = difference / standardError;
  const [ciLow, ciHigh] = tConfidenceInterval(difference, differenceVariance, degreesOfFreedom, alpha);
  return {
    absoluteEffect: difference,
    standardError,
    degreesOfFreedom,
    tStatistic,
    pValue: studentTTwoSidedPValue(tStatistic, degreesOfFreedom),
    ciLow,
    ciHigh,
  };
}

/** Relative lift (μ_t − μ_c)/|μ_c|; null when a mean is missing or μ_c = 0. */
export function relativeEffect(treatmentMean: number | null, controlMean: number | null): number | null {
  const difference = absoluteEffect(treatmentMean, controlMean);
  if (difference === null || controlMean === null || controlMean === 0) return null;
  // Relative lift as in GrowthBook gbstats frequentist_diff (relative=True), normalised by |μ_c| so its sign is Δ's.
  return difference / Math.abs(controlMean);
}

/** Delta-method variance of the relative lift; null when a variance is missing or μ_c = 0. */
export function relativeLiftVariance(treatment: SampleSummary, control: SampleSummary): number | null {
  if (treatment.mean === null || control.mean === null || control.mean === 0) return null;
  if (treatment.variance === null || control.variance === null) return null;
  // Delta method (gbstats utils.variance_of_ratios, zero covariance): s_t²/(μ_c²·n_t) + s_c²·μ_t²/(μ_c⁴·n_c).
  return (
    treatment.variance / (Math.pow(control.mean, 2) * treatment.count) +
    (control.variance * Math.pow(treatment.mean, 2)) / (Math.pow(control.mean, 4) * control.count)
  );
}

/** Two-sided (1 − α) interval estimate ± t_{1−α/2; df}·√variance. */
export function tConfidenceInterval(estimate: number, variance: number, degreesOfFreedom: number, alpha: number): [number, number] {
  // Student-t interval (gbstats TwoSidedTTest.confidence_interval): estimate ± t.ppf(1 − α/2, df)·√variance.
  const halfWidth = studentTQuantile(1 - alpha / 2, degreesOfFreedom) * Math.sqrt(variance);
  return [estimate - halfWidth, estimate + halfWidth];
}

/** Probability that the treatment beats the control under a flat prior: Φ(Δ_r/√Var_r). */
export function chanceToBeatControl(relativeLift: number, relativeVariance: number): number {
  // Normal approximation to the posterior of the lift with a flat prior (GrowthBook docs, "Chance to win"): Φ(Δ_r/σ_r).
  return standardNormalCdf(relativeLift / Math.sqrt(relativeVariance));
}

/**
 * Holm–Bonferroni step-down adjusted p-values, in input order. Null entries (tests that could not be run) stay
 * null and are not counted in the family size, as R's p.adjust does with NA.
 */
export function holmBonferroni(pValues: ReadonlyArray<number | null>): Array<number | null> {
  const ranked = pValues
    .map((pValue, index) => ({ pValue, index }))
    .filter((entry): entry is { pValue: number; index: number } => entry.pValue !== null)
    .sort((left, right) => left.pValue - right.pValue || left.index - right.index);
  const adjusted: Array<number | null> = pValues.map(() => null);
  const familySize = ranked.length;
  let runningMax = 0;
  ranked.forEach((entry, rank) => {
    // Holm (1979) Scand. J. Statist. 6:65; statsmodels multipletests('holm'): max_{j≤i} min(1, (m − j + 1)·p_(j)).
    runningMax = Math.max(runningMax, Math.min(1, (familySize - rank) * entry.pValue));
    adjusted[entry.index] = runningMax;
  });
  return adjusted;
}

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

/** SRM flag: p-value below SRM_P_VALUE_THRESHOLD and every variant has at least SRM_MIN_COUNT observations. */
export function sampleRatioMismatch(counts: readonly number[], normalizedWeights: readonly number[]): AbTestSrm {
  const pValue = sampleRatioMismatchPValue(counts, normalizedWeights);
  const detected = pValue !== null && pValue < SRM_P_VALUE_THRESHOLD && counts.every((count) => count >= SRM_MIN_COUNT);
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

/** Analyse an A/B test from per-variant aggregates; throws AbTestInputError when the input is invalid. */
export function analyzeAbTest(input: AbTestAnalysisInput): AbTestAnalysis {
  const problems = validateAbTestAnalysisInput(input);
  if (problems.length > 0) throw new AbTestInputError(problems);
  const { alpha, variants } = input;
  const weights = normalizeWeights(variants.map((variant) => variant.weight));
  const counts = variants.map((variant) => variant.count);
  const totalCount = counts.reduce((sum, count) => sum + count, 0);
  const samples = variants.map((variant) => summarizeSample(variant.count, variant.sum, variant.sumSquares, variant.centeredSumSquares));

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
  const raw = samples.slice(1).map((treatment, offset) => {
    const welch = welchTTest(treatment, control, alpha);
    const absolute = absoluteEffect(treatment.mean, control.mean);
    const relative = relativeEffect(treatment.mean, control.mean);
    const relativeVariance = relativeLiftVariance(treatment, control);
    const relativeUsable =
      relative !== null &&
      Number.isFinite(relative) &&
      relativeVariance !== null &&
      relativeVariance > 0 &&
      Number.isFinite(relativeVariance) &&
      welch !== null;
    const relativeCi = relativeUsable ? tConfidenceInterval(relative, relativeVariance, welch.degreesOfFreedom, alpha) : null;
    let sequentialResult: { pValue: number; ciLow: number; ciHigh: number } | null = null;
    if (input.sequential && relativeUsable && relativeCi !== null) {
      const confidenceSequence = sequentialTest(
        relative,
        relativeVariance,
        treatment.count + control.count,
        alpha,
        DEFAULT_SEQUENTIAL_TUNING_PARAMETER,
      );
      if (confidenceSequence !== null) {
        // Never report less than the fixed-horizon test: the sequence is the union with the t interval and the
        // p-value the max with the matching fixed-horizon relative p-value (binds only at very small df).
        const fixedRelativePValue = studentTTwoSidedPValue(relative / Math.sqrt(relativeVariance), welch.degreesOfFreedom);
        sequentialResult = {
          pValue: Math.max(confidenceSequence.pValue, fixedRelativePValue),
          ciLow: Math.min(confidenceSequence.ciLow, relativeCi[0]),
          ciHigh: Math.max(confidenceSequence.ciHigh, relativeCi[1]),
        };
      }
    }
    return {
      variant: variants[offset + 1].name,
      welch,
      absolute,
      relative,
      relativeVariance: relativeUsable ? relativeVariance : null,
      relativeCi,
      sequentialResult,
    };
  });

  const adjustedPValues = holmBonferroni(raw.map((entry) => entry.welch?.pValue ?? null));
  const adjustedSequentialPValues = holmBonferroni(raw.map((entry) => entry.sequentialResult?.pValue ?? null));

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
      pValue: finiteOrNull(entry.welch?.pValue),
      adjustedPValue: finiteOrNull(adjustedPValue),
      degreesOfFreedom: finiteOrNull(entry.welch?.degreesOfFreedom),
      significant: adjustedPValue !== null && adjustedPValue < alpha,
      chanceToBeatControl:
        entry.relative !== null && entry.relativeVariance !== null
          ? finiteOrNull(chanceToBeatControl(entry.relative, entry.relativeVariance))
          : null,
    };
    if (input.sequential) {
      comparison.sequentialPValue = finiteOrNull(entry.sequentialResult?.pValue);
      comparison.sequentialRelativeCiLow = finiteOrNull(entry.sequentialResult?.ciLow);
      comparison.sequentialRelativeCiHigh = finiteOrNull(entry.sequentialResult?.ciHigh);
    }
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
    comparisons: comparisons.map((comparison, index) => {
      const decisionPValue = input.sequential ? adjustedSequentialPValues[index] : comparison.adjustedPValue;
      return {
        variant: comparison.variant,
        significant: decisionPValue !== null && decisionPValue < alpha,
        relativeEffect: comparison.relativeEffect,
        absoluteEffect: comparison.absoluteEffect,
      };
    }),
  });

  const analysis: AbTestAnalysis = {
    control: variants[0].name,
    variants: variantSummaries,
    comparisons,
    srm,
    sampleSize,
    recommendation: decision.recommendation,
  };
  if (decision.recommendation === 'ship_variant' && decision.winner !== undefined) analysis.winner = decision.winner;
  return analysis;
}
