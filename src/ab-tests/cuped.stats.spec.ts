import { AbTestAnalysisInput } from 'src/ab-tests/ab-test.stats';
import { CovariateSums, adjustedSummary, cupedComparison, pooledTheta } from 'src/ab-tests/cuped.stats';
import { MetricInput, analyzeMetrics } from 'src/ab-tests/multi-metric.stats';
import { TEST_ANALYSIS_SETTINGS } from 'test/support/ab-test-settings';

/*
 * Reference values. `published`: gbstats' own test expectation (growthbook/growthbook
 * packages/stats/tests/frequentist/test_tests.py, TestSequentialTTest.test_sequential_test_runs_ra, the version taking
 * [(stat_a, stat_b)]; rounded to 5 decimals there). Everything else: this numpy/scipy transcription of gbstats'
 * RegressionAdjustedStatistic, compute_theta, frequentist_variance_relative_cuped and TwoSidedTTest (python3, numpy
 * 2.4, scipy 1.17), which also reproduces the published vector:
 *
 *   def var_mean(n, s, ss): return (ss - s*s/n)/(n-1)
 *   def var_prop(n, s): p = s/n; return p*(1-p)
 *   def cov(n, sa, sb, sp, prop): return sp/n - sa*sb/n**2 if prop else (sp - sa*sb/n)/(n-1)
 *   def stat(n, y, yy, x, xx, xy, prop=False):
 *       vy = var_prop(n, y) if prop else var_mean(n, y, yy); vx = var_prop(n, x) if prop else var_mean(n, x, xx)
 *       return dict(n=n, my=y/n, mx=x/n, vy=vy, vx=vx, c=cov(n, y, x, xy, prop), y=y, yy=yy, x=x, xx=xx, xy=xy, prop=prop)
 *   def theta(a, b):
 *       n = a['n'] + b['n']; j = stat(n, a['y']+b['y'], a['yy']+b['yy'], a['x']+b['x'], a['xx']+b['xx'], a['xy']+b['xy'], a['prop'])
 *       return 0 if j['vx'] == 0 or j['vy'] == 0 else j['c']/j['vx']
 *   def adj(s, t): return s['my'] - t*s['mx'], s['vy'] + t*t*s['vx'] - 2*t*s['c']
 *   def test(a, b, rel, t=None, alpha=0.05):
 *       t = theta(a, b) if t is None else t
 *       ma, va = adj(a, t); mb, vb = adj(b, t)
 *       if rel:
 *           est = (mb - ma)/abs(a['my']); const = -b['my']
 *           var = vb/(b['n']*a['my']**2) + (a['vy']*const**2/a['my']**2 + 2*t*a['c']*const/a['my'] + t*t*a['vx'])/(a['n']*a['my']**2)
 *       else:
 *           est = mb - ma; var = vb/b['n'] + va/a['n']
 *       df = (vb/b['n'] + va/a['n'])**2/(vb**2/(b['n']**2*(b['n']-1)) + va**2/(a['n']**2*(a['n']-1)))
 *       w = st.t.ppf(1-alpha/2, df)*np.sqrt(var)
 *       return t, est, est-w, est+w, np.sqrt(var), 2*st.t.sf(abs(est/np.sqrt(var)), df)
 *   (sequential: the seq() of test/support/gbstats-vectors.ts with n = n_a + n_b)
 */

const relativeClose = (actual: number | null | undefined, expected: number, tolerance = 1e-6) => {
  expect(actual).not.toBeNull();
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance * Math.max(Math.abs(expected), 1e-300));
};

const sums = (count: number, sum: number, sumSquares: number, covariateSum: number, covariateSumSquares: number, sumProducts: number) =>
  ({ count, sum, sumSquares, covariateSum, covariateSumSquares, sumProducts }) satisfies CovariateSums;

// test_sequential_test_runs_ra: post (1396.87, 52377.9767, n 3000) / (2422.7, 134698.29, n 3461), pre (16.87, 527.9767) /
// (22.7, 1348.29), post_pre_sum_of_products 1, theta None.
const GBSTATS_CONTROL = sums(3000, 1396.87, 52377.9767, 16.87, 527.9767, 1);
const GBSTATS_TREATMENT = sums(3461, 2422.7, 134698.29, 22.7, 1348.29, 1);

// Correlated units drawn with numpy (default_rng(7): x ~ N(10, 3), y = 2 + 0.8x + N(0, 1.5); the treatment adds 0.3),
// 400 and 420 units, summed.
const CORRELATED_CONTROL = sums(400, 3834.693202881274, 39437.96891508352, 3873.1193617226045, 40569.14222840102, 39505.35730440219);
const CORRELATED_TREATMENT = sums(420, 4331.5166434440125, 47987.10995643011, 4175.272874885813, 45040.98230371055, 45874.62816229242);

function baseInput(overrides: Partial<AbTestAnalysisInput> = {}): AbTestAnalysisInput {
  return {
    ...TEST_ANALYSIS_SETTINGS,
    metricType: 'continuous',
    variants: [
      { name: 'control', modelVersion: null, weight: 0.5, count: 0, sum: 0, sumSquares: 0 },
      { name: 'treatment', modelVersion: null, weight: 0.5, count: 0, sum: 0, sumSquares: 0 },
    ],
    ...overrides,
  };
}

function cupedMetric(control: CovariateSums, treatment: CovariateSums, type: 'continuous' | 'binomial' = 'continuous'): MetricInput {
  const paired = (entry: CovariateSums) => ({
    count: entry.count,
    sum: entry.sum,
    sumSquares: entry.sumSquares,
    denominatorSum: entry.covariateSum,
    denominatorSumSquares: entry.covariateSumSquares,
    sumProducts: entry.sumProducts,
  });
  return {
    name: 'revenue',
    role: 'primary',
    type,
    direction: 'higher_is_better',
    tolerance: null,
    covariate: true,
    variants: [paired(control), paired(treatment)],
  };
}

function analyse(control: CovariateSums, treatment: CovariateSums, overrides: Partial<AbTestAnalysisInput> = {}, type?: 'binomial') {
  const input = baseInput(overrides);
  input.variants = input.variants.map((variant, index) => ({ ...variant, ...[control, treatment][index] }));
  return analyzeMetrics(input, [cupedMetric(control, treatment, type)], 'variants').primary.comparisons[0];
}

describe('CUPED (gbstats RegressionAdjustedStatistic)', () => {
  it('equals gbstats test_sequential_test_runs_ra (published: 0.50338, CI (−0.50969, 1.51646), SE 0.33341, p 1)', () => {
    const comparison = analyse(GBSTATS_CONTROL, GBSTATS_TREATMENT, { sequential: true });
    expect(Number(comparison.relativeEffect?.toFixed(5))).toBe(0.50338);
    expect(Number(comparison.standardError?.toFixed(5))).toBe(0.33341);
    expect(Number(comparison.sequentialCiLow?.toFixed(5))).toBe(-0.50969);
    expect(Number(comparison.sequentialCiHigh?.toFixed(5))).toBe(1.51646);
    expect(comparison.sequentialPValue).toBe(1);
    // Full precision: test(a1, b1, True) and seq(est, var, 6461).
    relativeClose(comparison.cuped?.theta, -0.011403222553755095);
    relativeClose(comparison.relativeEffect, 0.503383995601997);
    relativeClose(comparison.standardError, 0.33341199182116854);
    relativeClose(comparison.ciLow, -0.15022145744574444);
    relativeClose(comparison.ciHigh, 1.1569894486497385);
    relativeClose(comparison.pValue, 0.1311474605454345);
    relativeClose(comparison.sequentialCiLow, -0.509694174070741);
    relativeClose(comparison.sequentialCiHigh, 1.516462165274735);
  });

  it('adjusts correlated units: θ, relative and absolute t-tests and the variance removed', () => {
    const relative = analyse(CORRELATED_CONTROL, CORRELATED_TREATMENT);
    // test(c, t, True) → θ 0.7903719575863577, est 0.054473933417992254, CI (0.0318524010758821, 0.0770954657601024),
    // SE 0.011524688053550705, p 2.687099616611736e-06; unadjusted relative variance test(c, t, True, 0): 0.00041611580497298806.
    relativeClose(relative.cuped?.theta, 0.7903719575863577);
    relativeClose(relative.relativeEffect, 0.054473933417992254);
    relativeClose(relative.ciLow, 0.0318524010758821);
    relativeClose(relative.ciHigh, 0.0770954657601024);
    relativeClose(relative.standardError, 0.011524688053550705);
    relativeClose(relative.pValue, 2.687099616611736e-6, 1e-5);
    relativeClose(relative.cuped?.varianceReduction, 1 - 0.011524688053550705 ** 2 / 0.00041611580497298806);
    expect(relative.significant).toBe(true);

    const absolute = analyse(CORRELATED_CONTROL, CORRELATED_TREATMENT, { analysis: 'absolute' });
    // test(c, t, False) → est 0.5222270555304549, CI (0.31309103604900346, 0.7313630750119063), SE 0.10654571709973754,
    // p 1.1478618161370777e-06; unadjusted absolute variance 0.035606342238488464.
    relativeClose(absolute.absoluteEffect, 0.5222270555304549);
    relativeClose(absolute.ciLow, 0.31309103604900346);
    relativeClose(absolute.ciHigh, 0.7313630750119063);
    relativeClose(absolute.standardError, 0.10654571709973754);
    relativeClose(absolute.pValue, 1.1478618161370777e-6, 1e-5);
    relativeClose(absolute.cuped?.varianceReduction, 1 - 0.10654571709973754 ** 2 / 0.035606342238488464);
  });

  it('adjusts a binomial metric with a binomial covariate (ProportionStatistic variances and covariance)', () => {
    // test(stat(1000, 300, 300, 280, 280, 210, True), stat(1000, 340, 340, 290, 290, 230, True), True / False) →
    // θ 0.6320696847012636; relative est 0.11226434384329141, SE 0.05871848974536517, p 0.05603106953337467;
    // absolute est 0.03367930315298742, SE 0.016486712877057056, p 0.04120189837946693.
    const control = sums(1000, 300, 300, 280, 280, 210);
    const treatment = sums(1000, 340, 340, 290, 290, 230);
    const relative = analyse(control, treatment, { metricType: 'binary' }, 'binomial');
    relativeClose(relative.cuped?.theta, 0.6320696847012636);
    relativeClose(relative.relativeEffect, 0.11226434384329141);
    relativeClose(relative.standardError, 0.05871848974536517);
    relativeClose(relative.pValue, 0.05603106953337467);
    const absolute = analyse(control, treatment, { metricType: 'binary', analysis: 'absolute' }, 'binomial');
    relativeClose(absolute.absoluteEffect, 0.03367930315298742);
    relativeClose(absolute.standardError, 0.016486712877057056);
    relativeClose(absolute.pValue, 0.04120189837946693);
  });

  it('with θ = 0 (a covariate without variance) is the unadjusted analysis, as gbstats falls back to it', () => {
    const flat = (entry: CovariateSums) => ({
      ...entry,
      covariateSum: entry.count,
      covariateSumSquares: entry.count,
      sumProducts: entry.sum,
    });
    expect(pooledTheta('continuous', [flat(CORRELATED_CONTROL), flat(CORRELATED_TREATMENT)])).toBe(0);
    const comparison = cupedComparison('continuous', flat(CORRELATED_TREATMENT), flat(CORRELATED_CONTROL));
    // The unadjusted relative variance from the transcription: test(c, t, True, 0).
    relativeClose(comparison.relative?.variance, 0.00041611580497298806);
  });

  it('adjusted mean and variance follow ȳ − θx̄ and var(y) + θ²var(x) − 2θcov', () => {
    const summary = adjustedSummary('continuous', CORRELATED_CONTROL, 0.5);
    const n = 400;
    const meanY = CORRELATED_CONTROL.sum / n;
    const meanX = CORRELATED_CONTROL.covariateSum / n;
    const varY = (CORRELATED_CONTROL.sumSquares - CORRELATED_CONTROL.sum ** 2 / n) / (n - 1);
    const varX = (CORRELATED_CONTROL.covariateSumSquares - CORRELATED_CONTROL.covariateSum ** 2 / n) / (n - 1);
    const covariance = (CORRELATED_CONTROL.sumProducts - (CORRELATED_CONTROL.sum * CORRELATED_CONTROL.covariateSum) / n) / (n - 1);
    relativeClose(summary.mean, meanY - 0.5 * meanX, 1e-12);
    relativeClose(summary.variance, varY + 0.25 * varX - covariance, 1e-12);
  });
});
