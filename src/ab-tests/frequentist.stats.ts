/**
 * Frequentist building blocks of the A/B engine, over per-variant sufficient statistics: sample moments, Welch's
 * unequal-variance t-test of the absolute or relative (delta-method) effect as gbstats' TwoSidedTTest, and Holm's
 * step-down adjustment. Pure TypeScript: no framework or database imports.
 */
import { standardNormalCdf, studentTQuantile, studentTTwoSidedPValue } from 'src/common/stats/distributions';

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

/**
 * A binary (0/1) metric as gbstats' ProportionStatistic: mean p = successes/n and variance p(1 − p), the plug-in
 * variance without Bessel's n/(n − 1); null below two observations (Welch's df needs n − 1 > 0).
 */
export function summarizeProportion(count: number, successes: number): SampleSummary {
  const mean = sampleMean(count, successes);
  // gbstats models/statistics.py ProportionStatistic.variance: mean·(1 − mean).
  return { count, mean, variance: mean === null || count < 2 ? null : mean * (1 - mean) };
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

export interface WelchInterval {
  absoluteEffect: number;
  standardError: number;
  degreesOfFreedom: number;
  ciLow: number;
  ciHigh: number;
}

export interface WelchTestResult extends WelchInterval {
  tStatistic: number;
  pValue: number;
}

/**
 * The (1 − α) confidence interval of Welch's t-test of μ_t − μ_c (what a results comparison reports as its absolute
 * CI; its p-value comes from the test's analysis). Null when either side has n < 2 or the standard error is zero.
 */
export function welchInterval(treatment: SampleSummary, control: SampleSummary, alpha: number): WelchInterval | null {
  const difference = absoluteEffect(treatment.mean, control.mean);
  if (difference === null || treatment.variance === null || control.variance === null) return null;
  // Welch (1947): Δ = μ_t − μ_c, SE = √(s_t²/n_t + s_c²/n_c), CI = Δ ± t_{1−α/2; df}·SE.
  const differenceVariance = treatment.variance / treatment.count + control.variance / control.count;
  const standardError = Math.sqrt(differenceVariance);
  if (!(standardError > 0) || !Number.isFinite(standardError)) return null;
  const degreesOfFreedom = welchDegreesOfFreedom(treatment.variance, treatment.count, control.variance, control.count);
  const [ciLow, ciHigh] = tConfidenceInterval(difference, differenceVariance, degreesOfFreedom, alpha);
  return { absoluteEffect: difference, standardError, degreesOfFreedom, ciLow, ciHigh };
}

/**
 * Welch's two-sided t-test of μ_t − μ_c with its (1 − α) confidence interval.
 * Null when either side has n < 2 or the standard error is zero (both variances zero).
 */
export function welchTTest(treatment: SampleSummary, control: SampleSummary, alpha: number): WelchTestResult | null {
  const interval = welchInterval(treatment, control, alpha);
  if (interval === null) return null;
  // Welch (1947): t = Δ/SE, p = 2·F_t(−|t|; df).
  const tStatistic = interval.absoluteEffect / interval.standardError;
  return { ...interval, tStatistic, pValue: studentTTwoSidedPValue(tStatistic, interval.degreesOfFreedom) };
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

/** Which effect a test is decided on: gbstats' difference_type ("relative" is its default). */
export type AbTestEffectAnalysis = 'relative' | 'absolute';

export interface EffectEstimate {
  estimate: number;
  variance: number;
}

/**
 * The effect of the analysis with its variance: absolute Δ with s_t²/n_t + s_c²/n_c, or relative Δ/|μ_c| with the
 * delta-method variance. Null when undefined (a mean or variance missing, μ_c = 0 for relative, variance ≤ 0).
 */
export function effectEstimate(treatment: SampleSummary, control: SampleSummary, analysis: AbTestEffectAnalysis): EffectEstimate | null {
  if (treatment.variance === null || control.variance === null) return null;
  const estimate = analysis === 'relative' ? relativeEffect(treatment.mean, control.mean) : absoluteEffect(treatment.mean, control.mean);
  // gbstats utils.frequentist_variance: absolute var_b/n_b + var_a/n_a; relative via variance_of_ratios (delta method).
  const variance =
    analysis === 'relative'
      ? relativeLiftVariance(treatment, control)
      : treatment.variance / treatment.count + control.variance / control.count;
  if (estimate === null || variance === null || !(variance > 0) || !Number.isFinite(variance) || !Number.isFinite(estimate)) return null;
  return { estimate, variance };
}

export interface TwoSidedTTestResult extends EffectEstimate {
  degreesOfFreedom: number;
  pValue: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * gbstats TwoSidedTTest on one analysis: p-value, CI and (so) significance all come from the same estimate and
 * variance, with Welch–Satterthwaite df from the absolute variances. `effect` replaces the plain estimate (CUPED's).
 */
export function twoSidedTTest(
  treatment: SampleSummary,
  control: SampleSummary,
  analysis: AbTestEffectAnalysis,
  alpha: number,
  effect: EffectEstimate | null = effectEstimate(treatment, control, analysis),
): TwoSidedTTestResult | null {
  if (effect === null || treatment.variance === null || control.variance === null) return null;
  if (treatment.count < 2 || control.count < 2) return null;
  const degreesOfFreedom = welchDegreesOfFreedom(treatment.variance, treatment.count, control.variance, control.count);
  if (!Number.isFinite(degreesOfFreedom) || !(degreesOfFreedom > 0)) return null;
  // gbstats frequentist/tests.py TwoSidedTTest: p = 2(1 − F_t(|est/√var|; df)), CI = est ± t_{1−α/2; df}·√var.
  const pValue = studentTTwoSidedPValue(effect.estimate / Math.sqrt(effect.variance), degreesOfFreedom);
  const [ciLow, ciHigh] = tConfidenceInterval(effect.estimate, effect.variance, degreesOfFreedom, alpha);
  return { ...effect, degreesOfFreedom, pValue, ciLow, ciHigh };
}

/** Per-variant sufficient statistics of a ratio metric: n units with numerator m and denominator d each. */
export interface RatioSums {
  count: number;
  sum: number;
  sumSquares: number;
  denominatorSum: number;
  denominatorSumSquares: number;
  /** Σ m·d. */
  sumProducts: number;
}

/**
 * A ratio metric as gbstats' RatioStatistic: mean Σm/Σd and the delta-method variance of the ratio of the unit means,
 * var_m/μ_d² − 2·cov(m, d)·μ_m/μ_d³ + μ_m²·var_d/μ_d⁴ (Bessel-corrected var and cov); null when n < 2 or Σd = 0.
 */
export function summarizeRatio(sums: RatioSums): SampleSummary {
  const { count } = sums;
  if (count < 2 || sums.denominatorSum === 0)
    return { count, mean: count > 0 && sums.denominatorSum !== 0 ? sums.sum / sums.denominatorSum : null, variance: null };
  const numeratorMean = sums.sum / count;
  const denominatorMean = sums.denominatorSum / count;
  const numeratorVariance = sampleVariance(count, sums.sum, sums.sumSquares) ?? 0;
  const denominatorVariance = sampleVariance(count, sums.denominatorSum, sums.denominatorSumSquares) ?? 0;
  const covariance = (sums.sumProducts - (sums.sum * sums.denominatorSum) / count) / (count - 1);
  // gbstats models/statistics.py RatioStatistic.variance (utils.variance_of_ratios with cov(m, d)).
  const variance =
    numeratorVariance / denominatorMean ** 2 -
    (2 * covariance * numeratorMean) / denominatorMean ** 3 +
    (numeratorMean ** 2 * denominatorVariance) / denominatorMean ** 4;
  return { count, mean: sums.sum / sums.denominatorSum, variance: variance > 0 ? variance : 0 };
}
