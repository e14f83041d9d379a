/**
 * Input rules of the analysis (the same rules guard a test's definition and its stored aggregates): every problem is
 * reported as { field, message }. Pure TypeScript: no framework or database imports.
 */
import type { AbTestAnalysisInput, AbTestInputProblem, AbTestMetricType, AbTestVariantInput } from 'src/ab-tests/ab-test.stats';

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Problems with one variant's aggregates (count, sum, sumSquares) for the metric type; empty when consistent. */
export function validateVariantAggregates(
  metricType: AbTestMetricType,
  variant: Pick<AbTestVariantInput, 'count' | 'sum' | 'sumSquares'>,
  fieldPrefix = '',
): AbTestInputProblem[] {
  const problems: AbTestInputProblem[] = [];
  const { count, sum, sumSquares } = variant;
  if (!Number.isInteger(count) || count < 0) {
    problems.push({ field: `${fieldPrefix}count`, message: 'must be a non-negative integer' });
  }
  if (!isFiniteNumber(sum)) problems.push({ field: `${fieldPrefix}sum`, message: 'must be a finite number' });
  if (!isFiniteNumber(sumSquares)) {
    problems.push({ field: `${fieldPrefix}sumSquares`, message: 'must be a finite number' });
  }
  if (problems.length > 0) return problems;
  if (metricType === 'binary') {
    if (!Number.isInteger(sum) || sum < 0 || sum > count) {
      problems.push({ field: `${fieldPrefix}sum`, message: 'must be an integer number of successes in [0, count]' });
    }
    if (sumSquares !== sum) {
      problems.push({ field: `${fieldPrefix}sumSquares`, message: 'must equal sum for a binary metric' });
    }
    return problems;
  }
  if (sumSquares < 0) problems.push({ field: `${fieldPrefix}sumSquares`, message: 'must be >= 0' });
  if (count === 0 && (sum !== 0 || sumSquares !== 0)) {
    problems.push({ field: `${fieldPrefix}count`, message: 'is 0, so sum and sumSquares must be 0' });
  } else if (sum * sum > count * sumSquares * (1 + 1e-9)) {
    // Cauchy–Schwarz: (Σx)² ≤ n·Σx² for any real data.
    problems.push({ field: `${fieldPrefix}sumSquares`, message: 'is too small for sum and count ((Σx)² > n·Σx²)' });
  }
  return problems;
}

/** Every problem with an analysis input, as { field, message }; empty when the input can be analysed. */
export function validateAbTestAnalysisInput(input: AbTestAnalysisInput): AbTestInputProblem[] {
  const problems: AbTestInputProblem[] = [];
  if (input.metricType !== 'binary' && input.metricType !== 'continuous') {
    problems.push({ field: 'metricType', message: "must be 'binary' or 'continuous'" });
  }
  if (!isFiniteNumber(input.alpha) || input.alpha <= 0 || input.alpha >= 1) {
    problems.push({ field: 'alpha', message: 'must be in (0, 1)' });
  }
  if (!isFiniteNumber(input.power) || input.power <= 0 || input.power >= 1) {
    problems.push({ field: 'power', message: 'must be in (0, 1)' });
  }
  const mde = input.minimumDetectableEffect;
  if (!isFiniteNumber(mde) || mde === 0 || mde <= -1) {
    problems.push({ field: 'minimumDetectableEffect', message: 'must be a non-zero relative effect greater than -1' });
  }
  if (input.baselineRate !== null) {
    if (!isFiniteNumber(input.baselineRate) || input.baselineRate <= 0 || input.baselineRate >= 1) {
      problems.push({ field: 'baselineRate', message: 'must be in (0, 1) or null' });
    } else if (input.metricType === 'binary' && isFiniteNumber(mde) && input.baselineRate * (1 + mde) > 1) {
      problems.push({
        field: 'minimumDetectableEffect',
        message: 'makes the target rate baselineRate·(1 + MDE) exceed 1',
      });
    }
  }
  if (input.baselineMean !== null && (!isFiniteNumber(input.baselineMean) || input.baselineMean === 0)) {
    problems.push({ field: 'baselineMean', message: 'must be a non-zero finite number or null' });
  }
  if (input.baselineStdDev !== null && (!isFiniteNumber(input.baselineStdDev) || input.baselineStdDev <= 0)) {
    problems.push({ field: 'baselineStdDev', message: 'must be a positive finite number or null' });
  }
  if (typeof input.sequential !== 'boolean') problems.push({ field: 'sequential', message: 'must be a boolean' });
  if (input.analysis !== 'relative' && input.analysis !== 'absolute') {
    problems.push({ field: 'analysis', message: "must be 'relative' or 'absolute'" });
  }
  if (input.engine !== 'frequentist' && input.engine !== 'bayesian') {
    problems.push({ field: 'engine', message: "must be 'frequentist' or 'bayesian'" });
  }
  if (!isFiniteNumber(input.sequentialTuningParameter) || input.sequentialTuningParameter <= 0) {
    problems.push({ field: 'sequentialTuningParameter', message: 'must be a positive number' });
  }
  if (input.prior !== null) {
    if (!isFiniteNumber(input.prior.mean)) problems.push({ field: 'prior.mean', message: 'must be a finite number' });
    if (!isFiniteNumber(input.prior.variance) || input.prior.variance <= 0) {
      problems.push({ field: 'prior.variance', message: 'must be a finite number > 0' });
    }
  }
  if (!Number.isInteger(input.minSamplesPerVariant) || input.minSamplesPerVariant < 0) {
    problems.push({ field: 'minSamplesPerVariant', message: 'must be a non-negative integer' });
  }
  if (!Array.isArray(input.variants) || input.variants.length < 2) {
    problems.push({ field: 'variants', message: 'must list the control and at least one treatment' });
    return problems;
  }
  const names = new Set<string>();
  let weightSum = 0;
  input.variants.forEach((variant, index) => {
    const prefix = `variants[${index}].`;
    if (typeof variant.name !== 'string' || variant.name.length === 0) {
      problems.push({ field: `${prefix}name`, message: 'must be a non-empty string' });
    } else if (names.has(variant.name)) {
      problems.push({ field: `${prefix}name`, message: `duplicates another variant's name "${variant.name}"` });
    } else {
      names.add(variant.name);
    }
    if (variant.modelVersion !== null && typeof variant.modelVersion !== 'string') {
      problems.push({ field: `${prefix}modelVersion`, message: 'must be a string or null' });
    }
    if (!isFiniteNumber(variant.weight) || variant.weight < 0) {
      problems.push({ field: `${prefix}weight`, message: 'must be a finite number >= 0' });
    } else {
      weightSum += variant.weight;
    }
    if (input.metricType === 'binary' || input.metricType === 'continuous') {
      problems.push(...validateVariantAggregates(input.metricType, variant, prefix));
    }
    const centered = variant.centeredSumSquares;
    if (centered !== undefined && (!isFiniteNumber(centered) || centered < 0)) {
      problems.push({ field: `${prefix}centeredSumSquares`, message: 'must be a finite number >= 0' });
    }
  });
  if (!(weightSum > 0)) problems.push({ field: 'variants', message: 'weights must have a positive sum' });
  return problems;
}
