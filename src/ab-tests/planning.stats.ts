/**
 * Planning and health of an A/B test: the sample-ratio-mismatch check (GrowthBook's rule) and the sample size needed
 * for the minimum detectable effect. Pure TypeScript: no framework or database imports.
 */
import type { AbTestAnalysisInput, AbTestSrm } from 'src/ab-tests/ab-test.stats';
import { chiSquareSurvival, standardNormalQuantile } from 'src/common/stats/distributions';

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

export type SampleSizeParameters = Pick<
  AbTestAnalysisInput,
  'metricType' | 'alpha' | 'power' | 'minimumDetectableEffect' | 'baselineRate' | 'baselineMean' | 'baselineStdDev'
> & {
  /** Number of variants including the control (k); α is Bonferroni-split over the k − 1 comparisons. */
  variantCount: number;
};

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
