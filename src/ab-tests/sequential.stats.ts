/**
 * Always-valid inference for A/B tests: asymptotic confidence sequences (Waudby-Smith, Arbour, Sinha, Kennedy,
 * Ramdas, "Time-uniform central limit theory and asymptotic confidence sequences", arXiv:2103.06476v7), as used
 * by GrowthBook's gbstats SequentialTwoSidedTTest (packages/stats/gbstats/frequentist/tests.py), reimplemented here.
 * The estimate and its variance are those of the fixed-horizon test (here: the delta-method relative lift);
 * n is the pairwise sample size n_control + n_treatment. Pure TypeScript: no framework or database imports.
 */

/** GrowthBook's default tuning parameter N*: the sample size at which the confidence sequence is tightest. */
export const DEFAULT_SEQUENTIAL_TUNING_PARAMETER = 5000;

/** Mixing parameter ρ of the normal-mixture boundary, tuned so the sequence is tightest near n = N*. */
export function sequentialRho(alpha: number, tuningParameter: number = DEFAULT_SEQUENTIAL_TUNING_PARAMETER): number {
  // Waudby-Smith et al. arXiv:2103.06476v7 eq. 161 (gbstats sequential rho): √((−2 ln α + ln(1 − 2 ln α)) / N*)
  return Math.sqrt((-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuningParameter);
}

/** Half-width of the two-sided (1 − α) asymptotic confidence sequence for an estimate with variance `variance` at n. */
export function sequentialHalfWidth(variance: number, sampleSize: number, alpha: number, rho: number): number {
  // Waudby-Smith et al. eq. 9 with s² = variance·n (gbstats): √(s²)·√(2(nρ² + 1)·ln(√(nρ² + 1)/α) / (nρ)²).
  const perObservationVariance = variance * sampleSize;
  const mixture = sampleSize * rho * rho + 1;
  return (
    Math.sqrt(perObservationVariance) * Math.sqrt((2 * mixture * Math.log(Math.sqrt(mixture) / alpha)) / Math.pow(sampleSize * rho, 2))
  );
}

/** Always-valid two-sided p-value min(1, 1/E) for H0: effect = 0, E the normal-mixture e-value at n. */
export function sequentialPValue(estimate: number, variance: number, sampleSize: number, rho: number): number {
  // Waudby-Smith et al. eq. 155 (gbstats p_value): E = exp(ρ²·(Δ²n/variance) / (2(nρ² + 1))) / √(nρ² + 1), in logs.
  const mixture = sampleSize * rho * rho + 1;
  const logEValue = (rho * rho * ((estimate * estimate * sampleSize) / variance)) / (2 * mixture) - 0.5 * Math.log(mixture);
  return Math.min(1, Math.exp(-logEValue));
}

export interface SequentialTestResult {
  pValue: number;
  ciLow: number;
  ciHigh: number;
  halfWidth: number;
}

/**
 * Sequential test of an estimate (e.g. the relative lift) with variance `variance` > 0 at pairwise sample size n.
 * Returns null when the variance is not positive or n < 1.
 */
export function sequentialTest(
  estimate: number,
  variance: number,
  sampleSize: number,
  alpha: number,
  tuningParameter: number = DEFAULT_SEQUENTIAL_TUNING_PARAMETER,
): SequentialTestResult | null {
  if (!(variance > 0) || !(sampleSize >= 1) || !Number.isFinite(estimate) || !Number.isFinite(variance)) return null;
  const rho = sequentialRho(alpha, tuningParameter);
  const halfWidth = sequentialHalfWidth(variance, sampleSize, alpha, rho);
  return {
    pValue: sequentialPValue(estimate, variance, sampleSize, rho),
    ciLow: estimate - halfWidth,
    ciHigh: estimate + halfWidth,
    halfWidth,
  };
}
