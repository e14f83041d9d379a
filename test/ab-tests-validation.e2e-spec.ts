import { observationsOf, startAbTest, variantCounts } from 'test/support/ab-test-factories';
import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/** Every bad input is a 400 problem+json naming the field, and nothing is written. */
describe('A/B tests: bad input (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const twoVariants = [
    { name: 'control', weight: 1 },
    { name: 'challenger', weight: 1 },
  ];
  const manyVariants = Array.from({ length: 11 }, (_, index) => ({ name: `v${index}`, weight: 1 }));

  describe('POST /ab-test/start', () => {
    it.each([
      ['one variant', { variants: [{ name: 'control', weight: 1 }] }, 'variants'],
      ['no variants', { variants: [] }, 'variants'],
      ['eleven variants', { variants: manyVariants }, 'variants'],
      [
        'duplicate names',
        {
          variants: [
            { name: 'a', weight: 1 },
            { name: 'b', weight: 1 },
            { name: 'a', weight: 2 },
          ],
        },
        'variants[2].name',
      ],
      [
        'a zero weight',
        {
          variants: [
            { name: 'a', weight: 0 },
            { name: 'b', weight: 1 },
          ],
        },
        'variants[0].weight',
      ],
      [
        'a negative weight',
        {
          variants: [
            { name: 'a', weight: 1 },
            { name: 'b', weight: -1 },
          ],
        },
        'variants[1].weight',
      ],
      ['a missing weight', { variants: [{ name: 'a', weight: 1 }, { name: 'b' }] }, 'variants[1].weight'],
      [
        'an empty variant name',
        {
          variants: [
            { name: '', weight: 1 },
            { name: 'b', weight: 1 },
          ],
        },
        'variants[0].name',
      ],
      ['alpha 0', { alpha: 0 }, 'alpha'],
      ['alpha 1', { alpha: 1 }, 'alpha'],
      ['alpha as a string', { alpha: '0.05' }, 'alpha'],
      ['power 0', { power: 0 }, 'power'],
      ['power 1.2', { power: 1.2 }, 'power'],
      ['an unknown metric type', { metricType: 'ratio' }, 'metricType'],
      ['a zero MDE', { minimumDetectableEffect: 0 }, 'minimumDetectableEffect'],
      ['an MDE of -100 %', { minimumDetectableEffect: -1 }, 'minimumDetectableEffect'],
      ['a target rate above 1', { baselineRate: 0.8, minimumDetectableEffect: 0.5 }, 'minimumDetectableEffect'],
      ['baselineRate 1', { baselineRate: 1 }, 'baselineRate'],
      ['baselineMean on a binary metric', { baselineMean: 3, baselineStdDev: 1 }, 'baselineMean'],
      ['baselineRate on a continuous metric', { metricType: 'continuous', baselineRate: 0.1 }, 'baselineRate'],
      ['baselineMean without baselineStdDev', { metricType: 'continuous', baselineMean: 3 }, 'baselineStdDev'],
      ['a zero baselineMean', { metricType: 'continuous', baselineMean: 0, baselineStdDev: 1 }, 'baselineMean'],
      ['a negative baselineStdDev', { metricType: 'continuous', baselineMean: 3, baselineStdDev: -1 }, 'baselineStdDev'],
      ['a fractional minSamplesPerVariant', { minSamplesPerVariant: 2.5 }, 'minSamplesPerVariant'],
      ['a non-boolean sequential', { sequential: 'yes' }, 'sequential'],
      ['an empty hashSeed', { hashSeed: '' }, 'hashSeed'],
      ['a missing name', { name: undefined }, 'name'],
      ['a missing primaryMetric', { primaryMetric: undefined }, 'primaryMetric'],
      ['a malformed modelId', { modelId: 'model-1' }, 'modelId'],
      ['an unknown field', { owner: 'me' }, 'owner'],
      ['coverage 0', { coverage: 0 }, 'coverage'],
      ['a negative coverage', { coverage: -0.2 }, 'coverage'],
      ['coverage above 1', { coverage: 1.5 }, 'coverage'],
      ['an unknown analysis', { analysis: 'ratio' }, 'analysis'],
      ['an unknown engine', { engine: 'bandit' }, 'engine'],
      ['a prior with zero variance', { engine: 'bayesian', prior: { mean: 0, variance: 0 } }, 'prior.variance'],
      ['a prior with negative variance', { engine: 'bayesian', prior: { mean: 0.1, variance: -1 } }, 'prior.variance'],
      ['a prior without variance', { engine: 'bayesian', prior: { mean: 0.1 } }, 'prior.variance'],
      ['a prior with a string mean', { engine: 'bayesian', prior: { mean: '0.1', variance: 1 } }, 'prior.mean'],
      ['a zero sequentialTuningParameter', { sequentialTuningParameter: 0 }, 'sequentialTuningParameter'],
    ])('rejects %s', async (_case, overrides, field) => {
      const model = await createModel(testApp);
      const body = {
        name: uniqueName('ab'),
        modelId: model.id,
        primaryMetric: 'conversion',
        metricType: 'binary',
        variants: twoVariants,
        ...overrides,
      };
      const problem = expectProblem(await testApp.http().post('/api/v1/ab-test/start').send(body), 400, 'VALIDATION_FAILED');
      expect(problem.errors!.map((error) => error.field)).toContain(field);
      const list = await testApp.http().get('/api/v1/ab-test').query({ modelId: model.id }).expect(200);
      expect(list.body.items).toHaveLength(0);
    });

    it('answers 404 for an unknown model', async () => {
      const body = {
        name: 'x',
        modelId: '00000000-0000-4000-8000-000000000000',
        primaryMetric: 'm',
        metricType: 'binary',
        variants: twoVariants,
      };
      expectProblem(await testApp.http().post('/api/v1/ab-test/start').send(body), 404, 'MODEL_NOT_FOUND');
    });
  });

  describe('POST /ab-test/{testId}/observations', () => {
    const good = observationsOf('control', [1, 0]);

    it.each([
      ['binary', 'an unknown variant', { observations: [...good, { variant: 'ghost', value: 1 }] }, 'observations[2].variant'],
      ['binary', 'a binary value of 2', { observations: [...good, { variant: 'challenger', value: 2 }] }, 'observations[2].value'],
      ['binary', 'a binary value of 0.5', { observations: [{ variant: 'challenger', value: 0.5 }] }, 'observations[0].value'],
      ['continuous', 'the string "NaN"', { observations: [...good, { variant: 'challenger', value: 'NaN' }] }, 'observations[2].value'],
      ['continuous', 'a numeric string', { observations: [{ variant: 'challenger', value: '3' }] }, 'observations[0].value'],
      ['continuous', 'null', { observations: [{ variant: 'challenger', value: null }] }, 'observations[0].value'],
      ['continuous', 'a value beyond ±1e100', { observations: [{ variant: 'challenger', value: 1e200 }] }, 'observations[0].value'],
      ['continuous', 'a missing variant', { observations: [{ value: 1 }] }, 'observations[0].variant'],
      [
        'binary',
        'more than 10,000 observations',
        { observations: Array.from({ length: 10_001 }, () => ({ variant: 'control', value: 1 })) },
        'observations',
      ],
      ['binary', 'an empty batch', {}, 'observations'],
      ['binary', 'an unknown field', { observations: good, extra: 1 }, 'extra'],
      ['binary', 'an empty batchId', { observations: good, batchId: '' }, 'batchId'],
      [
        'binary',
        'an aggregate of an unknown variant',
        { observations: good, aggregates: [{ variant: 'ghost', count: 2, sum: 1 }] },
        'aggregates[0].variant',
      ],
      ['binary', 'a binary sum above count', { aggregates: [{ variant: 'control', count: 10, sum: 11 }] }, 'aggregates[0].sum'],
      ['binary', 'a negative binary sum', { aggregates: [{ variant: 'control', count: 10, sum: -1 }] }, 'aggregates[0].sum'],
      ['binary', 'a fractional binary sum', { aggregates: [{ variant: 'control', count: 10, sum: 2.5 }] }, 'aggregates[0].sum'],
      [
        'binary',
        'a binary sumSquares unlike sum',
        { aggregates: [{ variant: 'control', count: 10, sum: 3, sumSquares: 4 }] },
        'aggregates[0].sumSquares',
      ],
      ['binary', 'an aggregate count of 0', { aggregates: [{ variant: 'control', count: 0, sum: 0 }] }, 'aggregates[0].count'],
      ['binary', 'a fractional count', { aggregates: [{ variant: 'control', count: 2.5, sum: 1 }] }, 'aggregates[0].count'],
      [
        'continuous',
        'a single-value aggregate with a variance',
        { aggregates: [{ variant: 'control', count: 1, sum: 3, sumSquares: 10 }] },
        'aggregates[0].count',
      ],
      [
        'continuous',
        'a continuous aggregate without sumSquares',
        { aggregates: [{ variant: 'control', count: 5, sum: 3 }] },
        'aggregates[0].sumSquares',
      ],
      [
        'continuous',
        'sumSquares too small for sum',
        { aggregates: [{ variant: 'control', count: 4, sum: 10, sumSquares: 20 }] },
        'aggregates[0].sumSquares',
      ],
      [
        'continuous',
        'a negative sumSquares',
        { aggregates: [{ variant: 'control', count: 4, sum: 0, sumSquares: -1 }] },
        'aggregates[0].sumSquares',
      ],
      [
        'continuous',
        'an infinite sum',
        { aggregates: [{ variant: 'control', count: 4, sum: 'Infinity', sumSquares: 1 }] },
        'aggregates[0].sum',
      ],
    ])('%s metric: rejects %s, writing nothing', async (metricType, _case, body, field) => {
      const test = await startAbTest(testApp, { metricType });
      const problem = expectProblem(
        await testApp.http().post(`/api/v1/ab-test/${test.id}/observations`).send(body),
        400,
        'VALIDATION_FAILED',
      );
      expect(problem.errors!.map((error) => error.field)).toContain(field);
      expect(await variantCounts(testApp, test.id)).toEqual({ control: 0, challenger: 0 });
    });

    it('lists every bad entry of a batch, and the batchId stays unused', async () => {
      const test = await startAbTest(testApp);
      const body = {
        batchId: 'b-1',
        observations: [
          { variant: 'control', value: 1 },
          { variant: 'control', value: 3 },
          { variant: 'nobody', value: 1 },
        ],
        aggregates: [{ variant: 'challenger', count: 3, sum: 4 }],
      };
      const problem = expectProblem(await testApp.http().post(`/api/v1/ab-test/${test.id}/observations`).send(body), 400);
      expect(problem.errors!.map((error) => error.field).sort()).toEqual([
        'aggregates[0].sum',
        'observations[1].value',
        'observations[2].variant',
      ]);
      expect(await variantCounts(testApp, test.id)).toEqual({ control: 0, challenger: 0 });
      const retried = await testApp
        .http()
        .post(`/api/v1/ab-test/${test.id}/observations`)
        .send({ batchId: 'b-1', observations: [{ variant: 'control', value: 1 }] })
        .expect(201);
      expect(retried.body).toMatchObject({ duplicate: false, recordedCount: 1 });
    });

    it('refuses magnitudes that could overflow the running sums, and accepts those just inside', async () => {
      const test = await startAbTest(testApp, { metricType: 'continuous' });
      const post = (body: object) => testApp.http().post(`/api/v1/ab-test/${test.id}/observations`).send(body);
      const cases: [object, string][] = [
        [{ observations: [{ variant: 'control', value: -1.1e100 }] }, 'observations[0].value'],
        [{ aggregates: [{ variant: 'control', count: 2, sum: 3e100, sumSquares: 5e200 }] }, 'aggregates[0].sum'],
        [{ aggregates: [{ variant: 'control', count: 2, sum: 1e100, sumSquares: 3e200 }] }, 'aggregates[0].sumSquares'],
      ];
      for (const [body, field] of cases) {
        const problem = expectProblem(await post(body), 400, 'VALIDATION_FAILED');
        expect(problem.errors!.map((error) => error.field)).toContain(field);
      }
      expect(await variantCounts(testApp, test.id)).toEqual({ control: 0, challenger: 0 });
      await post({ observations: observationsOf('control', [1e100, -1e100, 1e100]) }).expect(201);
      const results = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
      expect(results.body.variants[0].count).toBe(3);
      expect(results.body.variants[0].mean).toBeCloseTo(1e100 / 3, -88);
    });
  });

  it.each([
    [{ unitId: '' }, 'unitId'],
    [{ unitId: 'u'.repeat(257) }, 'unitId'],
    [{ unitId: 42 }, 'unitId'],
    [{}, 'unitId'],
  ])('assign rejects %j naming %s', async (body, field) => {
    const test = await startAbTest(testApp);
    const problem = expectProblem(await testApp.http().post(`/api/v1/ab-test/${test.id}/assign`).send(body), 400, 'VALIDATION_FAILED');
    expect(problem.errors!.map((error) => error.field)).toContain(field);
  });

  it('assign accepts a 256-character unit id', async () => {
    const test = await startAbTest(testApp);
    await testApp
      .http()
      .post(`/api/v1/ab-test/${test.id}/assign`)
      .send({ unitId: 'u'.repeat(256) })
      .expect(200);
  });

  it.each([
    [{ winner: 'ghost' }, 'winner'],
    [{ winner: 3 }, 'winner'],
    [{ conclusion: ['x'] }, 'conclusion'],
  ])('stop rejects %j naming %s and leaves the test running', async (body, field) => {
    const test = await startAbTest(testApp);
    const problem = expectProblem(await testApp.http().post(`/api/v1/ab-test/${test.id}/stop`).send(body), 400, 'VALIDATION_FAILED');
    expect(problem.errors!.map((error) => error.field)).toContain(field);
    expect((await testApp.http().get(`/api/v1/ab-test/${test.id}`).expect(200)).body.status).toBe('running');
  });
});
