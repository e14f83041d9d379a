/**
 * The probability distributions every statistics module uses, written once.
 * Backed by @stdlib (a well-kept numerical library); tails are taken directly
 * (F(-|x|), the upper incomplete gamma) so small p-values keep their precision
 * instead of losing it to 1 − F(x).
 */
import gammainc from '@stdlib/math-base-special-gammainc';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Standard normal CDF Φ(x). */
export function standardNormalCdf(x: number): number {
  return normalCdf(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p). */
export function standardNormalQuantile(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** Two-sided normal p-value 2·(1 − Φ(|z|)), computed as 2·Φ(−|z|). */
export function normalTwoSidedPValue(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
}

/** Student t CDF with (possibly fractional) degrees of freedom. */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  return tCdf(t, degreesOfFreedom);
}

/**
 * The last quantile computed: an A/B comparison asks for the same t_{1−α/2; df} for its absolute (Welch) interval and
 * its decided one (both on Welch's df), and the quantile's series is most of a results request's arithmetic. The
 * answer is the same number either way.
 */
let lastQuantile = { p: Number.NaN, degreesOfFreedom: Number.NaN, value: Number.NaN };

/** Student t quantile t_{p; df}. */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  if (p === lastQuantile.p && degreesOfFreedom === lastQuantile.degreesOfFreedom) return lastQuantile.value;
  const value = tQuantile(p, degreesOfFreedom);
  lastQuantile = { p, degreesOfFreedom, value };
  return value;
}

/** Two-sided t p-value 2·(1 − F_t(|t|; df)), computed as 2·F_t(−|t|; df). */
export function studentTTwoSidedPValue(t: number, degreesOfFreedom: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), degreesOfFreedom));
}

/** Chi-square survival function P(X ≥ x), X ~ χ²(df): the regularized upper incomplete gamma Q(df/2, x/2). */
export function chiSquareSurvival(x: number, degreesOfFreedom: number): number {
  if (x <= 0) return 1;
  return gammainc(x / 2, degreesOfFreedom / 2, true, true);
}
