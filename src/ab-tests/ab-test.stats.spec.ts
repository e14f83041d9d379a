import {
  AbTestAnalysis,
  AbTestAnalysisInput,
  AbTestInputError,
  AbTestVariantInput,
  analyzeAbTest,
  recommend,
} from 'src/ab-tests/ab-test.stats';
import { validateAbTestAnalysisInput, validateVariantAggregates } from 'src/ab-tests/ab-test-validation.policy';
import {
  requiredSampleSizePerVariant,
  sampleRatioMismatch,
  sampleRatioMismatchPValue,
  sampleSizeProgress,
} from 'src/ab-tests/planning.stats';
import {
  absoluteEffect,
  centeredSumOfSquares,
  chanceToBeatControl,
  holmBonferroni,
  mergeCenteredSumSquares,
  relativeEffect,
  relativeLiftVariance,
  sampleMean,
  sampleVariance,
  summarizeSample,
  tConfidenceInterval,
  welchDegreesOfFreedom,
  welchTTest,
} from 'src/ab-tests/frequentist.stats';
import { TEST_ANALYSIS_SETTINGS } from 'test/support/ab-test-settings';

/*
 * Every expected number below was computed independently with python3 + numpy 2.4 + scipy 1.17 (never with this
 * code). The snippet beside each value uses these shared definitions:
 *
 *   import numpy as np, scipy.stats as st, math
 *   C = np.array(CONTROL); T = np.array(TREATMENT)          # the literal arrays CONTROL / TREATMENT below
 *   def binary(n, k): return np.r_[np.ones(k), np.zeros(n - k)]
 *   def welch_df(t, c):
 *       a, b = t.var(ddof=1) / len(t), c.var(ddof=1) / len(c)
 *       return (a + b)**2 / (a**2 / (len(t) - 1) + b**2 / (len(c) - 1))
 *   def delta(t, c):  # delta-method relative lift and its variance
 *       mt, mc, vt, vc = t.mean(), c.mean(), t.var(ddof=1), c.var(ddof=1)
 *       return (mt - mc) / abs(mc), vt / (mc**2 * len(t)) + vc * mt**2 / (mc**4 * len(c))
 *   def rel_ci(t, c, alpha):
 *       d, v = delta(t, c); q = st.t.ppf(1 - alpha / 2, welch_df(t, c)); return d - q*np.sqrt(v), d + q*np.sqrt(v)
 *   def seq(est, var, n, alpha=0.05, N=5000):  # gbstats SequentialTwoSidedTTest, transcribed
 *       rho = np.sqrt((-2 * np.log(alpha) + np.log(-2 * np.log(alpha) + 1)) / N)
 *       hw = np.sqrt(var * n) * np.sqrt(2 * (n * rho**2 + 1) * np.log(np.sqrt(n * rho**2 + 1) / alpha) / (n * rho)**2)
 *       st2 = est**2 * n / var; tr2p1 = n * rho**2 + 1
 *       return min(1 / (np.exp(rho**2 * st2 / (2 * tr2p1)) / np.sqrt(tr2p1)), 1), est - hw, est + hw
 *   def holm(p):  # statsmodels multipletests(method='holm'), written out
 *       p = np.asarray(p); o = np.argsort(p); m = len(p)
 *       adj = np.minimum(1, np.maximum.accumulate(p[o] * np.arange(m, 0, -1))); out = np.empty(m); out[o] = adj
 *       return out
 *   def n_binary(p, mde, alpha, power, k):
 *       a = alpha / (k - 1); pt = p * (1 + mde)
 *       return math.ceil((st.norm.ppf(1 - a/2) + st.norm.ppf(power))**2 * (p*(1-p) + pt*(1-pt)) / (mde*p)**2)
 *   def n_cont(mu, sd, mde, alpha, power, k):
 *       a = alpha / (k - 1)
 *       return math.ceil((st.norm.ppf(1 - a/2) + st.norm.ppf(power))**2 * 2 * sd**2 / (mde*mu)**2)
 */

const CONTROL = [
  9.37, 8.45, 10.45, 4.63, 10.85, 9.03, 7.82, 10.3, 4.15, 9.52, 7.81, 11.23, 11.33, 7.22, 7.2, 5.59, 7.64, 10.96, 12.57, 10.69, 10.1, 7.4,
  10.59, 7.55, 10.72,
];
const TREATMENT = [
  10.69, 14.92, 12.31, 16.98, 9.87, 14.52, 12.4, 18.29, 3.65, 15.0, 7.41, 8.03, 11.43, 5.46, 6.72, 9.48, 10.21, 3.89, 8.01, 10.92, 10.97,
  8.85, 11.48, 9.45, 16.19, 8.26, 11.74, 9.54, 14.92, 7.61,
];

/** Sufficient statistics of raw values, as the service accumulates them. */
function aggregate(values: readonly number[]): { count: number; sum: number; sumSquares: number } {
  let sum = 0;
  let sumSquares = 0;
  for (const value of values) {
    sum += value;
    sumSquares += value * value;
  }
  return { count: values.length, sum, sumSquares };
}

/** A binary metric: k successes out of n. */
function binaryAggregate(count: number, successes: number): { count: number; sum: number; sumSquares: number } {
  return { count, sum: successes, sumSquares: successes };
}

function variant(
  name: string,
  stats: { count: number; sum: number; sumSquares: number },
  weight = 1,
  modelVersion: string | null = null,
): AbTestVariantInput {
  return { name, modelVersion, weight, ...stats };
}

function input(overrides: Partial<AbTestAnalysisInput> & Pick<AbTestAnalysisInput, 'variants'>): AbTestAnalysisInput {
  return {
    ...TEST_ANALYSIS_SETTINGS,
    metricType: 'continuous',
    ...overrides,
  };
}

/** |actual − expected| ≤ tolerance·|expected| (relative tolerance, 1e-9 unless stated). */
function expectRelativeClose(actual: number | null | undefined, expected: number, tolerance = 1e-9): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

/** Every number anywhere in the result is finite (JSON-safe: no NaN, no ±Infinity, no undefined values). */
function expectJsonSafe(value: unknown, path = 'analysis'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}`);
  } else if (value === undefined) {
    throw new Error(`${path} is undefined`);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => expectJsonSafe(item, `${path}[${index}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) expectJsonSafe(item, `${path}.${key}`);
  }
}

function analyze(analysisInput: AbTestAnalysisInput): AbTestAnalysis {
  const analysis = analyzeAbTest(analysisInput);
  expectJsonSafe(analysis);
  expect(JSON.parse(JSON.stringify(analysis))).toEqual(analysis);
  return analysis;
}

// ───────────────────────────── Building blocks ─────────────────────────────

describe('sample statistics from sufficient statistics', () => {
  it('mean and ddof=1 variance equal numpy on the raw values', () => {
    const control = aggregate(CONTROL);
    expectRelativeClose(sampleMean(control.count, control.sum), 8.9268); // C.mean()
    // C.std(ddof=1) == 2.1824025751451086
    expectRelativeClose(Math.sqrt(sampleVariance(control.count, control.sum, control.sumSquares)!), 2.1824025751451086);
    const treatment = aggregate(TREATMENT);
    // T.std(ddof=1) == 3.678547314474504
    expectRelativeClose(Math.sqrt(sampleVariance(treatment.count, treatment.sum, treatment.sumSquares)!), 3.678547314474504);
  });

  it('binary variance uses n − 1 too', () => {
    // binary(2000, 240).std(ddof=1) == 0.3250428070473282
    expectRelativeClose(Math.sqrt(sampleVariance(2000, 240, 240)!), 0.3250428070473282);
  });

  it('is null when undefined and clamps floating-point noise to 0', () => {
    expect(sampleMean(0, 0)).toBeNull();
    expect(sampleVariance(0, 0, 0)).toBeNull();
    expect(sampleVariance(1, 3, 9)).toBeNull();
    expect(sampleMean(1, 3)).toBe(3);
    const tenths = aggregate(Array<number>(10).fill(0.1)); // naive Σx² − (Σx)²/n is 5.6e-17 here, not 0
    expect(tenths.sumSquares - (tenths.sum * tenths.sum) / tenths.count).toBeGreaterThan(0);
    expect(sampleVariance(tenths.count, tenths.sum, tenths.sumSquares)).toBe(0);
    const many = aggregate(Array<number>(100000).fill(0.3)); // the error grows with n: ≈ +4.5e-12·Σx² here
    expect(many.sumSquares - (many.sum * many.sum) / many.count).toBeGreaterThan(1e-12 * many.sumSquares);
    expect(sampleVariance(many.count, many.sum, many.sumSquares)).toBe(0);
    expect(sampleVariance(4, 2, 0.9999999999999999)).toBe(0); // negative from rounding
    expect(sampleVariance(100, 0, 0)).toBe(0);
    expect(sampleVariance(100, 100, 100)).toBe(0);
  });
});

describe('Welch t-test', () => {
  const control = summarizeSample(aggregate(CONTROL).count, aggregate(CONTROL).sum, aggregate(CONTROL).sumSquares);
  const treatment = summarizeSample(aggregate(TREATMENT).count, aggregate(TREATMENT).sum, aggregate(TREATMENT).sumSquares);

  it('equals scipy.stats.ttest_ind(T, C, equal_var=False) on continuous data', () => {
    const result = welchTTest(treatment, control, 0.05)!;
    expectRelativeClose(result.absoluteEffect, 1.713200000000002); // T.mean() - C.mean()
    expectRelativeClose(result.tStatistic, 2.1388743862084065); // st.ttest_ind(T, C, equal_var=False).statistic
    expectRelativeClose(result.pValue, 0.0375326720592903); // st.ttest_ind(T, C, equal_var=False).pvalue
    expectRelativeClose(result.degreesOfFreedom, 48.26665240658434); // st.ttest_ind(T, C, equal_var=False).df
    // r = st.ttest_ind(T, C, equal_var=False); r.confidence_interval(0.95) == (0.10294746116678954, 3.323452538833215)
    expectRelativeClose(result.ciLow, 0.10294746116678954);
    expectRelativeClose(result.ciHigh, 3.323452538833215);
  });

  it('uses t_{1−α/2; df} for other α', () => {
    const result = welchTTest(treatment, control, 0.1)!;
    // r.confidence_interval(0.90) == (0.3699195517134075, 3.056480448286597)
    expectRelativeClose(result.ciLow, 0.3699195517134075);
    expectRelativeClose(result.ciHigh, 3.056480448286597);
  });

  it('Welch–Satterthwaite degrees of freedom', () => {
    // welch_df(T, C) == 48.26665240658434
    expectRelativeClose(welchDegreesOfFreedom(treatment.variance!, 30, control.variance!, 25), 48.26665240658434);
    // welch_df(binary(2000, 290), binary(2000, 240)) == 3972.550751420027
    expectRelativeClose(
      welchDegreesOfFreedom(sampleVariance(2000, 290, 290)!, 2000, sampleVariance(2000, 240, 240)!, 2000),
      3972.550751420027,
    );
  });

  it('equals scipy on binary data', () => {
    const result = welchTTest(summarizeSample(2000, 290, 290), summarizeSample(2000, 240, 240), 0.05)!;
    // r = st.ttest_ind(binary(2000, 290), binary(2000, 240), equal_var=False)
    expectRelativeClose(result.tStatistic, 2.3328354659337567); // r.statistic
    expectRelativeClose(result.pValue, 0.019706459525619828); // r.pvalue
    expectRelativeClose(result.degreesOfFreedom, 3972.5507514200276); // r.df
    expectRelativeClose(result.ciLow, 0.003989502712380254); // r.confidence_interval(0.95).low
    expectRelativeClose(result.ciHigh, 0.04601049728761973); // r.confidence_interval(0.95).high
  });

  it('keeps precision for tiny p-values', () => {
    const result = welchTTest(summarizeSample(20000, 2600, 2600), summarizeSample(20000, 2000, 2000), 0.05)!;
    // st.ttest_ind(binary(20000, 2600), binary(20000, 2000), equal_var=False).pvalue == 5.028684904910353e-21
    expectRelativeClose(result.pValue, 5.028684904910353e-21);
    expectRelativeClose(result.degreesOfFreedom, 39487.18889496789); // ... .df
  });

  it('is null with n < 2 on a side or zero standard error', () => {
    expect(welchTTest(summarizeSample(1, 5, 25), summarizeSample(10, 50, 260), 0.05)).toBeNull();
    expect(welchTTest(summarizeSample(0, 0, 0), summarizeSample(10, 50, 260), 0.05)).toBeNull();
    expect(welchTTest(summarizeSample(10, 60, 360), summarizeSample(10, 50, 250), 0.05)).toBeNull();
  });
});

describe('relative lift (delta method)', () => {
  const control = summarizeSample(aggregate(CONTROL).count, aggregate(CONTROL).sum, aggregate(CONTROL).sumSquares);
  const treatment = summarizeSample(aggregate(TREATMENT).count, aggregate(TREATMENT).sum, aggregate(TREATMENT).sumSquares);

  it('matches numpy', () => {
    expectRelativeClose(relativeEffect(treatment.mean, control.mean)!, 0.19191647622888405); // delta(T, C)[0]
    expectRelativeClose(relativeLiftVariance(treatment, control)!, 0.009056790393008177); // delta(T, C)[1]
    // rel_ci(T, C, 0.05) == (0.0005973605173687779, 0.38323559194039936)
    const [low, high] = tConfidenceInterval(0.19191647622888405, 0.009056790393008177, 48.26665240658434, 0.05);
    expectRelativeClose(low, 0.0005973605173687779);
    expectRelativeClose(high, 0.38323559194039936);
  });

  it('divides by |μ_c| so a negative control keeps the sign of Δ', () => {
    expect(relativeEffect(-8, -10)).toBeCloseTo(0.2, 15);
    expect(relativeEffect(-12, -10)).toBeCloseTo(-0.2, 15);
    expect(absoluteEffect(-8, -10)).toBe(2);
  });

  it('is null when the control mean is 0 or a mean is missing', () => {
    expect(relativeEffect(0.05, 0)).toBeNull();
    expect(relativeEffect(null, 1)).toBeNull();
    expect(relativeLiftVariance(summarizeSample(100, 5, 5), summarizeSample(100, 0, 0))).toBeNull();
    expect(relativeLiftVariance(summarizeSample(1, 5, 25), summarizeSample(100, 50, 50))).toBeNull();
  });

  it('chance to beat control is Φ(Δ_r/√Var_r)', () => {
    // st.norm.cdf(delta(T, C)[0] / np.sqrt(delta(T, C)[1])) == 0.9781326582535168
    expectRelativeClose(chanceToBeatControl(0.19191647622888405, 0.009056790393008177), 0.9781326582535168, 1e-12);
    expect(chanceToBeatControl(0, 1)).toBe(0.5);
  });
});

describe('holmBonferroni', () => {
  it('equals the manual Holm computation for three p-values', () => {
    // holm([0.0013914193024238276, 0.051292986720656394, 0.3107939824402082])
    const adjusted = holmBonferroni([0.0013914193024238276, 0.051292986720656394, 0.3107939824402082]);
    expectRelativeClose(adjusted[0]!, 0.0041742579072714826, 1e-15);
    expectRelativeClose(adjusted[1]!, 0.10258597344131279, 1e-15);
    expectRelativeClose(adjusted[2]!, 0.3107939824402082, 1e-15);
  });

  it('applies the monotonicity step (running max) and the cap at 1, in input order', () => {
    expect(holmBonferroni([0.02, 0.025, 0.026, 0.6])).toEqual([0.08, 0.08, 0.08, 0.6]); // holm([.02,.025,.026,.6])
    expect(holmBonferroni([0.4, 0.5, 0.9])).toEqual([1, 1, 1]); // holm([0.4, 0.5, 0.9])
    expect(holmBonferroni([0.03, 0.01])).toEqual([0.03, 0.02]); // holm([0.03, 0.01])
    expect(holmBonferroni([0.04])).toEqual([0.04]);
    expect(holmBonferroni([])).toEqual([]);
  });

  it('leaves null p-values null and out of the family size', () => {
    expect(holmBonferroni([null, 0.01, null, 0.03])).toEqual([null, 0.02, null, 0.03]); // holm([0.01, 0.03])
    expect(holmBonferroni([null])).toEqual([null]);
  });
});

describe('sample ratio mismatch', () => {
  it('equals scipy.stats.chisquare', () => {
    // st.chisquare([1000, 1100], [1050, 1050]).pvalue == 0.029096331741252267
    expectRelativeClose(sampleRatioMismatchPValue([1000, 1100], [0.5, 0.5])!, 0.029096331741252267);
    // c = np.array([5120, 2460, 2420]); st.chisquare(c, c.sum() * np.array([2, 1, 1]) / 4).pvalue
    expectRelativeClose(sampleRatioMismatchPValue([5120, 2460, 2420], [0.5, 0.25, 0.25])!, 0.047834889494198375);
    // st.chisquare([2000, 2300], [2150, 2150]).pvalue == 4.763175554746923e-06
    expectRelativeClose(sampleRatioMismatchPValue([2000, 2300], [0.5, 0.5])!, 4.763175554746923e-6);
    expect(sampleRatioMismatchPValue([500, 500], [0.5, 0.5])).toBe(1);
  });

  it("flags p < 0.001 once the total reaches 8 per variant (GrowthBook's rule)", () => {
    expect(sampleRatioMismatch([2000, 2300], [0.5, 0.5]).detected).toBe(true);
    expect(sampleRatioMismatch([1000, 1100], [0.5, 0.5]).detected).toBe(false);
    // The case: 100 vs 5 on 1:1, st.chisquare([100, 5], [52.5, 52.5]).pvalue == 1.843211445074672e-20
    const glaring = sampleRatioMismatch([100, 5], [0.5, 0.5]);
    expectRelativeClose(glaring.pValue, 1.843211445074672e-20, 1e-6);
    expect(glaring.detected).toBe(true);
    // st.chisquare([0, 40], [20, 20]).pvalue ≈ 2.5e-10: total 40 ≥ 16, flagged although the control has 0 units
    expect(sampleRatioMismatch([0, 40], [0.5, 0.5]).detected).toBe(true);
    // st.chisquare([0, 15], [7.5, 7.5]).pvalue == 0.00010751117672950066 < 0.001, but the total 15 < 8·2
    const sparse = sampleRatioMismatch([0, 15], [0.5, 0.5]);
    expect(sparse.pValue!).toBeLessThan(0.001);
    expect(sparse.detected).toBe(false);
  });

  it('handles no data and zero-weight variants', () => {
    expect(sampleRatioMismatch([0, 0], [0.5, 0.5])).toEqual({ pValue: null, detected: false });
    expect(sampleRatioMismatchPValue([100, 0, 100], [0.5, 0, 0.5])).toBe(1);
    expect(sampleRatioMismatchPValue([100, 3, 100], [0.5, 0, 0.5])).toBe(0);
  });
});

describe('required sample size', () => {
  const base = {
    alpha: 0.05,
    power: 0.8,
    baselineRate: null,
    baselineMean: null,
    baselineStdDev: null,
  };

  it('binary: equals the normal-approximation formula with scipy.stats.norm.ppf', () => {
    const binary = { ...base, metricType: 'binary' as const };
    // n_binary(0.1, 0.1, 0.05, 0.8, 2) == 14749  (unrounded 14748.045020841932)
    expect(requiredSampleSizePerVariant({ ...binary, baselineRate: 0.1, minimumDetectableEffect: 0.1, variantCount: 2 })).toBe(14749);
    // n_binary(0.1, 0.1, 0.05, 0.8, 4) == 19672  (α' = 0.05/3; unrounded 19671.46529484598)
    expect(requiredSampleSizePerVariant({ ...binary, baselineRate: 0.1, minimumDetectableEffect: 0.1, variantCount: 4 })).toBe(19672);
    // n_binary(0.3, -0.2, 0.01, 0.9, 3) == 1823  (unrounded 1822.1017735411278)
    expect(
      requiredSampleSizePerVariant({
        ...binary,
        alpha: 0.01,
        power: 0.9,
        baselineRate: 0.3,
        minimumDetectableEffect: -0.2,
        variantCount: 3,
      }),
    ).toBe(1823);
  });

  it('continuous: σ_c = σ_t = baselineStdDev', () => {
    const continuous = { ...base, metricType: 'continuous' as const, baselineMean: 10, baselineStdDev: 3 };
    // n_cont(10, 3, 0.05, 0.05, 0.8, 2) == 566  (unrounded 565.1193408731343)
    expect(requiredSampleSizePerVariant({ ...continuous, minimumDetectableEffect: 0.05, variantCount: 2 })).toBe(566);
    // n_cont(10, 3, 0.05, 0.05, 0.8, 3) == 685  (unrounded 684.3626456541717)
    expect(requiredSampleSizePerVariant({ ...continuous, minimumDetectableEffect: 0.05, variantCount: 3 })).toBe(685);
    // n_cont(-4, 2.5, 0.1, 0.1, 0.9, 2) == 670  (unrounded 669.0505742709353)
    expect(
      requiredSampleSizePerVariant({
        ...continuous,
        alpha: 0.1,
        power: 0.9,
        baselineMean: -4,
        baselineStdDev: 2.5,
        minimumDetectableEffect: 0.1,
        variantCount: 2,
      }),
    ).toBe(670);
  });

  it('is null without a baseline, and progress is the minimum count/required', () => {
    expect(requiredSampleSizePerVariant({ ...base, metricType: 'binary', minimumDetectableEffect: 0.1, variantCount: 2 })).toBeNull();
    expect(
      requiredSampleSizePerVariant({
        ...base,
        metricType: 'continuous',
        baselineMean: 10,
        minimumDetectableEffect: 0.1,
        variantCount: 2,
      }),
    ).toBeNull();
    expect(sampleSizeProgress([500, 250, 1000], 1000)).toBe(0.25);
    expect(sampleSizeProgress([500, 250], null)).toBeNull();
  });
});

describe('recommend', () => {
  const common = { counts: [1000, 1000], minSamplesPerVariant: 100, srmDetected: false, requiredPerVariant: 5000 };
  const comparison = (significant: boolean, relative: number | null, absolute: number | null, name = 'B') => ({
    variant: name,
    significant,
    relativeEffect: relative,
    absoluteEffect: absolute,
  });

  it('applies the rules in priority order', () => {
    expect(recommend({ ...common, counts: [1000, 99], comparisons: [comparison(true, 0.1, 0.01)] })).toEqual({
      recommendation: 'insufficient_data',
    });
    expect(recommend({ ...common, srmDetected: true, comparisons: [comparison(true, 0.1, 0.01)] })).toEqual({
      recommendation: 'srm_detected',
    });
    expect(recommend({ ...common, comparisons: [comparison(true, 0.1, 0.01)] })).toEqual({
      recommendation: 'ship_variant',
      winner: 'B',
    });
    expect(recommend({ ...common, comparisons: [comparison(true, -0.1, -0.01)] })).toEqual({
      recommendation: 'keep_control',
    });
    expect(recommend({ ...common, requiredPerVariant: 1000, comparisons: [comparison(false, 0.1, 0.01)] })).toEqual({
      recommendation: 'no_difference',
    });
    expect(recommend({ ...common, comparisons: [comparison(false, 0.1, 0.01)] })).toEqual({
      recommendation: 'continue',
    });
    expect(recommend({ ...common, requiredPerVariant: null, comparisons: [comparison(false, 0.1, 0.01)] })).toEqual({
      recommendation: 'continue',
    });
  });

  it('picks the largest positive relative effect, falling back to the absolute effect', () => {
    const counts = [1000, 1000, 1000, 1000];
    expect(
      recommend({
        ...common,
        counts,
        comparisons: [comparison(true, 0.1, 0.01, 'B'), comparison(true, 0.3, 0.03, 'C'), comparison(false, 0.5, 0.05, 'D')],
      }),
    ).toEqual({ recommendation: 'ship_variant', winner: 'C' });
    expect(
      recommend({
        ...common,
        counts,
        comparisons: [comparison(true, null, 0.2, 'B'), comparison(true, null, 0.1, 'C'), comparison(true, null, -0.3, 'D')],
      }),
    ).toEqual({ recommendation: 'ship_variant', winner: 'B' });
    expect(
      recommend({
        ...common,
        counts,
        comparisons: [comparison(true, -0.1, -1, 'B'), comparison(false, 0.2, 2, 'C'), comparison(true, -0.2, -2, 'D')],
      }),
    ).toEqual({ recommendation: 'keep_control' });
  });
});

describe('validation', () => {
  it('accepts consistent aggregates', () => {
    expect(validateVariantAggregates('binary', binaryAggregate(100, 12))).toEqual([]);
    expect(validateVariantAggregates('binary', binaryAggregate(0, 0))).toEqual([]);
    expect(validateVariantAggregates('continuous', aggregate(CONTROL))).toEqual([]);
    expect(validateVariantAggregates('continuous', { count: 0, sum: 0, sumSquares: 0 })).toEqual([]);
  });

  it('reports binary aggregates that cannot come from 0/1 data', () => {
    expect(validateVariantAggregates('binary', { count: 10, sum: 11, sumSquares: 11 })).toEqual([
      { field: 'sum', message: 'must be an integer number of successes in [0, count]' },
    ]);
    expect(validateVariantAggregates('binary', { count: 10, sum: -1, sumSquares: -1 }).map((p) => p.field)).toEqual(['sum']);
    expect(validateVariantAggregates('binary', { count: 10, sum: 2.5, sumSquares: 2.5 }).map((p) => p.field)).toEqual(['sum']);
    expect(validateVariantAggregates('binary', { count: 10, sum: 4, sumSquares: 5 }).map((p) => p.field)).toEqual(['sumSquares']);
  });

  it('reports impossible continuous aggregates', () => {
    expect(validateVariantAggregates('continuous', { count: 1.5, sum: 1, sumSquares: 1 }).map((p) => p.field)).toEqual(['count']);
    expect(validateVariantAggregates('continuous', { count: 3, sum: Number.NaN, sumSquares: 1 }).map((p) => p.field)).toEqual(['sum']);
    expect(validateVariantAggregates('continuous', { count: 3, sum: 3, sumSquares: -1 }).map((p) => p.field)).toContain('sumSquares');
    expect(validateVariantAggregates('continuous', { count: 2, sum: 10, sumSquares: 10 }).map((p) => p.field)).toEqual(['sumSquares']);
    expect(validateVariantAggregates('continuous', { count: 0, sum: 1, sumSquares: 1 }).map((p) => p.field)).toEqual(['count']);
  });

  it('reports input-level problems with field paths', () => {
    const problems = validateAbTestAnalysisInput(
      input({
        metricType: 'binary',
        alpha: 0,
        power: 1,
        minimumDetectableEffect: 0,
        baselineRate: 1.5,
        baselineStdDev: -1,
        minSamplesPerVariant: -1,
        variants: [variant('A', binaryAggregate(10, 1), -1), variant('A', { count: 10, sum: 3, sumSquares: 4 })],
      }),
    );
    expect(problems.map((problem) => problem.field)).toEqual([
      'alpha',
      'power',
      'minimumDetectableEffect',
      'baselineRate',
      'baselineStdDev',
      'minSamplesPerVariant',
      'variants[0].weight',
      'variants[1].name',
      'variants[1].sumSquares',
    ]);
    expect(validateAbTestAnalysisInput(input({ variants: [variant('A', aggregate(CONTROL))] }))).toEqual([
      { field: 'variants', message: 'must list the control and at least one treatment' },
    ]);
    expect(
      validateAbTestAnalysisInput(input({ variants: [variant('A', aggregate(CONTROL), 0), variant('B', aggregate(TREATMENT), 0)] })),
    ).toEqual([{ field: 'variants', message: 'weights must have a positive sum' }]);
    expect(
      validateAbTestAnalysisInput(
        input({
          metricType: 'binary',
          baselineRate: 0.8,
          minimumDetectableEffect: 0.5,
          variants: [variant('A', binaryAggregate(10, 1)), variant('B', binaryAggregate(10, 2))],
        }),
      ).map((problem) => problem.field),
    ).toEqual(['minimumDetectableEffect']);
  });

  it('analyzeAbTest throws AbTestInputError listing the problems', () => {
    const invalid = input({
      alpha: 2,
      variants: [variant('A', aggregate(CONTROL)), variant('B', aggregate(TREATMENT))],
    });
    expect(() => analyzeAbTest(invalid)).toThrow(AbTestInputError);
    try {
      analyzeAbTest(invalid);
    } catch (error) {
      expect((error as AbTestInputError).problems).toEqual([{ field: 'alpha', message: 'must be in (0, 1)' }]);
    }
  });
});

// ───────────────────────────── The analysis ─────────────────────────────

describe('analyzeAbTest: continuous metric', () => {
  // analysis 'absolute': the p-value is scipy's Welch test of μ_t − μ_c
  const analysisInput = input({
    analysis: 'absolute',
    variants: [variant('control', aggregate(CONTROL), 1, 'model-v1'), variant('candidate', aggregate(TREATMENT), 1, 'model-v2')],
  });

  it('reports every comparison field as scipy does', () => {
    const analysis = analyze(analysisInput);
    expect(analysis.control).toBe('control');
    const [control, candidate] = analysis.variants;
    expect(control).toMatchObject({ name: 'control', modelVersion: 'model-v1', weight: 0.5, count: 25 });
    expect(candidate).toMatchObject({ name: 'candidate', modelVersion: 'model-v2', weight: 0.5, count: 30 });
    expectRelativeClose(control.mean, 8.9268); // C.mean()
    expectRelativeClose(candidate.mean, 10.640000000000002); // T.mean()
    expectRelativeClose(control.stdDev, 2.1824025751451086); // C.std(ddof=1)
    expectRelativeClose(candidate.stdDev, 3.678547314474504); // T.std(ddof=1)
    expectRelativeClose(control.observedShare, 25 / 55);
    expectRelativeClose(candidate.observedShare, 30 / 55);

    expect(analysis.comparisons).toHaveLength(1);
    const comparison = analysis.comparisons[0];
    expect(comparison.variant).toBe('candidate');
    expectRelativeClose(comparison.absoluteEffect, 1.713200000000002); // T.mean() - C.mean()
    // r = st.ttest_ind(T, C, equal_var=False)
    expectRelativeClose(comparison.absoluteCiLow, 0.10294746116678954); // r.confidence_interval(0.95).low
    expectRelativeClose(comparison.absoluteCiHigh, 3.323452538833215); // r.confidence_interval(0.95).high
    expectRelativeClose(comparison.pValue, 0.0375326720592903); // r.pvalue
    expectRelativeClose(comparison.adjustedPValue, 0.0375326720592903); // one comparison: Holm = raw p
    expectRelativeClose(comparison.degreesOfFreedom, 48.26665240658434); // r.df
    expect(comparison.significant).toBe(true);
    expectRelativeClose(comparison.relativeEffect, 0.19191647622888405); // delta(T, C)[0]
    expectRelativeClose(comparison.relativeCiLow, 0.0005973605173687779); // rel_ci(T, C, 0.05)[0]
    expectRelativeClose(comparison.relativeCiHigh, 0.38323559194039936); // rel_ci(T, C, 0.05)[1]
    expectRelativeClose(comparison.chanceToBeatControl, 0.9781326582535168); // st.norm.cdf(d / np.sqrt(v))
    expect(comparison).not.toHaveProperty('sequentialPValue');
    expect(comparison).not.toHaveProperty('sequentialRelativeCiLow');

    // st.chisquare([25, 30], [27.5, 27.5]).pvalue == 0.5001842570707943
    expectRelativeClose(analysis.srm.pValue, 0.5001842570707943);
    expect(analysis.srm.detected).toBe(false);
    expect(analysis.sampleSize).toEqual({ requiredPerVariant: null, progress: null });
    expect(analysis.recommendation).toBe('ship_variant');
    expect(analysis.winner).toBe('candidate');
  });

  it('uses α for the intervals', () => {
    const comparison = analyze({ ...analysisInput, alpha: 0.1 }).comparisons[0];
    expectRelativeClose(comparison.absoluteCiLow, 0.3699195517134075); // r.confidence_interval(0.90).low
    expectRelativeClose(comparison.absoluteCiHigh, 3.056480448286597); // r.confidence_interval(0.90).high
    expectRelativeClose(comparison.relativeCiLow, 0.0323171454897582); // rel_ci(T, C, 0.10)[0]
    expectRelativeClose(comparison.relativeCiHigh, 0.3515158069680099); // rel_ci(T, C, 0.10)[1]
  });

  it('computes the sample size from the continuous baseline and reports progress', () => {
    const analysis = analyze({ ...analysisInput, baselineMean: 10, baselineStdDev: 3, minimumDetectableEffect: 0.05 });
    expect(analysis.sampleSize.requiredPerVariant).toBe(566); // n_cont(10, 3, 0.05, 0.05, 0.8, 2)
    expectRelativeClose(analysis.sampleSize.progress, 25 / 566);
  });

  it('sequential: gbstats p-value and confidence sequence, never narrower than the fixed-horizon interval', () => {
    const analysis = analyze({ ...analysisInput, analysis: 'relative', sequential: true });
    const comparison = analysis.comparisons[0];
    // seq(*delta(T, C), 55) == (0.8856704897722022, -0.6359091201047781, 1.0197420725625461)
    expectRelativeClose(comparison.sequentialPValue, 0.8856704897722022);
    expectRelativeClose(comparison.sequentialRelativeCiLow, -0.6359091201047781);
    expectRelativeClose(comparison.sequentialRelativeCiHigh, 1.0197420725625461);
    expect(comparison.sequentialRelativeCiLow!).toBeLessThan(comparison.relativeCiLow!);
    expect(comparison.sequentialRelativeCiHigh!).toBeGreaterThan(comparison.relativeCiHigh!);
    expect(comparison.sequentialPValue!).toBeGreaterThanOrEqual(comparison.pValue!);
    // Fixed-horizon says ship; the always-valid p-value does not: keep collecting.
    expect(comparison.significant).toBe(true);
    expect(analysis.recommendation).toBe('continue');
    expect(analysis).not.toHaveProperty('winner');
  });
});

describe('analyzeAbTest: binary metric', () => {
  const analysisInput = input({
    metricType: 'binary',
    baselineRate: 0.12,
    minimumDetectableEffect: 0.05,
    variants: [variant('A', binaryAggregate(2000, 240)), variant('B', binaryAggregate(2000, 290))],
  });

  /*
   * gbstats ProportionStatistic: variance p(1 − p) (no n/(n − 1)). With prop(n, k) = (n, k/n, k/n·(1 − k/n)):
   *   test(a, b, rel): est = (m_b − m_a)/|m_a| (rel) or m_b − m_a; var = v_b/(m_a²n_b) + v_a·m_b²/(m_a⁴n_a) (rel) or
   *   v_b/n_b + v_a/n_a; df = welch_df; p = 2·st.t.sf(|est/√var|, df); CI = est ± st.t.ppf(0.975, df)·√var
   */
  it('uses the gbstats proportion variance p(1 − p) and takes the p-value from the relative analysis', () => {
    const analysis = analyze(analysisInput);
    const comparison = analysis.comparisons[0];
    expectRelativeClose(analysis.variants[0].mean, 0.12);
    expectRelativeClose(analysis.variants[0].stdDev, 0.32496153618543844); // np.sqrt(0.12 * 0.88)
    expectRelativeClose(analysis.variants[1].stdDev, 0.35210083782916507); // np.sqrt(0.145 * 0.855)
    // r = test(prop(2000, 240), prop(2000, 290), True); a = test(..., False)
    expectRelativeClose(comparison.pValue, 0.03407895537767449); // r['p']
    expectRelativeClose(comparison.degreesOfFreedom, 3972.5507514200276); // r['df']
    expectRelativeClose(comparison.absoluteEffect, 0.025);
    expectRelativeClose(comparison.absoluteCiLow, 0.003994755993444399); // a['lo']
    expectRelativeClose(comparison.absoluteCiHigh, 0.04600524400655559); // a['hi']
    expectRelativeClose(comparison.relativeEffect, 0.2083333333333333); // r['est']
    expectRelativeClose(comparison.relativeCiLow, 0.015656177885858075); // r['lo']
    expectRelativeClose(comparison.relativeCiHigh, 0.40101048878080847); // r['hi']
    expect(comparison.ciLow).toBe(comparison.relativeCiLow);
    expect(comparison.ciHigh).toBe(comparison.relativeCiHigh);
    expectRelativeClose(comparison.chanceToBeatControl, 0.9829914414577788); // r['ctw'] = st.norm.cdf(est / √var)
    expect(analysis.sampleSize.requiredPerVariant).toBe(47034); // n_binary(0.12, 0.05, 0.05, 0.8, 2)
    expectRelativeClose(analysis.sampleSize.progress, 2000 / 47034);
    expect(analysis.recommendation).toBe('ship_variant');
    expect(analysis.winner).toBe('B');
  });

  it('sequential matches the gbstats transcription', () => {
    const comparison = analyze({ ...analysisInput, sequential: true }).comparisons[0];
    // seq(r['est'], r['var'], 4000) with the p(1 − p) variance
    expectRelativeClose(comparison.sequentialPValue, 0.38910876348607043);
    expectRelativeClose(comparison.sequentialRelativeCiLow, -0.09046403132748357);
    expectRelativeClose(comparison.sequentialRelativeCiHigh, 0.5071306979941501);
  });
});

describe('analyzeAbTest: three treatments (Holm)', () => {
  // 0/1 data posted as a continuous metric (Bessel variance, scipy's), analysed on the absolute difference
  const analysisInput = input({
    analysis: 'absolute',
    variants: [
      variant('control', binaryAggregate(5000, 500)),
      variant('t1', binaryAggregate(5000, 600)),
      variant('t2', binaryAggregate(5000, 560)),
      variant('t3', binaryAggregate(5000, 470)),
    ],
  });

  it('adjusts p-values across the comparisons', () => {
    const analysis = analyze(analysisInput);
    const [t1, t2, t3] = analysis.comparisons;
    // p = [st.ttest_ind(binary(5000, k), binary(5000, 500), equal_var=False).pvalue for k in (600, 560, 470)]
    expectRelativeClose(t1.pValue, 0.0013914193024238276);
    expectRelativeClose(t2.pValue, 0.051292986720656394);
    expectRelativeClose(t3.pValue, 0.3107939824402082);
    // holm(p)
    expectRelativeClose(t1.adjustedPValue, 0.0041742579072714826);
    expectRelativeClose(t2.adjustedPValue, 0.10258597344131279);
    expectRelativeClose(t3.adjustedPValue, 0.3107939824402082);
    expect([t1.significant, t2.significant, t3.significant]).toEqual([true, false, false]);
    // r.confidence_interval(0.95) for k = 600, 560, 470
    expectRelativeClose(t1.absoluteCiLow, 0.007738492689802277);
    expectRelativeClose(t1.absoluteCiHigh, 0.0322615073101977);
    expectRelativeClose(t2.absoluteCiLow, -6.739183032263875e-5);
    expectRelativeClose(t2.absoluteCiHigh, 0.02406739183032263);
    expectRelativeClose(t3.absoluteCiLow, -0.01760330127898245);
    expectRelativeClose(t3.absoluteCiHigh, 0.005603301278982438);
    // rel_ci(binary(5000, k), binary(5000, 500), 0.05)
    expectRelativeClose(t1.relativeCiLow, 0.06554464773357463);
    expectRelativeClose(t1.relativeCiHigh, 0.3344553522664252);
    expectRelativeClose(t2.relativeCiLow, -0.00775779585883174);
    expectRelativeClose(t2.relativeCiHigh, 0.24775779585883168);
    expectRelativeClose(t3.relativeCiLow, -0.17250973959299043);
    expectRelativeClose(t3.relativeCiHigh, 0.05250973959299032);
    // welch_df(binary(5000, k), binary(5000, 500))
    expectRelativeClose(t1.degreesOfFreedom, 9934.806717031937);
    expectRelativeClose(t2.degreesOfFreedom, 9973.155469803396);
    expectRelativeClose(t3.degreesOfFreedom, 9990.385084212652);
    // st.norm.cdf(d / np.sqrt(v)) with d, v = delta(binary(5000, k), binary(5000, 500))
    expectRelativeClose(t1.chanceToBeatControl, 0.9982259265540989);
    expectRelativeClose(t2.chanceToBeatControl, 0.9672019067857455);
    expectRelativeClose(t3.chanceToBeatControl, 0.14793055297893437);
    expect(analysis.srm).toEqual({ pValue: 1, detected: false });
    expect(analysis.recommendation).toBe('ship_variant');
    expect(analysis.winner).toBe('t1');
  });

  it('splits α over k − 1 comparisons for the sample size', () => {
    const analysis = analyze({ ...analysisInput, metricType: 'binary', baselineRate: 0.1, minimumDetectableEffect: 0.1 });
    expect(analysis.sampleSize.requiredPerVariant).toBe(19672); // n_binary(0.1, 0.1, 0.05, 0.8, 4)
    expectRelativeClose(analysis.sampleSize.progress, 5000 / 19672);
    expect(analysis.recommendation).toBe('ship_variant');
  });

  it('sequential: Holm-adjusted always-valid p-values decide, and every sequence contains its fixed interval', () => {
    const analysis = analyze({ ...analysisInput, analysis: 'relative', sequential: true });
    const [t1, t2, t3] = analysis.comparisons;
    // seq(*delta(binary(5000, k), binary(5000, 500)), 10000) for k = 600, 560, 470
    expectRelativeClose(t1.sequentialPValue, 0.0753153706385928);
    expectRelativeClose(t1.sequentialRelativeCiLow, -0.00999459778049916);
    expectRelativeClose(t1.sequentialRelativeCiHigh, 0.40999459778049896);
    expectRelativeClose(t2.sequentialPValue, 0.833881163763217);
    expectRelativeClose(t2.sequentialRelativeCiLow, -0.07953433665591048);
    expectRelativeClose(t2.sequentialRelativeCiHigh, 0.3195343366559104);
    expect(t3.sequentialPValue).toBe(1);
    expectRelativeClose(t3.sequentialRelativeCiLow, -0.23571969526736067);
    expectRelativeClose(t3.sequentialRelativeCiHigh, 0.11571969526736056);
    for (const comparison of analysis.comparisons) {
      expect(comparison.sequentialRelativeCiLow!).toBeLessThanOrEqual(comparison.relativeCiLow!);
      expect(comparison.sequentialRelativeCiHigh!).toBeGreaterThanOrEqual(comparison.relativeCiHigh!);
      expect(comparison.sequentialPValue!).toBeGreaterThanOrEqual(comparison.pValue!);
    }
    // holm([0.0753153706385928, 0.833881163763217, 1]) == [0.2259461119157784, 1, 1]: nothing significant
    expect(analysis.recommendation).toBe('continue');
    expect(analysis).not.toHaveProperty('winner');
  });
});

describe('analyzeAbTest: sequential guard at very small df', () => {
  it('never reports a sequence narrower, or a p-value smaller, than the fixed-horizon relative test', () => {
    // c = np.array([9.0, 11.0]); t = np.r_[np.full(500, 19.9), np.full(500, 20.1)]
    const control = aggregate([9, 11]);
    const treatment = aggregate([...Array<number>(500).fill(19.9), ...Array<number>(500).fill(20.1)]);
    const analysis = analyze(input({ sequential: true, variants: [variant('A', control, 2), variant('B', treatment, 998)] }));
    const comparison = analysis.comparisons[0];
    expectRelativeClose(comparison.degreesOfFreedom, 1.00002002012012); // welch_df(t, c)
    // the relative analysis: 2 * st.t.sf(abs(d / np.sqrt(v)), welch_df(t, c)) with d, v = delta(t, c)
    expectRelativeClose(comparison.pValue, 0.12566243561123233);
    expectRelativeClose(comparison.relativeEffect, 1); // delta(t, c)[0]
    // rel_ci(t, c, 0.05) == (-1.541123907181103, 3.541123907181103)
    expectRelativeClose(comparison.relativeCiLow, -1.541123907181103);
    expectRelativeClose(comparison.relativeCiHigh, 3.541123907181103);
    // At df ≈ 1 the t quantile (12.7) exceeds the sequence's multiplier: seq(*delta(t, c), 1002) alone would give
    // p 0.0007476511572453376 and (0.3274217889796024, 1.6725782110203977), excluding 0 where the fixed test does not.
    // The engine reports the union with the fixed interval and the max with the fixed relative p-value:
    // d, v = delta(t, c); 2 * st.t.sf(abs(d / np.sqrt(v)), welch_df(t, c)) == 0.12566243561123233
    expect(comparison.sequentialRelativeCiLow).toBe(comparison.relativeCiLow);
    expect(comparison.sequentialRelativeCiHigh).toBe(comparison.relativeCiHigh);
    expectRelativeClose(comparison.sequentialPValue, 0.12566243561123233);
    expect(analysis.recommendation).toBe('continue');
  });
});

describe('analyzeAbTest: null handling', () => {
  // analysis 'absolute' below: these cases are about the Welch test of μ_t − μ_c staying defined
  it('an empty control gives null means, effects and tests', () => {
    const analysis = analyze(
      input({ analysis: 'absolute', variants: [variant('A', { count: 0, sum: 0, sumSquares: 0 }), variant('B', aggregate(TREATMENT))] }),
    );
    expect(analysis.variants[0]).toMatchObject({ count: 0, mean: null, stdDev: null, observedShare: 0 });
    expect(analysis.variants[1].observedShare).toBe(1);
    expect(analysis.comparisons[0]).toEqual({
      variant: 'B',
      absoluteEffect: null,
      absoluteCiLow: null,
      absoluteCiHigh: null,
      relativeEffect: null,
      relativeCiLow: null,
      relativeCiHigh: null,
      pValue: null,
      adjustedPValue: null,
      ciLow: null,
      ciHigh: null,
      standardError: null,
      degreesOfFreedom: null,
      significant: false,
      chanceToBeatControl: null,
    });
    // 0 vs 30 units on 1:1: the total (30) reaches 8 per variant, so GrowthBook's rule flags the mismatch.
    expect(analysis.srm.detected).toBe(true);
    expect(analysis.recommendation).toBe('srm_detected');
  });

  it('no data at all', () => {
    const empty = { count: 0, sum: 0, sumSquares: 0 };
    const analysis = analyze(
      input({ analysis: 'absolute', sequential: true, minSamplesPerVariant: 1, variants: [variant('A', empty), variant('B', empty)] }),
    );
    expect(analysis.variants[0].observedShare).toBeNull();
    expect(analysis.srm).toEqual({ pValue: null, detected: false });
    expect(analysis.comparisons[0].sequentialPValue).toBeNull();
    expect(analysis.comparisons[0].sequentialRelativeCiLow).toBeNull();
    expect(analysis.comparisons[0].sequentialRelativeCiHigh).toBeNull();
    expect(analysis.recommendation).toBe('insufficient_data');
  });

  it('a single control observation gives a mean and effects but no variance or test', () => {
    const analysis = analyze(
      input({ analysis: 'absolute', variants: [variant('A', aggregate([7.5])), variant('B', aggregate([8, 9, 10]))] }),
    );
    expect(analysis.variants[0]).toMatchObject({ count: 1, mean: 7.5, stdDev: null });
    const comparison = analysis.comparisons[0];
    expect(comparison.absoluteEffect).toBe(1.5);
    expect(comparison.relativeEffect).toBe(0.2);
    expect(comparison.pValue).toBeNull();
    expect(comparison.absoluteCiLow).toBeNull();
    expect(comparison.relativeCiLow).toBeNull();
    expect(comparison.degreesOfFreedom).toBeNull();
    expect(comparison.chanceToBeatControl).toBeNull();
  });

  it('zero variance in both groups gives effects but no test', () => {
    const analysis = analyze(
      input({
        analysis: 'absolute',
        sequential: true,
        variants: [variant('A', aggregate(Array<number>(50).fill(5))), variant('B', aggregate(Array<number>(50).fill(6)))],
      }),
    );
    expect(analysis.variants[0].stdDev).toBe(0);
    const comparison = analysis.comparisons[0];
    expect(comparison.absoluteEffect).toBe(1);
    expect(comparison.relativeEffect).toBeCloseTo(0.2, 15);
    expect(comparison.pValue).toBeNull();
    expect(comparison.adjustedPValue).toBeNull();
    expect(comparison.absoluteCiLow).toBeNull();
    expect(comparison.relativeCiHigh).toBeNull();
    expect(comparison.chanceToBeatControl).toBeNull();
    expect(comparison.sequentialPValue).toBeNull();
    expect(comparison.significant).toBe(false);
  });

  it('extreme magnitudes never leak NaN or Infinity', () => {
    // μ_c = 2e-100: μ_c⁴ underflows to 0, so the delta-method variance overflows; the relative interval is undefined.
    const analysis = analyze(
      input({
        analysis: 'absolute',
        sequential: true,
        variants: [variant('A', aggregate([1e-100, 3e-100])), variant('B', aggregate([1, 2, 3]))],
      }),
    );
    const comparison = analysis.comparisons[0];
    expectRelativeClose(comparison.relativeEffect, 1e100);
    expect(comparison.relativeCiLow).toBeNull();
    expect(comparison.chanceToBeatControl).toBeNull();
    expect(comparison.sequentialRelativeCiLow).toBeNull();
    expect(comparison.pValue).not.toBeNull();
  });

  it('constant non-integer data is zero variance, not floating-point noise', () => {
    const analysis = analyze(
      input({
        analysis: 'absolute',
        variants: [variant('A', aggregate(Array<number>(10000).fill(0.7))), variant('B', aggregate(Array<number>(10000).fill(2.3)))],
      }),
    );
    expect(analysis.variants.map((summary) => summary.stdDev)).toEqual([0, 0]);
    expect(analysis.comparisons[0].pValue).toBeNull();
    expect(analysis.comparisons[0].significant).toBe(false);
  });

  it('a control mean of 0 nulls the relative fields but keeps the Welch test', () => {
    // 0/1 data as a continuous metric (scipy's Bessel variance)
    const zeroControl = input({
      analysis: 'absolute',
      variants: [variant('A', binaryAggregate(100, 0)), variant('B', binaryAggregate(100, 5))],
    });
    const comparison = analyze(zeroControl).comparisons[0];
    // r = st.ttest_ind(binary(100, 5), binary(100, 0), equal_var=False)
    expectRelativeClose(comparison.pValue, 0.024589522572171067); // r.pvalue
    expectRelativeClose(comparison.degreesOfFreedom, 98.99999999999999); // r.df
    expectRelativeClose(comparison.absoluteCiLow, 0.006537133779415116); // r.confidence_interval(0.95).low
    expectRelativeClose(comparison.absoluteCiHigh, 0.09346286622058489); // r.confidence_interval(0.95).high
    expect(comparison.relativeEffect).toBeNull();
    expect(comparison.relativeCiLow).toBeNull();
    expect(comparison.relativeCiHigh).toBeNull();
    expect(comparison.chanceToBeatControl).toBeNull();
    expect(comparison.significant).toBe(true);
    // A sequential relative analysis needs the relative lift, which does not exist: keep collecting.
    const sequential = analyze({ ...zeroControl, analysis: 'relative', sequential: true });
    expect(sequential.comparisons[0].pValue).toBeNull();
    expect(sequential.comparisons[0].sequentialPValue).toBeNull();
    expect(sequential.comparisons[0].sequentialRelativeCiLow).toBeNull();
    expect(sequential.comparisons[0].sequentialRelativeCiHigh).toBeNull();
    expect(sequential.recommendation).toBe('continue');
    // Fixed horizon: significant and positive on the absolute scale, the fallback when the relative effect is null.
    const fixed = analyze(zeroControl);
    expect(fixed.recommendation).toBe('ship_variant');
    expect(fixed.winner).toBe('B');
  });

  it('a zero delta-method variance nulls the relative interval and chance to beat control', () => {
    // Treatment all zeros (μ_t = 0, s_t = 0): Var_r = 0 + s_c²·0²/(μ_c⁴ n_c) = 0.
    const analysis = analyze(
      input({
        analysis: 'absolute',
        variants: [variant('A', binaryAggregate(100, 50)), variant('B', binaryAggregate(100, 0))],
      }),
    );
    const comparison = analysis.comparisons[0];
    expect(comparison.relativeEffect).toBe(-1);
    expect(comparison.relativeCiLow).toBeNull();
    expect(comparison.chanceToBeatControl).toBeNull();
    // st.ttest_ind(binary(100, 0), binary(100, 50), equal_var=False).pvalue == 1.407198734633174e-16
    expectRelativeClose(comparison.pValue, 1.407198734633174e-16);
    expect(analysis.recommendation).toBe('keep_control');
  });

  it('one zero-variance side still gives a full comparison', () => {
    const analysis = analyze(
      input({
        analysis: 'absolute',
        variants: [variant('A', binaryAggregate(100, 50)), variant('B', binaryAggregate(100, 100))],
      }),
    );
    const comparison = analysis.comparisons[0];
    // st.ttest_ind(binary(100, 100), binary(100, 50), equal_var=False).pvalue == 1.407198734633174e-16
    expectRelativeClose(comparison.pValue, 1.407198734633174e-16);
    // rel_ci(binary(100, 100), binary(100, 50), 0.05) == (0.6011573859954586, 1.3988426140045414)
    expectRelativeClose(comparison.relativeCiLow, 0.6011573859954586);
    expectRelativeClose(comparison.relativeCiHigh, 1.3988426140045414);
    expect(analysis.winner).toBe('B');
  });
});

describe('analyzeAbTest: recommendations end to end', () => {
  const binary = (control: [number, number], treatment: [number, number], overrides: Partial<AbTestAnalysisInput> = {}) =>
    analyze(
      input({
        analysis: 'absolute',
        metricType: 'binary',
        variants: [variant('A', binaryAggregate(...control)), variant('B', binaryAggregate(...treatment))],
        ...overrides,
      }),
    );

  it('insufficient_data when a variant is below minSamplesPerVariant', () => {
    const analysis = binary([2000, 240], [2000, 290], { minSamplesPerVariant: 2001 });
    expect(analysis.recommendation).toBe('insufficient_data');
    expect(analysis).not.toHaveProperty('winner');
  });

  it('srm_detected before any effect is considered', () => {
    // st.chisquare([2000, 2300], [2150, 2150]).pvalue == 4.763175554746923e-06 < 0.001
    const analysis = binary([2000, 240], [2300, 333]);
    expectRelativeClose(analysis.srm.pValue, 4.763175554746923e-6);
    expect(analysis.srm.detected).toBe(true);
    expect(analysis.recommendation).toBe('srm_detected');
  });

  it('weights are normalised before the SRM test', () => {
    // st.chisquare([4000, 2000], [4000, 2000]).pvalue == 1
    const analysis = analyze(
      input({
        analysis: 'absolute',
        metricType: 'binary',
        variants: [variant('A', binaryAggregate(4000, 480), 2), variant('B', binaryAggregate(2000, 245), 1)],
      }),
    );
    expect(analysis.variants.map((summary) => summary.weight)).toEqual([2 / 3, 1 / 3]);
    expect(analysis.srm).toEqual({ pValue: 1, detected: false });
  });

  it('ship_variant for a significant improvement', () => {
    const analysis = binary([2000, 240], [2000, 290]); // r.pvalue == 0.019706459525619828
    expect(analysis.recommendation).toBe('ship_variant');
    expect(analysis.winner).toBe('B');
  });

  it('keep_control for a significant degradation', () => {
    const analysis = binary([2000, 290], [2000, 240]); // same p-value, negative effect
    expect(analysis.comparisons[0].significant).toBe(true);
    expect(analysis.recommendation).toBe('keep_control');
    expect(analysis).not.toHaveProperty('winner');
  });

  it('no_difference when every variant reached the required size without significance', () => {
    // n_binary(0.12, 0.5, 0.05, 0.8, 2) == 553 <= 2000; 240 vs 245 of 2000 is far from significant
    const analysis = binary([2000, 240], [2000, 245], { baselineRate: 0.12, minimumDetectableEffect: 0.5 });
    expect(analysis.sampleSize.requiredPerVariant).toBe(553);
    expect(analysis.comparisons[0].significant).toBe(false);
    expect(analysis.recommendation).toBe('no_difference');
  });

  it('continue when not significant and the required size is not reached', () => {
    // n_binary(0.12, 0.05, 0.05, 0.8, 2) == 47034 > 2000
    const analysis = binary([2000, 240], [2000, 245], { baselineRate: 0.12, minimumDetectableEffect: 0.05 });
    expect(analysis.sampleSize.requiredPerVariant).toBe(47034);
    expect(analysis.recommendation).toBe('continue');
  });

  it('ship_variant picks the largest positive lift when several are significant', () => {
    const analysis = analyze(
      input({
        analysis: 'absolute',
        metricType: 'binary',
        variants: [
          variant('control', binaryAggregate(5000, 500)),
          variant('small', binaryAggregate(5000, 600)),
          variant('large', binaryAggregate(5000, 700)),
          variant('worse', binaryAggregate(5000, 400)),
        ],
      }),
    );
    expect(analysis.comparisons.map((comparison) => comparison.significant)).toEqual([true, true, true]);
    expect(analysis.recommendation).toBe('ship_variant');
    expect(analysis.winner).toBe('large');
  });
});

describe('directly accumulated Σ(x − x̄)²', () => {
  // O = C + 1e6 (numpy adds in the same double precision), the shape of latencies or prices with a large offset.
  const OFFSET = CONTROL.map((value) => value + 1e6);

  it('two-pass centred sum equals numpy', () => {
    // ((C - C.mean())**2).sum() == 114.30914400000002
    expectRelativeClose(centeredSumOfSquares(CONTROL), 114.30914400000002, 1e-13);
    expect(centeredSumOfSquares([])).toBe(0);
  });

  it("Chan's merge of two halves equals the centred sum of the whole", () => {
    const halves = [CONTROL.slice(0, 9), CONTROL.slice(9)].map((values) => ({
      count: values.length,
      sum: values.reduce((sum, value) => sum + value, 0),
      centeredSumSquares: centeredSumOfSquares(values),
    }));
    expectRelativeClose(mergeCenteredSumSquares(halves[0], halves[1]), 114.30914400000002, 1e-13);
    const empty = { count: 0, sum: 0, centeredSumSquares: 0 };
    expect(mergeCenteredSumSquares(empty, halves[1])).toBe(halves[1].centeredSumSquares);
    expect(mergeCenteredSumSquares(halves[0], empty)).toBe(halves[0].centeredSumSquares);
  });

  it('keeps the variance exact where Σx² − (Σx)²/n cancels', () => {
    const sums = aggregate(OFFSET);
    // O.var(ddof=1) == 4.762880999944039
    const naive = sampleVariance(sums.count, sums.sum, sums.sumSquares)!;
    expect(Math.abs(naive - 4.762880999944039)).toBeGreaterThan(1e-5); // ≈ 2.3e-5: five digits lost
    const centered = sampleVariance(sums.count, sums.sum, sums.sumSquares, centeredSumOfSquares(OFFSET));
    expectRelativeClose(centered, 4.762880999944039, 1e-12);
  });

  it('treats rounding noise on constant data as zero variance', () => {
    const tenths = Array<number>(1000).fill(0.7);
    const noise = centeredSumOfSquares(tenths); // the summed mean is a few ulps off 0.7; the correction removes most
    expect(noise).toBeLessThan(1e-28);
    expect(sampleVariance(1000, 700, aggregate(tenths).sumSquares, noise)).toBe(0);
    const constant = aggregate(Array<number>(5000).fill(1e6 + 0.1));
    expect(sampleVariance(constant.count, constant.sum, constant.sumSquares, 1e-20)).toBe(0);
    expect(sampleVariance(constant.count, constant.sum, constant.sumSquares, 0)).toBe(0);
    expect(sampleVariance(1, 3, 9, 0)).toBeNull();
  });

  it('analyzeAbTest uses it: equal to scipy on offset data where the sums alone are off', () => {
    const treatment = TREATMENT.map((value) => value + 1e6);
    const withCentered = (values: number[]) => ({ ...aggregate(values), centeredSumSquares: centeredSumOfSquares(values) });
    const analysis = analyze(
      input({ analysis: 'absolute', variants: [variant('A', withCentered(OFFSET)), variant('B', withCentered(treatment))] }),
    );
    // r = st.ttest_ind(T + 1e6, C + 1e6, equal_var=False): r.pvalue, r.df; (T + 1e6).std(ddof=1)
    expectRelativeClose(analysis.comparisons[0].pValue, 0.03753267204690054, 1e-9);
    expectRelativeClose(analysis.comparisons[0].degreesOfFreedom, 48.26665240642534, 1e-9);
    expectRelativeClose(analysis.variants[1].stdDev, 3.6785473144782217, 1e-12);
  });

  it('validation reports a negative or non-finite centred sum', () => {
    const problems = validateAbTestAnalysisInput(
      input({
        analysis: 'absolute',
        variants: [variant('A', { ...aggregate([1, 2]), centeredSumSquares: -1 } as never), variant('B', aggregate([1, 2]))],
      }),
    );
    expect(problems).toEqual([{ field: 'variants[0].centeredSumSquares', message: 'must be a finite number >= 0' }]);
  });
});
