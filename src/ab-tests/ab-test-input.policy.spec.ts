import { AbTestDefinition, aggregateObservationBatch, definitionProblems, MAX_REPORTED_PROBLEMS } from 'src/ab-tests/ab-test-input.policy';
import { TEST_ANALYSIS_SETTINGS } from 'test/support/ab-test-settings';

function definition(overrides: Partial<AbTestDefinition> = {}): AbTestDefinition {
  return {
    ...TEST_ANALYSIS_SETTINGS,
    metricType: 'binary',
    minSamplesPerVariant: 100,
    variants: [
      { name: 'control', modelVersion: null, weight: 0.5 },
      { name: 'challenger', modelVersion: 'v2', weight: 0.5 },
    ],
    ...overrides,
  };
}

describe('definitionProblems', () => {
  it('accepts a plain definition and both kinds of baseline', () => {
    expect(definitionProblems(definition())).toEqual([]);
    expect(definitionProblems(definition({ baselineRate: 0.2 }))).toEqual([]);
    expect(definitionProblems(definition({ metricType: 'continuous', baselineMean: 3, baselineStdDev: 1 }))).toEqual([]);
  });

  it('names duplicate variants, impossible targets and baselines that do not fit the metric', () => {
    const duplicate = definition({
      variants: [
        { name: 'a', modelVersion: null, weight: 1 },
        { name: 'a', modelVersion: null, weight: 1 },
      ],
    });
    expect(definitionProblems(duplicate).map((problem) => problem.field)).toEqual(['variants[1].name']);
    expect(definitionProblems(definition({ baselineRate: 0.9, minimumDetectableEffect: 0.2 })).map((problem) => problem.field)).toEqual([
      'minimumDetectableEffect',
    ]);
    expect(definitionProblems(definition({ baselineMean: 1, baselineStdDev: 1 })).map((problem) => problem.field)).toEqual([
      'baselineMean',
      'baselineStdDev',
    ]);
    const continuous = { metricType: 'continuous' as const };
    expect(definitionProblems(definition({ ...continuous, baselineRate: 0.1 })).map((problem) => problem.field)).toEqual(['baselineRate']);
    expect(definitionProblems(definition({ ...continuous, baselineStdDev: 2 })).map((problem) => problem.field)).toEqual(['baselineMean']);
    expect(definitionProblems(definition({ ...continuous, baselineMean: 2 })).map((problem) => problem.field)).toEqual(['baselineStdDev']);
  });
});

describe('aggregateObservationBatch', () => {
  const names = ['control', 'challenger', 'other'];

  it('sums raw values and aggregates per variant, touching only the variants in the batch', () => {
    const totals = aggregateObservationBatch('continuous', names, {
      observations: [
        { variant: 'challenger', value: 2 },
        { variant: 'control', value: 1 },
        { variant: 'challenger', value: 4 },
      ],
      aggregates: [{ variant: 'challenger', count: 3, sum: 9, sumSquares: 29 }],
    });
    expect(totals.problems).toEqual([]);
    expect(totals.observationCount).toBe(6);
    // challenger = [2, 4] ∪ {n 3, Σ 9, Σx² 29} (e.g. [2, 3, 4]): n 5, Σ 15, Σx² 49, Σ(x − 3)² = 49 − 45 = 4
    expect(totals.increments).toEqual([
      { position: 0, count: 1, sum: 1, sumSquares: 1, centeredSumSquares: 0 },
      { position: 1, count: 5, sum: 15, sumSquares: 49, centeredSumSquares: 4 },
    ]);
  });

  it('defaults a binary aggregate’s sumSquares to its sum', () => {
    const totals = aggregateObservationBatch('binary', names, { aggregates: [{ variant: 'other', count: 10, sum: 4 }] });
    // binary(10, 4): Σ(x − 0.4)² = 4·0.36 + 6·0.16 = 2.4
    expect(totals.increments).toEqual([{ position: 2, count: 10, sum: 4, sumSquares: 4, centeredSumSquares: expect.closeTo(2.4, 12) }]);
  });

  it('keeps the sums of many inexact values to the last bit (compensated summation)', () => {
    const values = Array<number>(10_000).fill(0.1);
    const [increment] = aggregateObservationBatch('continuous', names, {
      observations: values.map((value) => ({ variant: 'control', value })),
    }).increments;
    // math.fsum([0.1] * 10000) == 1000.0 (correctly rounded); naive left-to-right summation gives 1000.0000000001588
    expect(increment.sum).toBe(1000);
    expect(increment.centeredSumSquares).toBeLessThan(1e-24);
  });

  it('names every bad entry and records nothing', () => {
    const totals = aggregateObservationBatch('binary', names, {
      observations: [
        { variant: 'control', value: 1 },
        { variant: 'ghost', value: 1 },
        { variant: 'control', value: 0.5 },
      ],
      aggregates: [
        { variant: 'challenger', count: 5, sum: 6 },
        { variant: 'challenger', count: 5, sum: 2, sumSquares: 3 },
        { variant: 'ghost', count: 0, sum: 0 },
      ],
    });
    expect(totals.increments).toEqual([]);
    expect(totals.problems.map((problem) => problem.field)).toEqual([
      'observations[1].variant',
      'observations[2].value',
      'aggregates[0].sum',
      'aggregates[1].sumSquares',
      'aggregates[2].variant',
      'aggregates[2].count',
    ]);
  });

  it('checks continuous aggregates: sumSquares required, consistent with sum, and no variance from one value', () => {
    const fields = (aggregate: { variant: string; count: number; sum: number; sumSquares?: number }) =>
      aggregateObservationBatch('continuous', names, { aggregates: [aggregate] }).problems.map((problem) => problem.field);
    expect(fields({ variant: 'control', count: 4, sum: 2 })).toEqual(['aggregates[0].sumSquares']);
    expect(fields({ variant: 'control', count: 4, sum: 10, sumSquares: 20 })).toEqual(['aggregates[0].sumSquares']);
    expect(fields({ variant: 'control', count: 1, sum: 3, sumSquares: 10 })).toEqual(['aggregates[0].count']);
    expect(fields({ variant: 'control', count: 1, sum: 3, sumSquares: 9 })).toEqual([]);
    expect(fields({ variant: 'control', count: 1, sum: 0.1, sumSquares: 0.1 * 0.1 })).toEqual([]);
  });

  it('bounds magnitudes so that no sum can overflow', () => {
    const problems = aggregateObservationBatch('continuous', names, {
      observations: [{ variant: 'control', value: 2e100 }],
      aggregates: [{ variant: 'control', count: 2, sum: 1e100, sumSquares: 3e200 }],
    }).problems;
    expect(problems.map((problem) => problem.field)).toEqual(['observations[0].value', 'aggregates[0].sumSquares']);
  });

  it('asks for something to record, and caps the number of problems reported', () => {
    expect(aggregateObservationBatch('binary', names, {}).problems).toEqual([
      { field: 'observations', message: 'give at least one observation or aggregate' },
    ]);
    const many = Array.from({ length: 500 }, () => ({ variant: 'control', value: 7 }));
    expect(aggregateObservationBatch('binary', names, { observations: many }).problems).toHaveLength(MAX_REPORTED_PROBLEMS);
  });
});
