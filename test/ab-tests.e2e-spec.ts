import { DataSource } from 'typeorm';
import { binaryValues, observationsOf, recordObservations, startAbTest, variantCounts } from 'test/support/ab-test-factories';
import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('A/B tests (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('starts a test with the documented defaults and normalised weights, and reads it back', async () => {
    testApp.clock.set('2031-03-04T05:06:07.089Z');
    const model = await createModel(testApp);
    const started = await startAbTest(testApp, {
      modelId: model.id,
      name: 'ranker v2 vs v1',
      variants: [
        { name: 'control', modelVersion: 'v1', weight: 1 },
        { name: 'challenger', weight: 3 },
      ],
      description: 'new ranker',
      hypothesis: 'v2 converts better',
    });
    expect(started).toEqual({
      id: expect.any(String),
      name: 'ranker v2 vs v1',
      modelId: model.id,
      description: 'new ranker',
      hypothesis: 'v2 converts better',
      primaryMetric: 'conversion',
      metricType: 'binary',
      alpha: 0.05,
      power: 0.8,
      minimumDetectableEffect: 0.05,
      baselineRate: null,
      baselineMean: null,
      baselineStdDev: null,
      hashSeed: started.id,
      sequential: false,
      minSamplesPerVariant: 100,
      coverage: 1,
      analysis: 'relative',
      engine: 'frequentist',
      sequentialTuningParameter: 5000,
      prior: null,
      metrics: [],
      correctionScope: 'variants',
      mode: 'experiment',
      status: 'running',
      winner: null,
      conclusion: null,
      startedAt: '2031-03-04T05:06:07.089Z',
      endedAt: null,
      variants: [
        { name: 'control', modelVersion: 'v1', weight: 0.25, count: 0 },
        { name: 'challenger', modelVersion: null, weight: 0.75, count: 0 },
      ],
    });
    const fetched = await testApp.http().get(`/api/v1/ab-test/${started.id}`).expect(200);
    expect(fetched.body).toEqual(started);
  });

  it('assigns units with the GrowthBook version-2 hash (published check values) and the weights in order', async () => {
    const test = await startAbTest(testApp, {
      hashSeed: 'seed',
      variants: [
        { name: 'a', modelVersion: 'v1', weight: 1 },
        { name: 'b', modelVersion: 'v2', weight: 1 },
        { name: 'c', modelVersion: 'v3', weight: 8 },
      ],
    });
    const assign = (unitId: string) => testApp.http().post(`/api/v1/ab-test/${test.id}/assign`).send({ unitId }).expect(200);
    // Ranges: a [0, 0.1), b [0.1, 0.2), c [0.2, 1).
    expect((await assign('a')).body).toEqual({ variant: 'a', modelVersion: 'v1', hash: 0.0505, inTest: true });
    expect((await assign('b')).body).toEqual({ variant: 'c', modelVersion: 'v3', hash: 0.2696, inTest: true });
    expect((await assign('a')).body.hash).toBe(0.0505);

    const foo = await startAbTest(testApp, { hashSeed: 'foo' });
    const response = await testApp.http().post(`/api/v1/ab-test/${foo.id}/assign`).send({ unitId: 'ab' }).expect(200);
    expect(response.body).toEqual({ variant: 'control', modelVersion: 'v1', hash: 0.2575, inTest: true });
  });

  it('spreads many units over the variants in proportion to the weights', async () => {
    const test = await startAbTest(testApp, {
      variants: [
        { name: 'control', weight: 1 },
        { name: 'challenger', weight: 3 },
      ],
    });
    const assigned = { control: 0, challenger: 0 } as Record<string, number>;
    for (let unit = 0; unit < 200; unit++) {
      const response = await testApp
        .http()
        .post(`/api/v1/ab-test/${test.id}/assign`)
        .send({ unitId: `user-${unit}` })
        .expect(200);
      expect(response.body.hash).toBeGreaterThanOrEqual(0);
      expect(response.body.hash).toBeLessThan(1);
      assigned[response.body.variant] += 1;
    }
    // Binomial(200, 0.25): mean 50, sd ≈ 6.1; ±4 sd.
    expect(assigned.control).toBeGreaterThan(25);
    expect(assigned.control).toBeLessThan(75);
  });

  it('runs the lifecycle: observations, results, stop with a winner, frozen results, then refuses writes', async () => {
    testApp.clock.set('2031-05-01T00:00:00.000Z');
    const test = await startAbTest(testApp, { minSamplesPerVariant: 50 });
    const early = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(early.body).toMatchObject({ testId: test.id, status: 'running', recommendation: 'insufficient_data', control: 'control' });

    const recorded = await recordObservations(testApp, test.id, {
      observations: [...observationsOf('control', binaryValues(150, 15)), ...observationsOf('challenger', binaryValues(150, 40))],
      aggregates: [
        { variant: 'control', count: 50, sum: 5 },
        { variant: 'challenger', count: 50, sum: 10, sumSquares: 10 },
      ],
    });
    expect(recorded).toEqual({ testId: test.id, batchId: null, duplicate: false, recordedCount: 400 });
    expect(await variantCounts(testApp, test.id)).toEqual({ control: 200, challenger: 200 });

    const results = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(results.body).toMatchObject({
      testId: test.id,
      status: 'running',
      metricType: 'binary',
      alpha: 0.05,
      control: 'control',
      variants: [
        { name: 'control', modelVersion: 'v1', weight: 0.5, count: 200, mean: 0.1, observedShare: 0.5 },
        { name: 'challenger', modelVersion: 'v2', weight: 0.5, count: 200, mean: 0.25, observedShare: 0.5 },
      ],
      comparisons: [{ variant: 'challenger', significant: true }],
      srm: { pValue: 1, detected: false },
      sampleSize: { requiredPerVariant: null, progress: null },
      recommendation: 'ship_variant',
      winner: 'challenger',
    });
    expect(results.body.comparisons[0].absoluteEffect).toBeCloseTo(0.15, 12);
    expect(results.body.comparisons[0].relativeEffect).toBeCloseTo(1.5, 12);

    testApp.clock.set('2031-05-08T00:00:00.000Z');
    const stopped = await testApp
      .http()
      .post(`/api/v1/ab-test/${test.id}/stop`)
      .send({ winner: 'challenger', conclusion: 'ship v2' })
      .expect(200);
    expect(stopped.body).toMatchObject({
      status: 'completed',
      winner: 'challenger',
      conclusion: 'ship v2',
      endedAt: '2031-05-08T00:00:00.000Z',
    });

    const frozen = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(frozen.body).toEqual({ ...results.body, status: 'completed' });

    const late = await testApp
      .http()
      .post(`/api/v1/ab-test/${test.id}/observations`)
      .send({ observations: [{ variant: 'control', value: 1 }] });
    expectProblem(late, 409, 'AB_TEST_NOT_RUNNING');
    expectProblem(await testApp.http().post(`/api/v1/ab-test/${test.id}/assign`).send({ unitId: 'u1' }), 409, 'AB_TEST_NOT_RUNNING');
    expectProblem(await testApp.http().post(`/api/v1/ab-test/${test.id}/stop`).send({}), 409, 'AB_TEST_NOT_RUNNING');
    expect(await variantCounts(testApp, test.id)).toEqual({ control: 200, challenger: 200 });
    const stillFrozen = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(stillFrozen.body).toEqual(frozen.body);
  });

  it('stops without a winner, and refuses a winner that is not a variant', async () => {
    const test = await startAbTest(testApp);
    const refused = expectProblem(
      await testApp.http().post(`/api/v1/ab-test/${test.id}/stop`).send({ winner: 'nobody' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(refused.errors).toEqual([{ field: 'winner', message: expect.stringContaining('control, challenger') }]);
    expect((await testApp.http().get(`/api/v1/ab-test/${test.id}`).expect(200)).body.status).toBe('running');

    const stopped = await testApp.http().post(`/api/v1/ab-test/${test.id}/stop`).send({}).expect(200);
    expect(stopped.body).toMatchObject({ status: 'completed', winner: null, conclusion: null, endedAt: expect.stringMatching(/Z$/) });
  });

  it('ignores a repeated batchId', async () => {
    const test = await startAbTest(testApp);
    const batch = { batchId: 'etl-2031-05-01', observations: observationsOf('control', [1, 0, 1]) };
    expect(await recordObservations(testApp, test.id, batch)).toMatchObject({ duplicate: false, recordedCount: 3 });
    expect(await recordObservations(testApp, test.id, batch)).toEqual({
      testId: test.id,
      batchId: 'etl-2031-05-01',
      duplicate: true,
      recordedCount: 0,
    });
    expect(await variantCounts(testApp, test.id)).toEqual({ control: 3, challenger: 0 });

    // batchIds are per test: another test may use the same one.
    const other = await startAbTest(testApp);
    expect(await recordObservations(testApp, other.id, batch)).toMatchObject({ duplicate: false, recordedCount: 3 });
  });

  it('reports the sample-size plan and progress from the baseline', async () => {
    // scipy: p = 0.15; pt = p*1.1; math.ceil((st.norm.ppf(0.975) + st.norm.ppf(0.8))**2 * (p*(1-p) + pt*(1-pt)) / (0.1*p)**2) → 9254
    const test = await startAbTest(testApp, { baselineRate: 0.15, minimumDetectableEffect: 0.1, minSamplesPerVariant: 10 });
    await recordObservations(testApp, test.id, {
      aggregates: [
        { variant: 'control', count: 4627, sum: 700 },
        { variant: 'challenger', count: 9254, sum: 1400 },
      ],
    });
    const results = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(results.body.sampleSize).toEqual({ requiredPerVariant: 9254, progress: 0.5 });
    expect(results.body.srm.detected).toBe(true);
    expect(results.body.recommendation).toBe('srm_detected');
  });

  it('adds the sequential fields only to sequential tests, never narrower than the fixed-horizon interval', async () => {
    const body = {
      metricType: 'continuous',
      minSamplesPerVariant: 2,
      observations: [...observationsOf('control', [10, 12, 11, 9, 13, 10]), ...observationsOf('challenger', [12, 14, 13, 12, 15, 13])],
    };
    const fixed = await startAbTest(testApp, { metricType: 'continuous' });
    const sequential = await startAbTest(testApp, { metricType: 'continuous', sequential: true });
    await recordObservations(testApp, fixed.id, { observations: body.observations });
    await recordObservations(testApp, sequential.id, { observations: body.observations });

    const fixedComparison = (await testApp.http().get(`/api/v1/ab-test/${fixed.id}/results`).expect(200)).body.comparisons[0];
    expect(Object.keys(fixedComparison)).not.toContain('sequentialPValue');
    const comparison = (await testApp.http().get(`/api/v1/ab-test/${sequential.id}/results`).expect(200)).body.comparisons[0];
    expect(comparison).toMatchObject({ ...fixedComparison, sequentialPValue: expect.any(Number) });
    expect(comparison.sequentialPValue).toBeGreaterThanOrEqual(comparison.pValue);
    expect(comparison.sequentialRelativeCiLow).toBeLessThanOrEqual(comparison.relativeCiLow);
    expect(comparison.sequentialRelativeCiHigh).toBeGreaterThanOrEqual(comparison.relativeCiHigh);
  });

  it('lists tests newest first, by status and model, with keyset pagination; running ones come from v_active_ab_tests', async () => {
    const model = await createModel(testApp);
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      testApp.clock.set(new Date(Date.UTC(2022, 0, 1 + index)));
      ids.push((await startAbTest(testApp, { modelId: model.id, name: `test-${index}` })).id);
    }
    await recordObservations(testApp, ids[3], { observations: observationsOf('challenger', [1, 1, 0]) });
    await testApp.http().post(`/api/v1/ab-test/${ids[0]}/stop`).send({}).expect(200);

    const all = await testApp.http().get('/api/v1/ab-test').query({ modelId: model.id }).expect(200);
    expect(all.body.items.map((test: { id: string }) => test.id)).toEqual([...ids].reverse());
    expect(all.body.nextCursor).toBeNull();

    const running = await testApp.http().get('/api/v1/ab-test').query({ modelId: model.id, status: 'running' }).expect(200);
    expect(running.body.items.map((test: { id: string }) => test.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(running.body.items[0]).toEqual((await testApp.http().get(`/api/v1/ab-test/${ids[3]}`).expect(200)).body);
    expect(running.body.items[0].variants.map((variant: { count: number }) => variant.count)).toEqual([0, 3]);

    const completed = await testApp.http().get('/api/v1/ab-test').query({ modelId: model.id, status: 'completed' }).expect(200);
    expect(completed.body.items.map((test: { id: string }) => test.id)).toEqual([ids[0]]);

    for (const status of [undefined, 'running']) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const query = { modelId: model.id, limit: 2, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) };
        const page = await testApp.http().get('/api/v1/ab-test').query(query).expect(200);
        seen.push(...page.body.items.map((test: { id: string }) => test.id));
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(status ? [ids[3], ids[2], ids[1]] : [...ids].reverse());
    }

    const view = await testApp.app
      .get(DataSource)
      .query(
        "SELECT id, total_count::int AS total, variants, age > interval '0' AS aged FROM v_active_ab_tests WHERE model_id = $1 ORDER BY started_at",
        [model.id],
      );
    expect(view.map((row: { id: string }) => row.id)).toEqual([ids[1], ids[2], ids[3]]);
    expect(view[2]).toMatchObject({
      total: 3,
      aged: true,
      variants: [
        { name: 'control', count: 0 },
        { name: 'challenger', count: 3, sum: 2, sum_squares: 2 },
      ],
    });
  });

  it('answers 404 for an unknown test or model and 400 for malformed ids and filters', async () => {
    for (const [method, path] of [
      ['get', `/api/v1/ab-test/${UNKNOWN_ID}`],
      ['get', `/api/v1/ab-test/${UNKNOWN_ID}/results`],
      ['post', `/api/v1/ab-test/${UNKNOWN_ID}/assign`],
      ['post', `/api/v1/ab-test/${UNKNOWN_ID}/observations`],
      ['post', `/api/v1/ab-test/${UNKNOWN_ID}/stop`],
    ] as const) {
      const body = path.endsWith('assign')
        ? { unitId: 'u' }
        : path.endsWith('observations')
          ? { observations: [{ variant: 'a', value: 1 }] }
          : {};
      const request = method === 'get' ? testApp.http().get(path) : testApp.http().post(path).send(body);
      expectProblem(await request, 404, 'AB_TEST_NOT_FOUND');
    }
    const malformed = expectProblem(await testApp.http().get('/api/v1/ab-test/not-a-uuid/results'), 400, 'VALIDATION_FAILED');
    expect(malformed.errors).toEqual([{ field: 'testId', message: 'must be a UUID' }]);
    expectProblem(await testApp.http().get('/api/v1/ab-test').query({ modelId: UNKNOWN_ID }), 404, 'MODEL_NOT_FOUND');
    expectProblem(await testApp.http().get('/api/v1/ab-test').query({ status: 'paused' }), 400, 'VALIDATION_FAILED');
    expectProblem(await testApp.http().get('/api/v1/ab-test').query({ modelId: 'x' }), 400, 'VALIDATION_FAILED');
    expectProblem(await testApp.http().get('/api/v1/ab-test').query({ cursor: 'nope' }), 400, 'INVALID_CURSOR');
    const forged = Buffer.from(JSON.stringify({ startedAt: 'yesterday', id: "x' OR 1=1" })).toString('base64url');
    expectProblem(await testApp.http().get('/api/v1/ab-test').query({ cursor: forged }), 400, 'INVALID_CURSOR');
  });

  it('goes with its model when the model is deleted with force', async () => {
    const model = await createModel(testApp);
    const test = await startAbTest(testApp, { modelId: model.id });
    await recordObservations(testApp, test.id, { batchId: 'b1', observations: observationsOf('control', [1]) });
    expectProblem(await testApp.http().delete(`/api/v1/models/${model.id}`), 409, 'MODEL_HAS_DATA');
    await testApp.http().delete(`/api/v1/models/${model.id}`).query({ force: 'true' }).expect(204);
    expectProblem(await testApp.http().get(`/api/v1/ab-test/${test.id}`), 404, 'AB_TEST_NOT_FOUND');
  });
});
