import { AbTestAnalysisInput, AbTestComparison, analyzeAbTest } from 'src/ab-tests/ab-test.stats';
import { twoSidedTTest } from 'src/ab-tests/frequentist.stats';
import { summarizeSample } from 'src/ab-tests/frequentist.stats';
import {
  BAYESIAN_VECTORS,
  FREQUENTIST_VECTORS,
  FULL_PRECISION_ESTIMATES,
  SufficientStatistic,
  expectRoundsTo,
  expectWithinRelative,
} from 'test/support/gbstats-vectors';
import { TEST_ANALYSIS_SETTINGS } from 'test/support/ab-test-settings';

/* gbstats' published expectations (sources and the full-precision transcription in test/support/gbstats-vectors.ts). */

function input(
  vector: {
    metricType: 'continuous' | 'binary';
    analysis: 'relative' | 'absolute';
    control: SufficientStatistic;
    treatment: SufficientStatistic;
  },
  overrides: Partial<AbTestAnalysisInput> = {},
): AbTestAnalysisInput {
  return {
    ...TEST_ANALYSIS_SETTINGS,
    metricType: vector.metricType,
    analysis: vector.analysis,
    variants: [
      { name: 'a', modelVersion: null, weight: 0.5, ...vector.control },
      { name: 'b', modelVersion: null, weight: 0.5, ...vector.treatment },
    ],
    ...overrides,
  };
}

/** [expected, ciLow, ciHigh, standard error, p-value] as the results report them (sequential: the sequence). */
export function frequentistFigures(comparison: AbTestComparison, analysis: 'relative' | 'absolute', sequential: boolean): unknown[] {
  const expected = analysis === 'relative' ? comparison.relativeEffect : comparison.absoluteEffect;
  return sequential
    ? [expected, comparison.sequentialCiLow, comparison.sequentialCiHigh, comparison.standardError, comparison.sequentialPValue]
    : [expected, comparison.ciLow, comparison.ciHigh, comparison.standardError, comparison.pValue];
}

describe('gbstats frequentist tests (packages/stats/tests/frequentist/test_tests.py)', () => {
  it.each(FREQUENTIST_VECTORS)('$name', (vector) => {
    const { comparisons } = analyzeAbTest(
      input(vector, { sequential: vector.sequential, sequentialTuningParameter: vector.sequentialTuningParameter }),
    );
    const figures = frequentistFigures(comparisons[0], vector.analysis, vector.sequential);
    figures.forEach((figure, index) => {
      expectRoundsTo(figure, vector.published[index]);
      expectWithinRelative(figure, vector.exact[index]);
    });
  });

  it.each(FULL_PRECISION_ESTIMATES)('estimate and uplift stddev at full precision ($analysis)', (vector) => {
    const { comparisons } = analyzeAbTest(input({ metricType: 'continuous', ...vector }));
    const estimate = vector.analysis === 'relative' ? comparisons[0].relativeEffect : comparisons[0].absoluteEffect;
    expectWithinRelative(estimate, vector.expected, 1e-12);
    expectWithinRelative(comparisons[0].standardError, vector.stdDev, 1e-12);
  });

  it('takes the p-value and the CI from the same analysis: p < α exactly when the CI excludes 0', () => {
    // The case: significant on the absolute p-value (0.02) while the relative CI (−0.035, 1.45) contains 0.
    const [relative] = FREQUENTIST_VECTORS;
    const comparison = analyzeAbTest(input(relative)).comparisons[0];
    expect(comparison.pValue!).toBeGreaterThan(0.05);
    expect(comparison.ciLow!).toBeLessThan(0);
    expect(comparison.significant).toBe(false);
    const absolute = analyzeAbTest(input({ ...relative, analysis: 'absolute' })).comparisons[0];
    expect(absolute.pValue!).toBeLessThan(0.05);
    expect(absolute.ciLow!).toBeGreaterThan(0);
    expect(absolute.significant).toBe(true);
    for (let shift = -0.5; shift <= 0.5; shift += 0.05) {
      const control = summarizeSample(3407, 1396.87, 52377.9767);
      const treatment = summarizeSample(3461, 2422.7 + shift * 3461, 134698.29 + 2 * shift * 2422.7 + shift * shift * 3461);
      for (const analysis of ['relative', 'absolute'] as const) {
        const test = twoSidedTTest(treatment, control, analysis, 0.05)!;
        expect(test.pValue < 0.05).toBe(test.ciLow > 0 || test.ciHigh < 0);
      }
    }
  });
});

describe('gbstats Bayesian tests (packages/stats/tests/bayesian/test_tests.py)', () => {
  it.each(BAYESIAN_VECTORS)('$name', (vector) => {
    const { comparisons } = analyzeAbTest(input(vector, { engine: 'bayesian', prior: vector.prior }));
    const posterior = comparisons[0].bayesian!;
    const figures = [
      posterior.expected,
      posterior.stdDev,
      posterior.chanceToWin,
      posterior.ciLow,
      posterior.ciHigh,
      posterior.riskControl,
      posterior.riskTreatment,
    ];
    figures.forEach((figure, index) => {
      expectRoundsTo(figure, vector.published[index]);
      expectWithinRelative(figure, vector.exact[index]);
    });
  });

  it('moves a relative proper prior to the absolute scale for an absolute analysis (mean·|μ_c|, variance·μ_c²)', () => {
    // bayes(mean_stat(100, 1002.25, 10), mean_stat(105, 1111.5, 10), False, (0.1 * 10, 0.1 * 100))
    const [, gaussian] = BAYESIAN_VECTORS;
    const posterior = analyzeAbTest(
      input({ ...gaussian, analysis: 'absolute' }, { engine: 'bayesian', prior: { mean: 0.1, variance: 0.1 } }),
    ).comparisons[0].bayesian!;
    expectWithinRelative(posterior.expected, 0.5061728395061729);
    expectWithinRelative(posterior.stdDev, 0.35136418446315326);
    expectWithinRelative(posterior.chanceToWin, 0.9251501725056291);
    expectWithinRelative(posterior.riskControl, 0.5179474100948848);
    expectWithinRelative(posterior.riskTreatment, 0.011774570588711866);
  });

  it('reports a null posterior when the effect is undefined (no data in a variant)', () => {
    const [, gaussian] = BAYESIAN_VECTORS;
    const analysis = analyzeAbTest(input({ ...gaussian, treatment: { count: 0, sum: 0, sumSquares: 0 } }, { engine: 'bayesian' }));
    expect(analysis.comparisons[0].bayesian).toBeNull();
    expect(analysis.recommendation).toBe('continue');
  });
});
