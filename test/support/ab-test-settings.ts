import type { AbTestAnalysisInput } from 'src/ab-tests/ab-test.stats';

/**
 * The analysis settings the A/B unit specs share (a fixed-horizon, frequentist, relative test at α = 0.05 with no
 * baselines or prior): a spec spreads these and sets its metric type, variants and whatever it is about.
 */
export const TEST_ANALYSIS_SETTINGS: Omit<AbTestAnalysisInput, 'metricType' | 'variants'> = {
  alpha: 0.05,
  power: 0.8,
  minimumDetectableEffect: 0.05,
  baselineRate: null,
  baselineMean: null,
  baselineStdDev: null,
  sequential: false,
  minSamplesPerVariant: 0,
  analysis: 'relative',
  engine: 'frequentist',
  sequentialTuningParameter: 5000,
  prior: null,
};
