/**
 * CUPED: regression adjustment with a pre-experiment covariate, as gbstats' RegressionAdjustedStatistic
 * (growthbook/growthbook packages/stats/gbstats/models/statistics.py and models/tests.py), from per-variant
 * sufficient statistics Σy, Σy², Σx, Σx², Σxy, n (y the metric, x the unit's pre-experiment covariate). Deng, Xu,
 * Kohavi & Walker (2013), "Improving the sensitivity of online controlled experiments by utilizing pre-experiment
 * data", WSDM '13. Pure TypeScript: no framework or database imports.
 */
import type { AbTestEffectAnalysis, EffectEstimate, SampleSummary } from 'src/ab-tests/frequentist.stats';

/** One variant's sums of the metric y and its covariate x. */
export interface CovariateSums {
  count: number;
  /** Σy, Σy². */
  sum: number;
  sumSquares: number;
  /** Σx, Σx², Σx·y. */
  covariateSum: number;
  covariateSumSquares: number;
  sumProducts: number;
}

/** gbstats ProportionStatistic (binomial metric and covariate) or SampleMeanStatistic (continuous). */
export type CovariateKind = 'continuous' | 'binomial';

interface Moments {
  count: number;
  mean: number;
  variance: number;
  covariateMean: number;
  covariateVariance: number;
  covariance: number;
}

function variance(kind: CovariateKind, count: number, sum: number, sumSquares: number): number {
  if (count <= 1) return 0;
  const mean = sum / count;
  // gbstats ProportionStatistic.variance p(1 − p); SampleMeanStatistic.variance (Σy² − (Σy)²/n)/(n − 1).
  return kind === 'binomial' ? mean * (1 - mean) : (sumSquares - (sum * sum) / count) / (count - 1);
}

function moments(kind: CovariateKind, sums: CovariateSums): Moments {
  const { count } = sums;
  // gbstats compute_covariance: proportions Σxy/n − Σx·Σy/n², otherwise (Σxy − Σx·Σy/n)/(n − 1).
  const covariance =
    count <= 1
      ? 0
      : kind === 'binomial'
        ? sums.sumProducts / count - (sums.sum * sums.covariateSum) / (count * count)
        : (sums.sumProducts - (sums.sum * sums.covariateSum) / count) / (count - 1);
  return {
    count,
    mean: count > 0 ? sums.sum / count : 0,
    variance: variance(kind, count, sums.sum, sums.sumSquares),
    covariateMean: count > 0 ? sums.covariateSum / count : 0,
    covariateVariance: variance(kind, count, sums.covariateSum, sums.covariateSumSquares),
    covariance,
  };
}

/**
 * θ pooled over the variants given (gbstats compute_theta over the control and one treatment): cov(x, y)/var(x) of
 * their joint sums; 0 when either joint variance is 0 (gbstats then falls back to the unadjusted analysis).
 */
export function pooledTheta(kind: CovariateKind, variants: readonly CovariateSums[]): number {
  const joint = variants.reduce(
    (total, sums) => ({
      count: total.count + sums.count,
      sum: total.sum + sums.sum,
      sumSquares: total.sumSquares + sums.sumSquares,
      covariateSum: total.covariateSum + sums.covariateSum,
      covariateSumSquares: total.covariateSumSquares + sums.covariateSumSquares,
      sumProducts: total.sumProducts + sums.sumProducts,
    }),
    { count: 0, sum: 0, sumSquares: 0, covariateSum: 0, covariateSumSquares: 0, sumProducts: 0 },
  );
  const pooled = moments(kind, joint);
  if (!(pooled.covariateVariance > 0) || !(pooled.variance > 0)) return 0;
  return pooled.covariance / pooled.covariateVariance;
}

/** A variant adjusted with θ: mean ȳ − θx̄ and variance var(y) + θ²var(x) − 2θ·cov(x, y) (RegressionAdjustedStatistic). */
export function adjustedSummary(kind: CovariateKind, sums: CovariateSums, theta: number): SampleSummary {
  const m = moments(kind, sums);
  if (m.count < 2) return { count: m.count, mean: m.count > 0 ? m.mean - theta * m.covariateMean : null, variance: null };
  return {
    count: m.count,
    mean: m.mean - theta * m.covariateMean,
    variance: m.variance + theta * theta * m.covariateVariance - 2 * theta * m.covariance,
  };
}

export interface CupedComparison {
  theta: number;
  /** The adjusted variants (their variances feed Welch's df, as in gbstats). */
  treatment: SampleSummary;
  control: SampleSummary;
  relative: EffectEstimate | null;
  absolute: EffectEstimate | null;
}

/**
 * One treatment against the control with CUPED: θ pooled over the pair; absolute effect Δ of the adjusted means with
 * var_t/n_t + var_c/n_c; relative effect Δ/|ȳ_c| (the unadjusted control mean) with gbstats'
 * frequentist_variance_relative_cuped, which keeps the control's cov(x, y) term the plain delta method drops.
 */
export function cupedComparison(kind: CovariateKind, treatmentSums: CovariateSums, controlSums: CovariateSums): CupedComparison {
  const theta = pooledTheta(kind, [controlSums, treatmentSums]);
  const treatment = adjustedSummary(kind, treatmentSums, theta);
  const control = adjustedSummary(kind, controlSums, theta);
  const t = moments(kind, treatmentSums);
  const c = moments(kind, controlSums);
  const usable = treatment.variance !== null && control.variance !== null && treatment.mean !== null && control.mean !== null;
  const absolute = usable
    ? checked(
        (treatment.mean as number) - (control.mean as number),
        (treatment.variance as number) / t.count + (control.variance as number) / c.count,
      )
    : null;
  let relative: EffectEstimate | null = null;
  if (usable && c.mean !== 0) {
    // gbstats models/tests.py frequentist_variance_relative_cuped:
    // [var_t(adj)]/(n_t·ȳ_c²) + [var_y,c·ȳ_t²/ȳ_c² − 2θ·cov_c·ȳ_t/ȳ_c + θ²·var_x,c]/(n_c·ȳ_c²).
    const treatmentPart = (treatment.variance as number) / (t.count * c.mean * c.mean);
    const controlPart =
      ((c.variance * t.mean * t.mean) / (c.mean * c.mean) -
        (2 * theta * c.covariance * t.mean) / c.mean +
        theta * theta * c.covariateVariance) /
      (c.count * c.mean * c.mean);
    relative = checked(((treatment.mean as number) - (control.mean as number)) / Math.abs(c.mean), treatmentPart + controlPart);
  }
  return { theta, treatment, control, relative, absolute };
}

/** 1 − Var_CUPED/Var_unadjusted of the estimate: the share of its variance the covariate removed. */
export function varianceReduction(adjusted: EffectEstimate | null, unadjusted: EffectEstimate | null): number | null {
  if (adjusted === null || unadjusted === null || !(unadjusted.variance > 0)) return null;
  return 1 - adjusted.variance / unadjusted.variance;
}

/** The estimate of the given analysis. */
export function cupedEffect(comparison: CupedComparison, analysis: AbTestEffectAnalysis): EffectEstimate | null {
  return analysis === 'relative' ? comparison.relative : comparison.absolute;
}

function checked(estimate: number, varianceOfEstimate: number): EffectEstimate | null {
  return Number.isFinite(estimate) && Number.isFinite(varianceOfEstimate) && varianceOfEstimate > 0
    ? { estimate, variance: varianceOfEstimate }
    : null;
}
