/*
 * gbstats' published test expectations (growthbook/growthbook, packages/stats/tests/frequentist/test_tests.py and
 * packages/stats/tests/bayesian/test_tests.py, the versions taking [(stat_a, stat_b)]), as inputs and expected outputs.
 * `published` holds the values as printed there (rounded to 5 decimals by the tests' round_); `exact` holds the same
 * quantities at full precision from this transcription of the gbstats formulas (python3 + numpy 2.4 + scipy 1.17):
 *
 *   import numpy as np, scipy.stats as st
 *   def mean_stat(s, ss, n): return n, s / n, (ss - s * s / n) / (n - 1)          # SampleMeanStatistic
 *   def prop(n, k): p = k / n; return n, p, p * (1 - p)                           # ProportionStatistic
 *   def welch_df(a, b): (na, ma, va), (nb, mb, vb) = a, b; return (vb/nb + va/na)**2 / (vb**2/(nb**2*(nb-1)) + va**2/(na**2*(na-1)))
 *   def test(a, b, rel, alpha=0.05):                                              # TwoSidedTTest
 *       (na, ma, va), (nb, mb, vb) = a, b
 *       est, var = ((mb - ma) / abs(ma), vb/(ma**2*nb) + va*mb**2/(ma**4*na)) if rel else (mb - ma, vb/nb + va/na)
 *       df = welch_df(a, b); w = st.t.ppf(1 - alpha/2, df) * np.sqrt(var)
 *       return est, est - w, est + w, np.sqrt(var), 2 * st.t.sf(abs(est / np.sqrt(var)), df)
 *   def seq(est, var, n, alpha=0.05, N=5000):                                     # SequentialTwoSidedTTest
 *       rho = np.sqrt((-2*np.log(alpha) + np.log(-2*np.log(alpha) + 1)) / N)
 *       w = np.sqrt(var*n) * np.sqrt(2*(n*rho**2 + 1) * np.log(np.sqrt(n*rho**2 + 1)/alpha) / (n*rho)**2)
 *       e = np.exp(rho**2 * (est**2*n/var) / (2*(n*rho**2 + 1))) / np.sqrt(n*rho**2 + 1)
 *       return min(1/e, 1), est - w, est + w
 *   def bayes(a, b, rel, prior=None, alpha=0.05):                                 # EffectBayesianABTest
 *       est, _, _, sd, _ = test(a, b, rel); v = sd**2
 *       prec = 1/v + (1/prior[1] if prior else 0); mu = (est/v + prior[0]/prior[1]) / prec if prior else est
 *       s = np.sqrt(1/prec); pc = st.norm.cdf(0, mu, s)
 *       tm = lambda lo, hi: float(st.truncnorm.stats((lo-mu)/s, (hi-mu)/s, loc=mu, scale=s, moments='m'))
 *       return mu, s, st.norm.sf(0, mu, s), *st.norm.ppf([alpha/2, 1 - alpha/2], mu, s), (1-pc)*tm(0, np.inf), -pc*tm(-np.inf, 0)
 */

export interface SufficientStatistic {
  count: number;
  sum: number;
  /** Σx² (a proportion: equal to sum). */
  sumSquares: number;
}

export interface FrequentistVector {
  name: string;
  metricType: 'continuous' | 'binary';
  analysis: 'relative' | 'absolute';
  sequential: boolean;
  sequentialTuningParameter: number;
  control: SufficientStatistic;
  treatment: SufficientStatistic;
  /** [expected, ciLow, ciHigh, standard error (uplift stddev), pValue] */
  published: [number, number, number, number, number];
  exact: [number, number, number, number, number];
}

const MEAN_A = { count: 3407, sum: 1396.87, sumSquares: 52377.9767 };
const MEAN_A_3000 = { count: 3000, sum: 1396.87, sumSquares: 52377.9767 };
const MEAN_B = { count: 3461, sum: 2422.7, sumSquares: 134698.29 };
const proportion = (count: number, successes: number) => ({ count, sum: successes, sumSquares: successes });

export const FREQUENTIST_VECTORS: FrequentistVector[] = [
  {
    // TestTwoSidedTTest.test_two_sided_ttest; exact: test(mean_stat(1396.87, 52377.9767, 3407), mean_stat(2422.7, 134698.29, 3461), True)
    name: 'test_two_sided_ttest (relative)',
    metricType: 'continuous',
    analysis: 'relative',
    sequential: false,
    sequentialTuningParameter: 5000,
    control: MEAN_A,
    treatment: MEAN_B,
    published: [0.70732, -0.03526, 1.44989, 0.37879, 0.06191],
    exact: [0.7073170731707317, -0.03526008906611777, 1.449894235407581, 0.3787943616681428, 0.0619118274561836],
  },
  {
    // TestTwoSidedTTest.test_two_sided_ttest_absolute; exact: test(..., False)
    name: 'test_two_sided_ttest_absolute',
    metricType: 'continuous',
    analysis: 'absolute',
    sequential: false,
    sequentialTuningParameter: 5000,
    control: MEAN_A,
    treatment: MEAN_B,
    published: [0.29, 0.04538, 0.53462, 0.12478, 0.02016],
    exact: [0.29, 0.04537789255929012, 0.5346221074407098, 0.12478363158758794, 0.020158402643586978],
  },
  {
    // TestTwoSidedTTest.test_two_sided_ttest_binom; exact: test(prop(28, 14), prop(30, 16), True)
    name: 'test_two_sided_ttest_binom',
    metricType: 'binary',
    analysis: 'relative',
    sequential: false,
    sequentialTuningParameter: 5000,
    control: proportion(28, 14),
    treatment: proportion(30, 16),
    published: [0.06667, -0.47767, 0.61101, 0.2717, 0.80707],
    exact: [0.06666666666666665, -0.4776740282706786, 0.6110073616040119, 0.27169855689735606, 0.8070716832021888],
  },
  {
    // TestSequentialTTest.test_sequential_test_runs (N* = 1000); exact: est, var from test(mean_stat(..., 3000), ..., True), seq(est, var, 6461, N=1000)
    name: 'test_sequential_test_runs (N* = 1000)',
    metricType: 'continuous',
    analysis: 'relative',
    sequential: true,
    sequentialTuningParameter: 1000,
    control: MEAN_A_3000,
    treatment: MEAN_B,
    published: [0.50336, -0.55844, 1.56516, 0.33341, 1],
    exact: [0.5033610858562358, -0.5584405051077315, 1.5651626768202032, 0.3334122146400735, 1],
  },
  {
    // TestSequentialTTest.test_sequential_test_runs_prop; exact: est, var from test(prop(3000, 1396), prop(3461, 2422), True), seq(est, var, 6461)
    name: 'test_sequential_test_runs_prop',
    metricType: 'binary',
    analysis: 'relative',
    sequential: true,
    sequentialTuningParameter: 5000,
    control: proportion(3000, 1396),
    treatment: proportion(3461, 2422),
    published: [0.50386, 0.40098, 0.60675, 0.03386, 0],
    exact: [0.5038633516821496, 0.4009784966859415, 0.6067482066783577, 0.033860214798231224, 5.174716682839852e-44],
  },
];

/**
 * TestOneSidedGreaterTTest (published at full precision): the estimate and uplift stddev (the one-sided tests share
 * them with the two-sided one) for mean_stat(1396.87, 52377.9767, 3000) vs mean_stat(2422.7, 134698.29, 3461).
 */
export const FULL_PRECISION_ESTIMATES = [
  { analysis: 'relative' as const, control: MEAN_A_3000, treatment: MEAN_B, expected: 0.5033610858562358, stdDev: 0.3334122146400735 },
  { analysis: 'absolute' as const, control: MEAN_A_3000, treatment: MEAN_B, expected: 0.23437666666666668, stdDev: 0.12983081254184736 },
];

export interface BayesianVector {
  name: string;
  metricType: 'continuous' | 'binary';
  analysis: 'relative' | 'absolute';
  prior: { mean: number; variance: number } | null;
  control: SufficientStatistic;
  treatment: SufficientStatistic;
  /** [expected, stdDev, chanceToWin, ciLow, ciHigh, riskControl, riskTreatment] */
  published: [number, number, number, number, number, number, number];
  exact: [number, number, number, number, number, number, number];
}

const GAUSSIAN_A = { count: 10, sum: 100, sumSquares: 1002.25 };
const GAUSSIAN_B = { count: 10, sum: 105, sumSquares: 1111.5 };

export const BAYESIAN_VECTORS: BayesianVector[] = [
  {
    // TestBinom.test_bayesian_binomial_ab_test; exact: bayes(prop(100, 49), prop(100, 51), True)
    name: 'test_bayesian_binomial_ab_test',
    metricType: 'binary',
    analysis: 'relative',
    prior: null,
    control: proportion(100, 49),
    treatment: proportion(100, 51),
    published: [0.04082, 0.14725, 0.60918, -0.24779, 0.32943, 0.0814, 0.04058],
    exact: [
      0.04081632653061228, 0.14725254573469446, 0.6091813095808981, -0.24779335974122607, 0.3294260128024506, 0.0813958491551631,
      0.04057952262455081,
    ],
  },
  {
    // TestNorm.test_bayesian_gaussian_ab_test; exact: bayes(mean_stat(100, 1002.25, 10), mean_stat(105, 1111.5, 10), True)
    name: 'test_bayesian_gaussian_ab_test',
    metricType: 'continuous',
    analysis: 'relative',
    prior: null,
    control: GAUSSIAN_A,
    treatment: GAUSSIAN_B,
    published: [0.05, 0.03572, 0.91923, -0.02, 0.12, 0.05131, 0.00131],
    exact: [
      0.05, 0.03571589282098377, 0.9192339081566245, -0.020001863604820883, 0.12000186360482087, 0.05130981716392653, 0.001309817163926532,
    ],
  },
  {
    // TestNorm.test_bayesian_gaussian_ab_test_informative (GaussianPrior(mean=0.1, variance=0.1, proper=True));
    // exact: bayes(..., True, (0.1, 0.1))
    name: 'test_bayesian_gaussian_ab_test_informative',
    metricType: 'continuous',
    analysis: 'relative',
    prior: { mean: 0.1, variance: 0.1 },
    control: GAUSSIAN_A,
    treatment: GAUSSIAN_B,
    published: [0.05063, 0.03549, 0.92315, -0.01893, 0.12019, 0.05186, 0.00123],
    exact: [
      0.05062977888312218, 0.03549024888958016, 0.9231499085772956, -0.0189298307428176, 0.12018938850906194, 0.051856806429433584,
      0.001227027546311407,
    ],
  },
];

/** |actual − expected| ≤ 1e-6·|expected| (plus 1e-15 absolute, for expected values of 0). */
export function expectWithinRelative(actual: unknown, expected: number, tolerance = 1e-6): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected) + 1e-15);
}

/** The value rounds to the published 5-decimal figure (|actual − published| ≤ 0.5e-5). */
export function expectRoundsTo(actual: unknown, published: number): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - published)).toBeLessThanOrEqual(0.5e-5 + 1e-12);
}
