import { recordObservations, startAbTest, variantCounts } from 'test/support/ab-test-factories';
import { expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/*
 * CUPED through the API, on both databases. Reference values: gbstats' published test_sequential_test_runs_ra and the
 * numpy/scipy transcription of gbstats' RegressionAdjustedStatistic in src/ab-tests/cuped.stats.spec.ts (same inputs).
 */
const aggregate = (variant: string, count: number, sum: number, sumSquares: number, x: number, xx: number, xy: number) => ({
  variant,
  count,
  sum,
  sumSquares,
  covariateSum: x,
  covariateSumSquares: xx,
  covariateSumProducts: xy,
});

const CUPED_METRICS = [
  { name: 'revenue', role: 'primary', type: 'continuous', covariate: true },
  { name: 'conversion', role: 'secondary', type: 'binomial' },
];

describe('A/B tests: CUPED (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const startCuped = (overrides: Record<string, unknown> = {}) =>
    startAbTest(testApp, {
      metricType: undefined,
      primaryMetric: undefined,
      metrics: CUPED_METRICS,
      minSamplesPerVariant: 0,
      ...overrides,
    });

  it("equals gbstats' published CUPED vector (test_sequential_test_runs_ra) through the API", async () => {
    const test = await startCuped({ sequential: true });
    expect((test.metrics as Array<{ covariate: boolean }>).map((metric) => metric.covariate)).toEqual([true, false]);
    await recordObservations(testApp, test.id, {
      metric: 'revenue',
      aggregates: [
        aggregate('control', 3000, 1396.87, 52377.9767, 16.87, 527.9767, 1),
        aggregate('challenger', 3461, 2422.7, 134698.29, 22.7, 1348.29, 1),
      ],
    });
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    const comparison = body.metrics[0].comparisons[0];
    expect(Number(comparison.relativeEffect.toFixed(5))).toBe(0.50338);
    expect(Number(comparison.standardError.toFixed(5))).toBe(0.33341);
    expect(Number(comparison.sequentialCiLow.toFixed(5))).toBe(-0.50969);
    expect(Number(comparison.sequentialCiHigh.toFixed(5))).toBe(1.51646);
    expect(comparison.sequentialPValue).toBe(1);
    expect(comparison.cuped.theta).toBeCloseTo(-0.011403222553755095, 12);
    expect(body.comparisons).toEqual(body.metrics[0].comparisons);
    // The secondary metric has no covariate and no cuped block.
    expect(body.metrics[1].comparisons[0].cuped).toBeUndefined();
  });

  it('takes raw units with their covariate and reports the variance the covariate removed', async () => {
    const test = await startCuped();
    const observations = Array.from({ length: 40 }, (_, index) => {
      const covariate = Math.floor(index / 2) % 10;
      const variant = index % 2 === 0 ? 'control' : 'challenger';
      // y = 2x + small noise, both variants over the same covariates: the covariate explains almost all the variance.
      return { variant, value: 2 * covariate + (index % 3) * 0.1 + (variant === 'challenger' ? 0.5 : 0), covariate };
    });
    const recorded = await recordObservations(testApp, test.id, { metric: 'revenue', observations, batchId: 'b1' });
    expect(recorded.recordedCount).toBe(40);
    expect(await variantCounts(testApp, test.id)).toEqual({ control: 20, challenger: 20 });
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    const cuped = body.comparisons[0].cuped;
    expect(cuped.theta).toBeGreaterThan(1.9);
    expect(cuped.theta).toBeLessThan(2.1);
    expect(cuped.varianceReduction).toBeGreaterThan(0.95);
    expect(body.comparisons[0].significant).toBe(true);
  });

  it('refuses a batch where some units carry a covariate and others do not, writing nothing', async () => {
    const test = await startCuped();
    const response = await testApp
      .http()
      .post(`/api/v1/ab-test/${test.id}/observations`)
      .send({
        metric: 'revenue',
        observations: [
          { variant: 'control', value: 1, covariate: 1 },
          { variant: 'challenger', value: 2 },
        ],
      });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'observations[1].covariate' })]);
    expect(await variantCounts(testApp, test.id)).toEqual({ control: 0, challenger: 0 });
  });

  it('refuses covariate sums on a metric without a covariate, and missing ones on a metric with one', async () => {
    const test = await startCuped();
    const missing = await testApp
      .http()
      .post(`/api/v1/ab-test/${test.id}/observations`)
      .send({ metric: 'revenue', aggregates: [{ variant: 'control', count: 10, sum: 10, sumSquares: 20, covariateSum: 5 }] });
    expectProblem(missing, 400);
    expect(missing.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'aggregates[0].covariateSumSquares',
      'aggregates[0].covariateSumProducts',
    ]);
    const extra = await testApp
      .http()
      .post(`/api/v1/ab-test/${test.id}/observations`)
      .send({ metric: 'conversion', observations: [{ variant: 'control', value: 1, covariate: 1 }] });
    expectProblem(extra, 400);
    expect(extra.body.errors).toEqual([expect.objectContaining({ field: 'observations[0].covariate' })]);
  });

  it('refuses a covariate on a ratio metric when the test starts', async () => {
    const response = await testApp
      .http()
      .post('/api/v1/ab-test/start')
      .send({
        name: 'cuped-ratio',
        modelId: (await startCuped()).modelId,
        variants: [
          { name: 'control', weight: 1 },
          { name: 'challenger', weight: 1 },
        ],
        metrics: [{ name: 'revenue_per_session', role: 'primary', type: 'ratio', covariate: true }],
      });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'metrics[0].covariate' })]);
  });
});
