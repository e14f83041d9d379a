import { AbTestAnalysisInput } from 'src/ab-tests/ab-test.stats';
import { summarizeRatio } from 'src/ab-tests/frequentist.stats';
import { MetricInput, MetricVariantSums, analyzeMetrics, checkGuardrail, metricDefinitionProblems } from 'src/ab-tests/multi-metric.stats';
import { TEST_ANALYSIS_SETTINGS } from 'test/support/ab-test-settings';

/*
 * Expected values from python3 + scipy 1.17 (never from this code). Units are built from chosen moments: n units with
 * numerator mean μm, variance vm, denominator mean μd, variance vd, covariance c have Σm = nμm, Σm² = (n−1)vm + nμm²,
 * Σd = nμd, Σd² = (n−1)vd + nμd², Σmd = (n−1)c + nμmμd. gbstats RatioStatistic variance:
 *   def ratio(mm, vm, md, vd, c): return mm / md, vm/md**2 - 2*c*mm/md**3 + mm**2*vd/md**4
 */
function ratioSums(
  count: number,
  numeratorMean: number,
  numeratorVariance: number,
  denominatorMean: number,
  denominatorVariance: number,
  covariance: number,
): MetricVariantSums {
  return {
    count,
    sum: count * numeratorMean,
    sumSquares: (count - 1) * numeratorVariance + count * numeratorMean ** 2,
    denominatorSum: count * denominatorMean,
    denominatorSumSquares: (count - 1) * denominatorVariance + count * denominatorMean ** 2,
    sumProducts: (count - 1) * covariance + count * numeratorMean * denominatorMean,
  };
}

function continuousSums(count: number, mean: number, stdDev: number): MetricVariantSums {
  return { ...ratioSums(count, mean, stdDev ** 2, 0, 0, 0), denominatorSum: 0, denominatorSumSquares: 0, sumProducts: 0 };
}

function binomialSums(count: number, successes: number): MetricVariantSums {
  return { count, sum: successes, sumSquares: successes, denominatorSum: 0, denominatorSumSquares: 0, sumProducts: 0 };
}

const base: AbTestAnalysisInput = {
  ...TEST_ANALYSIS_SETTINGS,
  metricType: 'binary',
  variants: [
    { name: 'control', modelVersion: null, weight: 0.5, count: 1000, sum: 100, sumSquares: 100 },
    { name: 'challenger', modelVersion: null, weight: 0.5, count: 1000, sum: 150, sumSquares: 150 },
  ],
};

const conversion: MetricInput = {
  name: 'conversion',
  role: 'primary',
  type: 'binomial',
  direction: 'higher_is_better',
  tolerance: null,
  covariate: false,
  variants: [binomialSums(1000, 100), binomialSums(1000, 150)],
};

function latency(treatmentMean: number): MetricInput {
  return {
    name: 'latency_ms',
    role: 'guardrail',
    type: 'continuous',
    direction: 'lower_is_better',
    tolerance: 0.02,
    covariate: false,
    variants: [continuousSums(1000, 100, 10), continuousSums(1000, treatmentMean, 10)],
  };
}

const revenuePerSession: MetricInput = {
  name: 'revenue_per_session',
  role: 'secondary',
  type: 'ratio',
  direction: 'higher_is_better',
  tolerance: null,
  covariate: false,
  variants: [ratioSums(1000, 5, 4, 2, 1, 0.5), ratioSums(1000, 5.5, 4, 2, 1, 0.5)],
};

describe('summarizeRatio (gbstats RatioStatistic)', () => {
  it('gives Σm/Σd and the delta-method variance', () => {
    const summary = summarizeRatio(ratioSums(1000, 5, 4, 2, 1, 0.5));
    expect(summary.mean).toBeCloseTo(2.5, 12);
    // ratio(5, 4, 2, 1, 0.5)[1] == 1.9375
    expect(summary.variance).toBeCloseTo(1.9375, 9);
  });

  it('is undefined below two units or without a denominator', () => {
    expect(summarizeRatio(ratioSums(1, 5, 0, 2, 0, 0)).variance).toBeNull();
    expect(summarizeRatio({ ...ratioSums(10, 5, 4, 2, 1, 0.5), denominatorSum: 0 }).mean).toBeNull();
  });
});

describe('metricDefinitionProblems', () => {
  const secondary = {
    name: 's',
    role: 'secondary' as const,
    type: 'continuous' as const,
    direction: 'higher_is_better' as const,
    tolerance: null,
    covariate: false,
  };
  it('wants exactly one primary, a tolerance on guardrails only, and unique names', () => {
    expect(metricDefinitionProblems([secondary]).map((problem) => problem.field)).toEqual(['metrics']);
    expect(metricDefinitionProblems([conversion, { ...conversion, name: 'other' }]).map((problem) => problem.field)).toEqual(['metrics']);
    expect(metricDefinitionProblems([conversion, { ...latency(100), tolerance: null }]).map((problem) => problem.field)).toEqual([
      'metrics[1].tolerance',
    ]);
    expect(metricDefinitionProblems([conversion, { ...secondary, tolerance: 0.1 }]).map((problem) => problem.field)).toEqual([
      'metrics[1].tolerance',
    ]);
    expect(metricDefinitionProblems([conversion, { ...secondary, name: 'conversion' }]).map((problem) => problem.field)).toEqual([
      'metrics[1].name',
    ]);
    expect(metricDefinitionProblems([conversion, latency(100), secondary])).toEqual([]);
  });
});

describe('checkGuardrail', () => {
  it('fails only when the whole CI is beyond the tolerated harm', () => {
    expect(checkGuardrail(-0.05, -0.03, 'higher_is_better', 0.02).failed).toBe(true);
    expect(checkGuardrail(-0.05, -0.01, 'higher_is_better', 0.02).failed).toBe(false);
    expect(checkGuardrail(0.03, 0.05, 'lower_is_better', 0.02).failed).toBe(true);
    expect(checkGuardrail(0.01, 0.05, 'lower_is_better', 0.02).failed).toBe(false);
    expect(checkGuardrail(null, null, 'lower_is_better', 0.02).failed).toBe(false);
  });
});

describe('analyzeMetrics', () => {
  it('ships the primary winner when every guardrail passes, and analyses ratio metrics with the delta method', () => {
    const result = analyzeMetrics(base, [conversion, revenuePerSession, latency(100.2)], 'variants');
    expect(result.primary.recommendation).toBe('ship_variant');
    expect(result.primary.winner).toBe('challenger');
    const ratio = result.metrics[1].analysis.comparisons[0];
    // est = (2.75 − 2.5)/2.5; var = ratio(5.5, 4, 2, 1, 0.5)[1]/(2.5²·1000) + 1.9375·2.75²/(2.5⁴·1000) == 0.0007276
    expect(ratio.relativeEffect).toBeCloseTo(0.1, 12);
    expect(ratio.standardError).toBeCloseTo(Math.sqrt(0.0007276), 12);
    // 2 * st.t.sf(0.1 / np.sqrt(0.0007276), welch_df) == 0.00021524059550666945
    expect(Math.abs(ratio.pValue! - 0.00021524059550666945)).toBeLessThanOrEqual(1e-9 * 0.00021524059550666945);
    expect(result.metrics[2].guardrails![0].failed).toBe(false);
  });

  it('refuses to ship a treatment whose guardrail fails', () => {
    // latency +10 %: the relative CI lies far above the tolerated +2 %
    const result = analyzeMetrics(base, [conversion, revenuePerSession, latency(110)], 'variants');
    expect(result.metrics[2].guardrails![0]).toMatchObject({ failed: true });
    expect(result.metrics[2].guardrails![0].ciLow!).toBeGreaterThan(0.02);
    expect(result.primary.comparisons[0].significant).toBe(true);
    expect(result.primary.recommendation).toBe('guardrail_failed');
    expect(result.primary).not.toHaveProperty('winner');
  });

  it('corrects over variants and metrics when asked: Holm over the primary and secondary comparisons', () => {
    const perMetric = analyzeMetrics(base, [conversion, revenuePerSession, latency(100)], 'variants');
    const joint = analyzeMetrics(base, [conversion, revenuePerSession, latency(100)], 'variants_and_metrics');
    const primaryP = perMetric.primary.comparisons[0].pValue!;
    const secondaryP = perMetric.metrics[1].analysis.comparisons[0].pValue!;
    expect(perMetric.primary.comparisons[0].adjustedPValue).toBe(primaryP);
    // Holm over two p-values: the smaller doubled, the larger max(itself, the smaller doubled)
    const [low, high] = [Math.min(primaryP, secondaryP), Math.max(primaryP, secondaryP)];
    const expectedPrimary = primaryP === low ? Math.min(1, 2 * low) : Math.max(Math.min(1, 2 * low), high);
    expect(joint.primary.comparisons[0].adjustedPValue).toBeCloseTo(expectedPrimary, 15);
    expect(joint.metrics[2].analysis.comparisons[0].adjustedPValue).toBe(perMetric.metrics[2].analysis.comparisons[0].adjustedPValue);
  });
});
