/**
 * Input rules for A/B tests that class-validator cannot express (they span fields or need the test's variants),
 * and the in-memory aggregation of an observation batch into per-variant increments of (n, Σx, Σx²).
 * Pure TypeScript: no framework or database imports.
 */
import { AbTestAnalysisInput, AbTestInputProblem, AbTestMetricType, AbTestVariantInput } from 'src/ab-tests/ab-test.stats';
import { validateAbTestAnalysisInput, validateVariantAggregates } from 'src/ab-tests/ab-test-validation.policy';
import { centeredSumOfSquares, mergeCenteredSumSquares } from 'src/ab-tests/frequentist.stats';

/** A test's settings and variants, before any observation. */
export type AbTestDefinition = Omit<AbTestAnalysisInput, 'variants'> & {
  variants: Array<Pick<AbTestVariantInput, 'name' | 'modelVersion' | 'weight'>>;
};

/** Every problem with a test definition (duplicate names, baselines that do not fit the metric type, …). */
export function definitionProblems(definition: AbTestDefinition): AbTestInputProblem[] {
  const problems = validateAbTestAnalysisInput({
    ...definition,
    variants: definition.variants.map((variant) => ({ ...variant, count: 0, sum: 0, sumSquares: 0 })),
  });
  const { metricType, baselineRate, baselineMean, baselineStdDev } = definition;
  if (metricType === 'binary') {
    for (const [field, value] of [
      ['baselineMean', baselineMean],
      ['baselineStdDev', baselineStdDev],
    ] as const) {
      if (value !== null) problems.push({ field, message: 'applies to continuous metrics; give baselineRate instead' });
    }
  } else {
    if (baselineRate !== null) {
      problems.push({ field: 'baselineRate', message: 'applies to binary metrics; give baselineMean and baselineStdDev' });
    }
    if ((baselineMean === null) !== (baselineStdDev === null)) {
      const missing = baselineMean === null ? 'baselineMean' : 'baselineStdDev';
      const given = baselineMean === null ? 'baselineStdDev' : 'baselineMean';
      problems.push({ field: missing, message: `is required together with ${given}` });
    }
  }
  return problems;
}

export interface RawObservation {
  variant: string;
  value: number;
  /** Ratio metrics only: the unit's denominator (e.g. its sessions). */
  denominator?: number;
  /** CUPED metrics only: the unit's pre-experiment covariate. */
  covariate?: number;
}

export interface VariantAggregate {
  variant: string;
  count: number;
  sum: number;
  /** Optional for binary metrics (it equals sum). */
  sumSquares?: number;
  /** Ratio metrics only (all three required): Σd, Σd², Σm·d. */
  denominatorSum?: number;
  denominatorSumSquares?: number;
  sumProducts?: number;
  /** CUPED metrics only (all three required): Σx, Σx², Σx·y of the covariate. */
  covariateSum?: number;
  covariateSumSquares?: number;
  covariateSumProducts?: number;
}

/** The kinds of values a batch can carry: a single-metric test's type, or a ratio metric's numerator/denominator pairs. */
export type BatchMetricType = AbTestMetricType | 'ratio';

/** What one batch adds to one variant (by position; position 0 is the control). */
export interface VariantIncrement {
  position: number;
  count: number;
  sum: number;
  sumSquares: number;
  /** Σ(x − x̄)² of the batch's values for the variant (merged into the stored one with Chan's update). */
  centeredSumSquares: number;
  /** Ratio metrics: Σd, Σd², Σm·d; CUPED metrics: Σx, Σx², Σx·y (the paired columns). */
  denominatorSum?: number;
  denominatorSumSquares?: number;
  sumProducts?: number;
}

export interface ObservationBatchTotals {
  problems: AbTestInputProblem[];
  /** Only the variants the batch touches, in position order. */
  increments: VariantIncrement[];
  /** Observations in the batch: raw values plus the aggregates' counts. */
  observationCount: number;
}

/** A batch of 10,000 bad values should not produce a 10,000-entry error body. */
export const MAX_REPORTED_PROBLEMS = 100;

/**
 * Values (and aggregate means) beyond ±1e100 are refused: then Σx² and (Σx)² stay finite in double precision for any
 * realistic number of observations (up to ~1e100 batches of 1e12), so neither the counters nor the analysis overflow.
 */
export const MAX_ABSOLUTE_VALUE = 1e100;

/** Relative tolerance for "Σx² of one value equals (Σx)²". */
const SINGLE_VALUE_TOLERANCE = 1e-9;

/** Neumaier's compensated summation, so a batch's Σx and Σx² carry one rounding, not one per value. */
class CompensatedSum {
  private total = 0;
  private compensation = 0;

  static of(values: readonly number[], transform: (value: number) => number = (value) => value): number {
    const sum = new CompensatedSum();
    for (const value of values) sum.add(transform(value));
    return sum.value();
  }

  add(value: number): void {
    // Neumaier (1974), ZAMM 54:39, the improved Kahan–Babuška sum: carry the low-order bits lost by each addition.
    const next = this.total + value;
    this.compensation += Math.abs(this.total) >= Math.abs(value) ? this.total - next + value : value - next + this.total;
    this.total = next;
  }

  value(): number {
    return this.total + this.compensation;
  }
}

/**
 * Validates a batch against the test's variants and metric type and sums it per variant. All or nothing: when
 * `problems` is not empty the batch must not be recorded. Field paths name the offending entry
 * (`observations[3].value`, `aggregates[0].sum`).
 */
export function aggregateObservationBatch(
  batchType: BatchMetricType,
  variantNames: readonly string[],
  batch: { observations?: readonly RawObservation[]; aggregates?: readonly VariantAggregate[] },
  covariate = false,
): ObservationBatchTotals {
  const problems: AbTestInputProblem[] = [];
  const ratio = batchType === 'ratio';
  /** Each unit carries a second value: its denominator (ratio) or its covariate (CUPED). */
  const paired = ratio || covariate;
  const metricType: AbTestMetricType = batchType === 'binary' ? 'binary' : 'continuous';
  const ratioSums = variantNames.map(() => ({
    denominatorSum: [] as number[],
    denominatorSumSquares: [] as number[],
    sumProducts: [] as number[],
  }));
  const positions = new Map(variantNames.map((name, position) => [name, position]));
  const values = variantNames.map((): number[] => []);
  const summaries = variantNames.map((): Array<{ count: number; sum: number; sumSquares: number }> => []);
  const observations = batch.observations ?? [];
  const aggregates = batch.aggregates ?? [];
  const report = (field: string, message: string) => {
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push({ field, message });
  };
  const positionOf = (field: string, variant: string): number | undefined => {
    const position = positions.get(variant);
    if (position === undefined) {
      report(field, `is not a variant of this test (variants: ${variantNames.join(', ')})`);
    }
    return position;
  };

  if (observations.length === 0 && aggregates.length === 0) {
    report('observations', 'give at least one observation or aggregate');
  }

  observations.forEach((observation, index) => {
    const position = positionOf(`observations[${index}].variant`, observation.variant);
    const { value } = observation;
    if (metricType === 'binary' && value !== 0 && value !== 1) {
      report(`observations[${index}].value`, 'must be 0 or 1 for a binary metric');
      return;
    }
    if (Math.abs(value) > MAX_ABSOLUTE_VALUE) {
      report(`observations[${index}].value`, `must be within ±${MAX_ABSOLUTE_VALUE}`);
      return;
    }
    const { denominator } = observation;
    if (ratio && denominator === undefined) {
      report(`observations[${index}].denominator`, 'is required for a ratio metric');
      return;
    }
    if (!ratio && denominator !== undefined) {
      report(`observations[${index}].denominator`, 'applies to ratio metrics only');
      return;
    }
    if (denominator !== undefined && Math.abs(denominator) > MAX_ABSOLUTE_VALUE) {
      report(`observations[${index}].denominator`, `must be within ±${MAX_ABSOLUTE_VALUE}`);
      return;
    }
    const covariateProblem = covariateValueProblem(covariate, metricType, observation.covariate);
    if (covariateProblem !== null) {
      report(`observations[${index}].covariate`, covariateProblem);
      return;
    }
    const second = denominator ?? observation.covariate;
    if (position !== undefined) {
      values[position].push(value);
      if (second !== undefined) {
        ratioSums[position].denominatorSum.push(second);
        ratioSums[position].denominatorSumSquares.push(second * second);
        ratioSums[position].sumProducts.push(value * second);
      }
    }
  });

  aggregates.forEach((aggregate, index) => {
    const prefix = `aggregates[${index}].`;
    const position = positionOf(`${prefix}variant`, aggregate.variant);
    let sumSquares = aggregate.sumSquares;
    if (sumSquares === undefined) {
      if (metricType === 'continuous') {
        report(`${prefix}sumSquares`, 'is required for a continuous metric');
        return;
      }
      sumSquares = aggregate.sum;
    }
    const { count, sum } = aggregate;
    const aggregateProblems = validateVariantAggregates(metricType, { count, sum, sumSquares }, prefix);
    for (const field of ['denominatorSum', 'denominatorSumSquares', 'sumProducts'] as const) {
      const given = aggregate[field];
      if (ratio && given === undefined) aggregateProblems.push({ field: `${prefix}${field}`, message: 'is required for a ratio metric' });
      if (!ratio && given !== undefined) aggregateProblems.push({ field: `${prefix}${field}`, message: 'applies to ratio metrics only' });
    }
    for (const field of ['covariateSum', 'covariateSumSquares', 'covariateSumProducts'] as const) {
      const given = aggregate[field];
      if (covariate && given === undefined)
        aggregateProblems.push({ field: `${prefix}${field}`, message: 'is required for a metric with a covariate (CUPED)' });
      if (!covariate && given !== undefined)
        aggregateProblems.push({ field: `${prefix}${field}`, message: 'applies to metrics with a covariate (CUPED) only' });
      if (given !== undefined && Math.abs(given) > count * MAX_ABSOLUTE_VALUE * MAX_ABSOLUTE_VALUE)
        aggregateProblems.push({ field: `${prefix}${field}`, message: `must be within ±count·${MAX_ABSOLUTE_VALUE}²` });
    }
    if (count < 1) {
      aggregateProblems.push({ field: `${prefix}count`, message: 'must be at least 1' });
    } else if (count === 1 && Math.abs(sumSquares - sum * sum) > SINGLE_VALUE_TOLERANCE * Math.max(sumSquares, sum * sum)) {
      aggregateProblems.push({
        field: `${prefix}count`,
        message: 'is 1, but sumSquares ≠ sum² would give one value a variance; post single values as observations',
      });
    }
    if (Math.abs(sum) > count * MAX_ABSOLUTE_VALUE) {
      aggregateProblems.push({ field: `${prefix}sum`, message: `must be within ±count·${MAX_ABSOLUTE_VALUE}` });
    }
    if (sumSquares > count * MAX_ABSOLUTE_VALUE * MAX_ABSOLUTE_VALUE) {
      aggregateProblems.push({ field: `${prefix}sumSquares`, message: `must be at most count·${MAX_ABSOLUTE_VALUE}²` });
    }
    aggregateProblems.forEach((problem) => report(problem.field, problem.message));
    if (position !== undefined && aggregateProblems.length === 0) {
      summaries[position].push({ count, sum, sumSquares });
      if (ratio) {
        ratioSums[position].denominatorSum.push(aggregate.denominatorSum as number);
        ratioSums[position].denominatorSumSquares.push(aggregate.denominatorSumSquares as number);
        ratioSums[position].sumProducts.push(aggregate.sumProducts as number);
      }
      if (covariate) {
        ratioSums[position].denominatorSum.push(aggregate.covariateSum as number);
        ratioSums[position].denominatorSumSquares.push(aggregate.covariateSumSquares as number);
        ratioSums[position].sumProducts.push(aggregate.covariateSumProducts as number);
      }
    }
  });

  const increments = variantNames
    .map((_, position) => {
      const increment = summarizeVariant(position, values[position], summaries[position]);
      if (!paired) return increment;
      const sums = ratioSums[position];
      return {
        ...increment,
        denominatorSum: CompensatedSum.of(sums.denominatorSum),
        denominatorSumSquares: CompensatedSum.of(sums.denominatorSumSquares),
        sumProducts: CompensatedSum.of(sums.sumProducts),
      };
    })
    .filter((increment) => increment.count > 0);
  const observationCount = increments.reduce((sum, increment) => sum + increment.count, 0);
  return { problems, increments: problems.length > 0 ? [] : increments, observationCount };
}

/** Why an observation's covariate is refused, or null: required exactly on CUPED metrics, 0/1 on binary ones. */
function covariateValueProblem(expected: boolean, metricType: AbTestMetricType, value: number | undefined): string | null {
  if (expected && value === undefined) return 'is required for a metric with a covariate (CUPED): every unit carries one';
  if (!expected && value !== undefined) return 'applies to metrics with a covariate (CUPED) only';
  if (value === undefined) return null;
  if (metricType === 'binary' && value !== 0 && value !== 1) return 'must be 0 or 1 for a binomial metric';
  if (Math.abs(value) > MAX_ABSOLUTE_VALUE) return `must be within ±${MAX_ABSOLUTE_VALUE}`;
  return null;
}

/** One variant's increment: its raw values (centred exactly, in two passes) merged with its aggregates. */
function summarizeVariant(
  position: number,
  values: readonly number[],
  aggregates: ReadonlyArray<{ count: number; sum: number; sumSquares: number }>,
): VariantIncrement {
  const valuesSum = CompensatedSum.of(values);
  let merged = { count: values.length, sum: valuesSum, centeredSumSquares: centeredSumOfSquares(values) };
  for (const aggregate of aggregates) {
    // A posted aggregate carries only Σx², so its centred sum is the (clamped) difference of sums.
    const centered = Math.max(0, aggregate.sumSquares - (aggregate.sum * aggregate.sum) / aggregate.count);
    merged = {
      count: merged.count + aggregate.count,
      sum: merged.sum + aggregate.sum,
      centeredSumSquares: mergeCenteredSumSquares(merged, { ...aggregate, centeredSumSquares: centered }),
    };
  }
  return {
    position,
    count: merged.count,
    sum: CompensatedSum.of([valuesSum, ...aggregates.map((aggregate) => aggregate.sum)]),
    sumSquares: CompensatedSum.of([
      CompensatedSum.of(values, (value) => value * value),
      ...aggregates.map((aggregate) => aggregate.sumSquares),
    ]),
    centeredSumSquares: merged.centeredSumSquares,
  };
}
