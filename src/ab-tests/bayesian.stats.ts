/**
 * The Bayesian engine: gbstats' EffectBayesianABTest (packages/stats/gbstats/bayesian/tests.py), reimplemented. The
 * data likelihood of the effect (relative or absolute, the same estimate and variance as the frequentist test) is
 * Gaussian; the prior on the effect is improper (flat) by default or a proper Gaussian N(mean, variance). Pure
 * TypeScript: no framework or database imports.
 */
import type { EffectEstimate } from 'src/ab-tests/frequentist.stats';
import { standardNormalCdf, standardNormalQuantile } from 'src/common/stats/distributions';

/** A proper Gaussian prior on the effect, in the units of the prior's scale (relative by default, as gbstats). */
export interface GaussianPrior {
  mean: number;
  /** > 0. */
  variance: number;
}

export interface BayesianEffectResult {
  /** Posterior mean of the effect. */
  expected: number;
  /** Posterior standard deviation. */
  stdDev: number;
  /** P(effect > 0 | data), or P(effect < 0) for a lower-is-better metric. */
  chanceToWin: number;
  /** Equal-tailed (1 − α) credible interval. */
  ciLow: number;
  ciHigh: number;
  /** Expected loss of choosing the control: E[max(effect, 0)] (lower-is-better: E[max(−effect, 0)]). */
  riskControl: number;
  /** Expected loss of choosing the treatment: E[max(−effect, 0)] (lower-is-better: E[max(effect, 0)]). */
  riskTreatment: number;
}

/** Standard normal density φ(x). */
function standardNormalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * A prior on the relative effect moved to the absolute scale (gbstats EffectBayesianABTest, prior_type "relative"
 * with difference_type "absolute"): mean·|μ_c|, variance·μ_c².
 */
export function priorOnAbsoluteScale(prior: GaussianPrior, controlMean: number): GaussianPrior {
  return { mean: prior.mean * Math.abs(controlMean), variance: prior.variance * controlMean * controlMean };
}

/**
 * Posterior of the effect from its Gaussian likelihood N(estimate, variance) and the prior; null when the likelihood
 * is undefined (no data, zero variance, control mean 0 for a relative effect).
 */
export function gaussianEffectPosterior(
  data: EffectEstimate | null,
  prior: GaussianPrior | null,
  alpha: number,
  lowerIsBetter = false,
): BayesianEffectResult | null {
  if (data === null) return null;
  // Conjugate normal update (gbstats EffectBayesianABTest.compute_result): precision 1/v + 1/v₀, mean (m/v + m₀/v₀)/precision;
  // with the improper prior the posterior is the likelihood itself.
  const precision = 1 / data.variance + (prior !== null ? 1 / prior.variance : 0);
  const expected = prior !== null ? (data.estimate / data.variance + prior.mean / prior.variance) / precision : data.estimate;
  const stdDev = Math.sqrt(1 / precision);
  const z = expected / stdDev;
  // gbstats chance_to_win: norm.sf(0, μ, σ) = Φ(μ/σ); credible interval norm.ppf([α/2, 1 − α/2], μ, σ).
  const probabilityPositive = standardNormalCdf(z);
  const quantile = standardNormalQuantile(1 - alpha / 2);
  // gbstats get_risk via truncated-normal means: E[X·1(X > 0)] = μΦ(μ/σ) + σφ(μ/σ); E[−X·1(X < 0)] = σφ(μ/σ) − μΦ(−μ/σ).
  const gain = expected * probabilityPositive + stdDev * standardNormalPdf(z);
  const loss = stdDev * standardNormalPdf(z) - expected * standardNormalCdf(-z);
  return {
    expected,
    stdDev,
    chanceToWin: lowerIsBetter ? 1 - probabilityPositive : probabilityPositive,
    ciLow: expected - quantile * stdDev,
    ciHigh: expected + quantile * stdDev,
    riskControl: lowerIsBetter ? loss : gain,
    riskTreatment: lowerIsBetter ? gain : loss,
  };
}
