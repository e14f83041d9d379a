/**
 * Tests with several metrics: one primary (decides), secondaries (reported, optionally corrected together with the
 * primary) and guardrails (a failing guardrail forbids shipping a treatment). Each metric is analysed with the test's
 * engine and analysis (ab-test.stats.ts analyzeSamples); continuous and binomial metrics as gbstats'
 * SampleMeanStatistic and ProportionStatistic, ratio metrics as its RatioStatistic. Pure TypeScript: no framework or
 * database imports.
 */
import {
  AbTestAnalysis,
  AbTestAnalysisInput,
  AbTestInputProblem,
  SampleAnalysisOptions,
  analyzeSamples,
  decisionSignificance,
  withRecommendation,
} from 'src/ab-tests/ab-test.stats';
import {
  RatioSums,
  SampleSummary,
  holmBonferroni,
  summarizeProportion,
  summarizeRatio,
  summarizeSample,
} from 'src/ab-tests/frequentist.stats';

export const METRIC_ROLES = ['primary', 'secondary', 'guardrail'] as const;
export const METRIC_TYPES = ['continuous', 'binomial', 'ratio'] as const;
export const METRIC_DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;
export const CORRECTION_SCOPES = ['variants', 'variants_and_metrics'] as const;
export type MetricRole = (typeof METRIC_ROLES)[number];
export type MetricType = (typeof METRIC_TYPES)[number];
export type MetricDirection = (typeof METRIC_DIRECTIONS)[number];
export type CorrectionScope = (typeof CORRECTION_SCOPES)[number];

export interface MetricDefinition {
  name: string;
  role: MetricRole;
  type: MetricType;
  direction: MetricDirection;
  /** Guardrails only: the tolerated relative harm, e.g. 0.02. */
  tolerance: number | null;
  /** CUPED: each unit carries a pre-experiment covariate and the metric is regression-adjusted (cuped.stats.ts). */
  covariate: boolean;
}

/**
 * One metric's running sums for one variant. The paired fields hold the unit's second value: a ratio metric's
 * denominator (Σd, Σd², Σm·d) or a CUPED metric's covariate (Σx, Σx², Σx·y); 0 for other metrics.
 */
export type MetricVariantSums = RatioSums & { centeredSumSquares?: number };

export interface MetricInput extends MetricDefinition {
  /** In variant order (index 0 is the control). */
  variants: MetricVariantSums[];
}

export interface GuardrailCheck {
  /** The relative CI the check reads (higher_is_better: harm when ciHigh < −tolerance). */
  ciLow: number | null;
  ciHigh: number | null;
  failed: boolean;
}

export interface MetricAnalysis extends MetricDefinition {
  analysis: AbTestAnalysis;
  /** Guardrails only, one per treatment. */
  guardrails?: GuardrailCheck[];
}

export interface MultiMetricAnalysis {
  correctionScope: CorrectionScope;
  /** The primary metric's analysis, with guardrails and the correction scope applied to its recommendation. */
  primary: AbTestAnalysis;
  metrics: MetricAnalysis[];
}

/** Every problem with a set of metric definitions, as { field, message }. */
export function metricDefinitionProblems(metrics: readonly MetricDefinition[]): AbTestInputProblem[] {
  const problems: AbTestInputProblem[] = [];
  const primaries = metrics.filter((metric) => metric.role === 'primary').length;
  if (primaries !== 1) problems.push({ field: 'metrics', message: `must have exactly one primary metric (has ${primaries})` });
  const names = new Set<string>();
  metrics.forEach((metric, index) => {
    if (names.has(metric.name))
      problems.push({ field: `metrics[${index}].name`, message: `duplicates another metric's name "${metric.name}"` });
    names.add(metric.name);
    if (metric.role === 'guardrail' && metric.tolerance === null) {
      problems.push({
        field: `metrics[${index}].tolerance`,
        message: 'is required for a guardrail (the tolerated relative harm, e.g. 0.02)',
      });
    }
    if (metric.role !== 'guardrail' && metric.tolerance !== null) {
      problems.push({ field: `metrics[${index}].tolerance`, message: 'applies to guardrail metrics only' });
    }
    if (metric.covariate && metric.type === 'ratio') {
      problems.push({ field: `metrics[${index}].covariate`, message: 'applies to continuous and binomial metrics (not ratio)' });
    }
  });
  return problems;
}

/** A metric's per-variant summary for its type. */
export function summarizeMetricVariant(type: MetricType, sums: MetricVariantSums): SampleSummary {
  if (type === 'ratio') return summarizeRatio(sums);
  if (type === 'binomial') return summarizeProportion(sums.count, sums.sum);
  return summarizeSample(sums.count, sums.sum, sums.sumSquares, sums.centeredSumSquares);
}

/**
 * A guardrail fails when its relative (1 − α) CI lies entirely beyond the tolerated harm: for a higher-is-better
 * metric ciHigh < −tolerance, for a lower-is-better one ciLow > tolerance.
 */
export function checkGuardrail(ciLow: number | null, ciHigh: number | null, direction: MetricDirection, tolerance: number): GuardrailCheck {
  const failed = direction === 'higher_is_better' ? ciHigh !== null && ciHigh < -tolerance : ciLow !== null && ciLow > tolerance;
  return { ciLow, ciHigh, failed };
}

/** Analyses every metric of a test; settings (alpha, engine, analysis, …) and variants come from `base`. */
export function analyzeMetrics(
  base: AbTestAnalysisInput,
  metrics: readonly MetricInput[],
  correctionScope: CorrectionScope,
): MultiMetricAnalysis {
  const analysed = metrics.map((metric) => {
    const samples = metric.variants.map((sums) => summarizeMetricVariant(metric.type, sums));
    const input = metricInput(base, metric);
    const cuped = covariateOptions(metric);
    const lowerIsBetter = metric.direction === 'lower_is_better';
    return { metric, input, samples, cuped, analysis: analyzeSamples(input, samples, { lowerIsBetter, cuped }) };
  });

  // The fixed-horizon relative (1 − α) t interval of each comparison (CUPED-adjusted for a metric with a covariate).
  const guardrailChecks = analysed.map(({ metric, analysis }) => {
    if (metric.role !== 'guardrail' || metric.tolerance === null) return undefined;
    const tolerance = metric.tolerance;
    return analysis.comparisons.map((comparison) =>
      checkGuardrail(comparison.relativeCiLow, comparison.relativeCiHigh, metric.direction, tolerance),
    );
  });
  const blocked = new Set<string>();
  guardrailChecks.forEach((checks) =>
    checks?.forEach((check, index) => {
      if (check.failed) blocked.add(base.variants[index + 1].name);
    }),
  );

  // variants_and_metrics: one Holm family over every treatment of the primary and secondary metrics.
  let decisive: boolean[][] | null = null;
  if (correctionScope === 'variants_and_metrics') {
    const family = analysed.flatMap(({ metric, analysis }, metricIndex) =>
      metric.role === 'guardrail'
        ? []
        : analysis.comparisons.map((comparison, comparisonIndex) => ({
            metricIndex,
            comparisonIndex,
            pValue: base.sequential ? (comparison.sequentialPValue ?? null) : comparison.pValue,
          })),
    );
    const adjusted = holmBonferroni(family.map((entry) => entry.pValue));
    decisive = analysed.map(({ analysis }) => analysis.comparisons.map(() => false));
    family.forEach((entry, index) => {
      const comparison = analysed[entry.metricIndex].analysis.comparisons[entry.comparisonIndex];
      const value = adjusted[index];
      if (!base.sequential) {
        comparison.adjustedPValue = value;
        comparison.significant = value !== null && value < base.alpha;
      }
      decisive![entry.metricIndex][entry.comparisonIndex] =
        base.engine === 'bayesian' ? decisionSignificance(base, comparison, null) : value !== null && value < base.alpha;
    });
  }

  // The primary metric is decided once more, now that the guardrails and the correction across metrics are known.
  const primaryIndex = analysed.findIndex(({ metric }) => metric.role === 'primary');
  const primaryEntry = analysed[primaryIndex];
  const primary = withRecommendation(primaryEntry.input, primaryEntry.analysis, {
    lowerIsBetter: primaryEntry.metric.direction === 'lower_is_better',
    blocked,
    decisive: decisive?.[primaryIndex],
  });
  primaryEntry.analysis = primary;

  return {
    correctionScope,
    primary,
    metrics: analysed.map(({ metric, analysis }, index) => ({
      name: metric.name,
      role: metric.role,
      type: metric.type,
      direction: metric.direction,
      tolerance: metric.tolerance,
      covariate: metric.covariate,
      analysis,
      ...(guardrailChecks[index] ? { guardrails: guardrailChecks[index] } : {}),
    })),
  };
}

/** A CUPED metric's sums as the covariate analysis reads them (the paired fields hold the covariate). */
function covariateOptions(metric: MetricInput): SampleAnalysisOptions['cuped'] {
  if (!metric.covariate || metric.type === 'ratio') return undefined;
  return {
    kind: metric.type,
    variants: metric.variants.map((sums) => ({
      count: sums.count,
      sum: sums.sum,
      sumSquares: sums.sumSquares,
      covariateSum: sums.denominatorSum,
      covariateSumSquares: sums.denominatorSumSquares,
      sumProducts: sums.sumProducts,
    })),
  };
}

/** The engine's input for one metric: the test's settings, the metric's counts and its type as the engine knows it. */
function metricInput(base: AbTestAnalysisInput, metric: MetricInput): AbTestAnalysisInput {
  return {
    ...base,
    metricType: metric.type === 'binomial' ? 'binary' : 'continuous',
    // The sample-size plan belongs to the primary metric.
    ...(metric.role === 'primary' ? {} : { baselineRate: null, baselineMean: null, baselineStdDev: null }),
    variants: base.variants.map((variant, index) => ({ ...variant, ...metric.variants[index] })),
  };
}
