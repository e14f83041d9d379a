import { DataSource } from 'typeorm';
import { recordObservations, startAbTest, variantCounts } from 'test/support/ab-test-factories';
import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/*
 * Multi-metric tests through the API. Sums are built from chosen moments (n units, mean μ, sd s: Σx = nμ,
 * Σx² = (n − 1)s² + nμ²); ratio sums as in src/ab-tests/multi-metric.stats.spec.ts.
 */
const continuous = (count: number, mean: number, stdDev: number) => ({
  count,
  sum: count * mean,
  sumSquares: (count - 1) * stdDev ** 2 + count * mean ** 2,
});
const ratio = (count: number, numeratorMean: number) => ({
  count,
  sum: count * numeratorMean,
  sumSquares: (count - 1) * 4 + count * numeratorMean ** 2,
  denominatorSum: count * 2,
  denominatorSumSquares: (count - 1) * 1 + count * 4,
  sumProducts: (count - 1) * 0.5 + count * numeratorMean * 2,
});

const METRICS = [
  { name: 'conversion', role: 'primary', type: 'binomial' },
  { name: 'revenue_per_session', role: 'secondary', type: 'ratio' },
  { name: 'latency_ms', role: 'guardrail', type: 'continuous', direction: 'lower_is_better', tolerance: 0.02 },
];

describe('A/B tests: several metrics with guardrails (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  async function startMultiMetric(overrides: Record<string, unknown> = {}) {
    return startAbTest(testApp, {
      metricType: undefined,
      primaryMetric: undefined,
      metrics: METRICS,
      minSamplesPerVariant: 0,
      ...overrides,
    });
  }

  async function record(testId: string, metric: string, control: object, challenger: object, batchId?: string) {
    return recordObservations(testApp, testId, {
      metric,
      batchId,
      aggregates: [
        { variant: 'control', ...control },
        { variant: 'challenger', ...challenger },
      ],
    });
  }

  async function populate(testId: string, challengerLatency: number) {
    await record(testId, 'conversion', { count: 1000, sum: 100 }, { count: 1000, sum: 150 });
    await record(testId, 'revenue_per_session', ratio(1000, 5), ratio(1000, 5.5));
    await record(testId, 'latency_ms', continuous(1000, 100, 10), continuous(1000, challengerLatency, 10));
  }

  it('starts with the metrics, reports every metric per variant and ships when the guardrail holds', async () => {
    const test = await startMultiMetric();
    expect(test).toMatchObject({ primaryMetric: 'conversion', metricType: 'binary', correctionScope: 'variants' });
    expect(test.metrics).toEqual([
      { name: 'conversion', role: 'primary', type: 'binomial', direction: 'higher_is_better', tolerance: null, covariate: false },
      { name: 'revenue_per_session', role: 'secondary', type: 'ratio', direction: 'higher_is_better', tolerance: null, covariate: false },
      { name: 'latency_ms', role: 'guardrail', type: 'continuous', direction: 'lower_is_better', tolerance: 0.02, covariate: false },
    ]);
    await populate(test.id, 100.2);
    // The variants' counters follow the primary metric.
    expect(await variantCounts(testApp, test.id)).toEqual({ control: 1000, challenger: 1000 });
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(body.metrics.map((metric: { name: string }) => metric.name)).toEqual(['conversion', 'revenue_per_session', 'latency_ms']);
    expect(body.comparisons).toEqual(body.metrics[0].comparisons);
    const revenue = body.metrics[1];
    expect(revenue.variants[0].mean).toBeCloseTo(2.5, 12);
    // ratio(5, 4, 2, 1, 0.5)[1] == 1.9375 (see the unit spec): stdDev √1.9375
    expect(revenue.variants[0].stdDev).toBeCloseTo(1.3919410907075054, 9);
    // 2 * st.t.sf(0.1 / np.sqrt(0.0007276), welch_df) == 0.00021524059550666945
    expect(Math.abs(revenue.comparisons[0].pValue - 0.00021524059550666945)).toBeLessThanOrEqual(1e-9 * 0.00021524059550666945);
    expect(body.metrics[2].guardrails).toEqual([
      { variant: 'challenger', ciLow: expect.any(Number), ciHigh: expect.any(Number), failed: false },
    ]);
    expect(body.recommendation).toBe('ship_variant');
    expect(body.winner).toBe('challenger');
  });

  it('refuses to ship a treatment whose guardrail shows harm beyond its tolerance', async () => {
    const test = await startMultiMetric();
    await populate(test.id, 110);
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(body.comparisons[0].significant).toBe(true);
    expect(body.metrics[2].guardrails[0].failed).toBe(true);
    expect(body.metrics[2].guardrails[0].ciLow).toBeGreaterThan(0.02);
    expect(body.recommendation).toBe('guardrail_failed');
    expect(body).not.toHaveProperty('winner');
  });

  it('corrects over variants and metrics when asked', async () => {
    const perMetric = await startMultiMetric();
    const joint = await startMultiMetric({ correctionScope: 'variants_and_metrics' });
    for (const test of [perMetric, joint]) await populate(test.id, 100);
    const a = (await testApp.http().get(`/api/v1/ab-test/${perMetric.id}/results`).expect(200)).body;
    const b = (await testApp.http().get(`/api/v1/ab-test/${joint.id}/results`).expect(200)).body;
    expect(b.correctionScope).toBe('variants_and_metrics');
    const p = [a.metrics[0].comparisons[0].pValue, a.metrics[1].comparisons[0].pValue];
    expect(a.comparisons[0].adjustedPValue).toBe(p[0]);
    const low = Math.min(...p);
    const expected = p[0] === low ? Math.min(1, 2 * low) : Math.max(Math.min(1, 2 * low), p[0]);
    expect(b.comparisons[0].adjustedPValue).toBeCloseTo(expected, 15);
  });

  it('ignores a repeated batchId per test', async () => {
    const test = await startMultiMetric();
    const first = await record(test.id, 'conversion', { count: 10, sum: 1 }, { count: 10, sum: 2 }, 'batch-1');
    const again = await record(test.id, 'conversion', { count: 10, sum: 1 }, { count: 10, sum: 2 }, 'batch-1');
    expect([first.duplicate, again.duplicate, again.recordedCount]).toEqual([false, true, 0]);
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(body.metrics[0].variants.map((variant: { count: number }) => variant.count)).toEqual([10, 10]);
  });

  it('keeps the single-metric body working, with or without naming its metric', async () => {
    const test = await startAbTest(testApp, { minSamplesPerVariant: 0 });
    expect(test.metrics).toEqual([]);
    await recordObservations(testApp, test.id, { metric: 'conversion', observations: [{ variant: 'control', value: 1 }] });
    await recordObservations(testApp, test.id, { observations: [{ variant: 'challenger', value: 0 }] });
    expect(await variantCounts(testApp, test.id)).toEqual({ control: 1, challenger: 1 });
    const problem = expectProblem(
      await testApp
        .http()
        .post(`/api/v1/ab-test/${test.id}/observations`)
        .send({ metric: 'latency', observations: [{ variant: 'control', value: 1 }] }),
      400,
    );
    expect(problem.errors!.map((error) => error.field)).toEqual(['metric']);
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(body).not.toHaveProperty('metrics');
  });

  it.each([
    ['no primary metric', { metrics: [METRICS[1]] }, 'metrics'],
    ['two primary metrics', { metrics: [METRICS[0], { ...METRICS[1], role: 'primary' }] }, 'metrics'],
    ['a guardrail without tolerance', { metrics: [METRICS[0], { ...METRICS[2], tolerance: undefined }] }, 'metrics[1].tolerance'],
    ['a tolerance on a secondary metric', { metrics: [METRICS[0], { ...METRICS[1], tolerance: 0.1 }] }, 'metrics[1].tolerance'],
    ['a non-positive tolerance', { metrics: [METRICS[0], { ...METRICS[2], tolerance: 0 }] }, 'metrics.1.tolerance'],
    ['an unknown metric type', { metrics: [{ ...METRICS[0], type: 'quantile' }] }, 'metrics.0.type'],
    ['duplicate metric names', { metrics: [METRICS[0], { ...METRICS[1], name: 'conversion' }] }, 'metrics[1].name'],
    ['metricType beside metrics', { metrics: METRICS, metricType: 'binary' }, 'metricType'],
    ['neither primaryMetric nor metrics', { metrics: undefined, primaryMetric: undefined, metricType: 'binary' }, 'primaryMetric'],
  ])('refuses to start a test with %s, writing nothing', async (_case, overrides, field) => {
    const model = await createModel(testApp);
    const body = {
      name: uniqueName('ab'),
      modelId: model.id,
      variants: [
        { name: 'control', weight: 1 },
        { name: 'challenger', weight: 1 },
      ],
      ...overrides,
    };
    const problem = expectProblem(await testApp.http().post('/api/v1/ab-test/start').send(body), 400, 'VALIDATION_FAILED');
    const fields = problem.errors!.map((error) => error.field.replace(/\.(\d+)\./g, '[$1].'));
    expect(fields).toContain(field.replace(/\.(\d+)\./g, '[$1].'));
    const list = await testApp.http().get('/api/v1/ab-test').query({ modelId: model.id }).expect(200);
    expect(list.body.items).toHaveLength(0);
  });

  it.each([
    ['no metric named', { aggregates: [{ variant: 'control', count: 2, sum: 1 }] }, 'metric'],
    ['an unknown metric', { metric: 'ghost', aggregates: [{ variant: 'control', count: 2, sum: 1 }] }, 'metric'],
    [
      'a ratio observation without its denominator',
      { metric: 'revenue_per_session', observations: [{ variant: 'control', value: 3 }] },
      'observations[0].denominator',
    ],
    [
      'a ratio aggregate without its denominator sums',
      { metric: 'revenue_per_session', aggregates: [{ variant: 'control', ...continuous(10, 5, 2) }] },
      'aggregates[0].denominatorSum',
    ],
    [
      'a denominator on a continuous metric',
      { metric: 'latency_ms', observations: [{ variant: 'control', value: 3, denominator: 1 }] },
      'observations[0].denominator',
    ],
  ])('refuses a batch with %s, writing nothing', async (_case, batch, field) => {
    const test = await startMultiMetric();
    const response = await testApp.http().post(`/api/v1/ab-test/${test.id}/observations`).send(batch);
    const problem = expectProblem(response, 400);
    expect(problem.errors!.map((error) => error.field)).toContain(field);
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    for (const metric of body.metrics) expect(metric.variants.map((variant: { count: number }) => variant.count)).toEqual([0, 0]);
  });

  it('keeps answering results when a migration adds a column to model_ab_tests while it serves (a rolling deploy)', async () => {
    // Results are read as a prepared statement; one selecting t.* would fail here with "cached plan must not change
    // result type" on the connection that prepared it (a pooled client is reused last-in first-out).
    const test = await startMultiMetric();
    await populate(test.id, 100);
    const before = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    await testApp.get(DataSource).query('ALTER TABLE model_ab_tests ADD COLUMN added_by_a_newer_release integer');
    for (let call = 0; call < 3; call++) {
      const after = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
      expect(after.body).toEqual(before.body);
    }
  });
});
