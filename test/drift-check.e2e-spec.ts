import { createModel, expectProblem } from 'test/support/factories';
import {
  AGE_CURRENT,
  AGE_REFERENCE,
  checkDrift,
  PLAN_CURRENT,
  putReference,
  range,
  standardCurrent,
  standardReference,
} from 'test/support/drift-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('drift checks (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it("checks a current sample against the stored reference with Evidently's default tests, and stores the check", async () => {
    const model = await createModel(testApp);
    await putReference(testApp, model.id);
    testApp.clock.set('2025-04-01T10:00:00.000Z');
    const check = await checkDrift(testApp, { modelId: model.id, current: { features: standardCurrent() } });
    expect(check).toMatchObject({
      modelId: model.id,
      checkedAt: '2025-04-01T10:00:00.000Z',
      referenceSource: 'stored',
      datasetDrift: false,
      numberOfFeatures: 3,
      numberOfDriftedFeatures: 1,
      driftShareThreshold: 0.5,
      alertId: null,
      retrain: null,
    });
    expect(check.driftShare).toBeCloseTo(1 / 3, 15);
    const [age, income, plan] = check.features;
    // python3: scipy.stats.ks_2samp(AGE_REFERENCE, AGE_CURRENT).pvalue → 0.1659582247817542
    expect(age).toMatchObject({
      name: 'age',
      type: 'numerical',
      stattest: 'ks',
      threshold: 0.05,
      drifted: false,
      referenceSize: 10,
      currentSize: 8,
    });
    expect(age.score).toBeCloseTo(0.1659582247817542, 12);
    // python3: scipy.stats.ks_2samp(np.arange(100), np.arange(50, 150)).pvalue → 1.0024645454361508e-11
    expect(income).toMatchObject({ name: 'income', stattest: 'ks', drifted: true, referenceSize: 100, currentSize: 100 });
    expect(income.score / 1.0024645454361508e-11).toBeCloseTo(1, 6);
    // python3: scipy.stats.chisquare([3, 5, 2], [4, 4, 2]).pvalue → 0.7788007830714049
    expect(plan).toMatchObject({ name: 'plan', type: 'categorical', stattest: 'chisquare', drifted: false });
    expect(plan.score).toBeCloseTo(0.7788007830714049, 12);

    const fetched = await testApp.http().get(`/api/v1/drift/checks/${check.checkId}`).expect(200);
    expect(fetched.body).toEqual(check);
  });

  it('uses an inline reference instead of the stored one, with the same numbers', async () => {
    const stored = await createModel(testApp);
    await putReference(testApp, stored.id);
    const fromStored = await checkDrift(testApp, { modelId: stored.id, current: { features: standardCurrent() } });

    const inlineOnly = await createModel(testApp);
    const fromInline = await checkDrift(testApp, {
      modelId: inlineOnly.id,
      current: { features: standardCurrent() },
      reference: { features: standardReference() },
    });
    expect(fromInline.referenceSource).toBe('inline');
    expect(fromInline.features).toEqual(fromStored.features);
    // the inline reference is not stored
    expectProblem(await testApp.http().get(`/api/v1/models/${inlineOnly.id}/reference`), 404, 'REFERENCE_NOT_FOUND');
  });

  it('applies the requested tests, thresholds and per-feature overrides', async () => {
    const model = await createModel(testApp);
    await putReference(testApp, model.id);
    const check = await checkDrift(testApp, {
      modelId: model.id,
      current: { features: standardCurrent() },
      threshold: 0.2,
      perFeature: { age: { stattest: 'wasserstein', threshold: 0.9 } },
      driftShareThreshold: 0.6,
      triggerRetrain: false,
    });
    const byName = Object.fromEntries(check.features.map((feature: { name: string }) => [feature.name, feature]));
    // python3: scipy.stats.wasserstein_distance(AGE_REFERENCE, AGE_CURRENT) / np.std(AGE_REFERENCE) → 0.9811554052256654
    expect(byName.age).toMatchObject({ stattest: 'wasserstein', threshold: 0.9, drifted: true });
    expect(byName.age.score).toBeCloseTo(0.9811554052256654, 12);
    expect(byName.income).toMatchObject({ stattest: 'ks', threshold: 0.2, drifted: true });
    expect(byName.plan).toMatchObject({ stattest: 'chisquare', threshold: 0.2, drifted: false });
    expect(check).toMatchObject({ datasetDrift: true, numberOfDriftedFeatures: 2, driftShareThreshold: 0.6 });
  });

  it('switches to wasserstein and jensenshannon for references over 1000 values', async () => {
    const model = await createModel(testApp);
    const reference = [
      { name: 'score', values: range(0, 2000).map((index) => index / 10) },
      { name: 'flag', values: range(0, 2000).map((index) => index % 3 === 0) },
    ];
    await putReference(testApp, model.id, reference);
    const check = await checkDrift(testApp, {
      modelId: model.id,
      current: {
        features: [
          { name: 'score', values: range(0, 500).map((index) => index / 5) },
          { name: 'flag', values: [true, false] },
        ],
      },
    });
    expect(check.features.map((feature: { stattest: string }) => feature.stattest)).toEqual(['wasserstein', 'jensenshannon']);
  });

  it('checks a million-value reference within memory and time', async () => {
    const model = await createModel(testApp);
    const values = Array.from({ length: 1_000_000 }, (_, index) => Math.sin(index) * 100 + (index % 1000) / 10);
    await testApp.http().put(`/api/v1/models/${model.id}/reference/features/signal`).send({ values }).expect(200);
    const current = Array.from({ length: 100_000 }, (_, index) => Math.sin(index * 3) * 100 + 25);
    const started = Date.now();
    const check = await checkDrift(testApp, {
      modelId: model.id,
      current: { features: [{ name: 'signal', values: current }] },
      stattest: 'ks',
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(check.features[0]).toMatchObject({ stattest: 'ks', referenceSize: 1_000_000, currentSize: 100_000, drifted: true });
  });

  describe('refusals', () => {
    let modelId: string;
    beforeAll(async () => {
      modelId = (await createModel(testApp)).id;
      await putReference(testApp, modelId);
    });

    it.each([
      {
        why: 'a feature missing from the reference',
        body: () => ({
          current: {
            features: [
              { name: 'age', values: [1] },
              { name: 'tenure', values: [1] },
            ],
          },
        }),
        field: 'current.features[1].name',
        message: 'feature "tenure" is not in the stored reference',
      },
      {
        why: 'duplicate current features',
        body: () => ({
          current: {
            features: [
              { name: 'age', values: [1] },
              { name: 'age', values: [2] },
            ],
          },
        }),
        field: 'current.features[1].name',
        message: 'duplicate feature name "age"',
      },
      {
        why: 'a test that does not fit the feature type',
        body: () => ({ current: { features: [{ name: 'plan', values: PLAN_CURRENT }] }, perFeature: { plan: { stattest: 'ks' } } }),
        field: 'perFeature.plan.stattest',
        message: "stattest 'ks' needs a numerical feature",
      },
      {
        why: 'a global test that does not fit the feature type',
        body: () => ({ current: { features: [{ name: 'plan', values: PLAN_CURRENT }] }, stattest: 'wasserstein' }),
        field: 'stattest',
        message: "stattest 'wasserstein' needs a numerical feature",
      },
      {
        why: 'overrides for a feature not in current',
        body: () => ({ current: { features: [{ name: 'age', values: AGE_CURRENT }] }, perFeature: { income: { threshold: 0.1 } } }),
        field: 'perFeature.income',
        message: '"income" is not a feature of current',
      },
      {
        why: 'an unknown override',
        body: () => ({ current: { features: [{ name: 'age', values: AGE_CURRENT }] }, perFeature: { age: { stattest: 'anderson' } } }),
        field: 'perFeature.age.stattest',
        message: expect.stringContaining('must be one of auto, ks'),
      },
      {
        why: 'a negative override threshold',
        body: () => ({ current: { features: [{ name: 'age', values: AGE_CURRENT }] }, perFeature: { age: { threshold: -1 } } }),
        field: 'perFeature.age.threshold',
        message: 'must be a finite number ≥ 0',
      },
      {
        why: 'a current feature with only nulls',
        body: () => ({ current: { features: [{ name: 'age', values: [null] }] } }),
        field: 'current.features[0].values',
        message: 'current sample empty after dropping null/NaN/±Infinity',
      },
      {
        why: 'text in a numerical feature',
        body: () => ({ current: { features: [{ name: 'age', type: 'numerical', values: [1, 'old'] }] } }),
        field: 'current.features[0].values',
        message: 'numerical feature has a non-number value (string)',
      },
      {
        why: 'an inline reference feature with only nulls',
        body: () => ({ current: { features: [{ name: 'age', values: [1] }] }, reference: { features: [{ name: 'age', values: [null] }] } }),
        field: 'reference.features[0].values',
        message: 'reference sample empty after dropping null/NaN/±Infinity',
      },
      {
        why: 'a string threshold',
        body: () => ({ current: { features: [{ name: 'age', values: [1] }] }, threshold: 'NaN' }),
        field: 'threshold',
        message: expect.any(String),
      },
      {
        why: 'a drift share threshold above 1',
        body: () => ({ current: { features: [{ name: 'age', values: [1] }] }, driftShareThreshold: 1.5 }),
        field: 'driftShareThreshold',
        message: expect.any(String),
      },
      { why: 'no current sample', body: () => ({}), field: 'current', message: expect.any(String) },
    ])('rejects $why with a 400 naming the field, storing nothing', async ({ body, field, message }) => {
      const problem = expectProblem(
        await testApp
          .http()
          .post('/api/v1/drift/check')
          .send({ modelId, ...body() }),
        400,
        'VALIDATION_FAILED',
      );
      expect(problem.errors).toContainEqual({ field, message });
      const list = await testApp.http().get('/api/v1/drift/checks').query({ modelId }).expect(200);
      expect(list.body.items).toEqual([]);
    });

    it('answers 404 for an unknown model, a model without reference data and an unknown check', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const current = { features: [{ name: 'age', values: AGE_CURRENT }] };
      expectProblem(await testApp.http().post('/api/v1/drift/check').send({ modelId: unknown, current }), 404, 'MODEL_NOT_FOUND');
      const bare = await createModel(testApp);
      expectProblem(await testApp.http().post('/api/v1/drift/check').send({ modelId: bare.id, current }), 404, 'REFERENCE_NOT_FOUND');
      expectProblem(await testApp.http().get(`/api/v1/drift/checks/${unknown}`), 404, 'DRIFT_CHECK_NOT_FOUND');
      expectProblem(await testApp.http().get('/api/v1/drift/checks/not-a-uuid'), 400, 'VALIDATION_FAILED');
      expectProblem(await testApp.http().get('/api/v1/drift/checks').query({ modelId: unknown }), 404, 'MODEL_NOT_FOUND');
      const forged = Buffer.from(JSON.stringify({ checkedAt: 'yesterday', id: "x' OR 1=1" })).toString('base64url');
      expectProblem(await testApp.http().get('/api/v1/drift/checks').query({ modelId: bare.id, cursor: forged }), 400, 'INVALID_CURSOR');
    });
  });

  it('lists checks newest first within a time range, with stable keyset pages', async () => {
    const model = await createModel(testApp);
    await putReference(testApp, model.id, [{ name: 'age', values: AGE_REFERENCE }]);
    const ids: string[] = [];
    testApp.clock.set('2025-05-01T00:00:00.000Z');
    for (let index = 0; index < 5; index++) {
      ids.push((await checkDrift(testApp, { modelId: model.id, current: { features: [{ name: 'age', values: AGE_CURRENT }] } })).checkId);
      testApp.clock.advanceMinutes(60);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await testApp
        .http()
        .get('/api/v1/drift/checks')
        .query({ modelId: model.id, limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...page.body.items.map((item: { checkId: string }) => item.checkId));
      expect(page.body.items[0]).not.toHaveProperty('features');
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const ranged = await testApp
      .http()
      .get('/api/v1/drift/checks')
      .query({ modelId: model.id, from: '2025-05-01T01:00:00Z', to: '2025-05-01T03:00:00Z' })
      .expect(200);
    expect(ranged.body.items.map((item: { checkId: string }) => item.checkId)).toEqual([ids[2], ids[1]]);
    const reversed = await testApp
      .http()
      .get('/api/v1/drift/checks')
      .query({ modelId: model.id, from: '2025-05-02T00:00:00Z', to: '2025-05-01T00:00:00Z' });
    expect(expectProblem(reversed, 400).errors).toEqual([{ field: 'from', message: 'must be before to' }]);
    expectProblem(await testApp.http().get('/api/v1/drift/checks').query({ modelId: model.id, cursor: 'garbage' }), 400, 'INVALID_CURSOR');
  });

  it('builds the heatmap: features × epoch-aligned buckets of max score and any drift', async () => {
    const model = await createModel(testApp);
    await putReference(testApp, model.id);
    const current = standardCurrent();
    testApp.clock.set('2025-06-01T10:05:00.000Z');
    await checkDrift(testApp, { modelId: model.id, current: { features: current } });
    testApp.clock.set('2025-06-01T10:45:00.000Z');
    await checkDrift(testApp, {
      modelId: model.id,
      current: { features: [{ name: 'age', values: AGE_REFERENCE }, current[1]] },
      perFeature: { income: { stattest: 'psi' } },
    });
    testApp.clock.set('2025-06-01T12:30:00.000Z');
    await checkDrift(testApp, { modelId: model.id, current: { features: [current[0]] } });

    const heatmap = await testApp
      .http()
      .get('/api/v1/drift/heatmap')
      .query({ modelId: model.id, bucket: '1h', from: '2025-06-01T10:20:00Z', to: '2025-06-01T13:00:00Z' })
      .expect(200);
    expect(heatmap.body).toMatchObject({
      modelId: model.id,
      bucket: '1h',
      from: '2025-06-01T10:00:00.000Z',
      to: '2025-06-01T13:00:00.000Z',
      buckets: ['2025-06-01T10:00:00.000Z', '2025-06-01T11:00:00.000Z', '2025-06-01T12:00:00.000Z'],
    });
    const features = Object.fromEntries(
      heatmap.body.features.map((feature: { name: string; cells: unknown[] }) => [feature.name, feature.cells]),
    );
    expect(Object.keys(features)).toEqual(['age', 'income', 'plan']);
    // age at 10:xx: ks p = 0.166 (current) and p = 1 (the reference against itself): the max is 1, never drifted
    expect(features.age[0]).toEqual({ bucketStart: '2025-06-01T10:00:00.000Z', checkCount: 2, maxScore: 1, drifted: false });
    expect(features.age[1]).toEqual({ bucketStart: '2025-06-01T11:00:00.000Z', checkCount: 0, maxScore: null, drifted: null });
    expect(features.age[2]).toMatchObject({ checkCount: 1, drifted: false });
    // income: ks p ≈ 1e-11 then psi ≫ 0.1, both drifted; the max is the psi
    expect(features.income[0]).toMatchObject({ checkCount: 2, drifted: true });
    expect(features.income[0].maxScore).toBeGreaterThan(1);
    expect(features.plan.map((cell: { checkCount: number }) => cell.checkCount)).toEqual([1, 0, 0]);

    testApp.clock.set('2025-06-01T18:00:00.000Z');
    const defaulted = await testApp.http().get('/api/v1/drift/heatmap').query({ modelId: model.id }).expect(200);
    expect(defaulted.body).toMatchObject({ bucket: '1d', from: '2025-05-03T00:00:00.000Z', to: '2025-06-01T18:00:00.000Z' });
    expect(defaulted.body.buckets).toHaveLength(30);
    expect(defaulted.body.features[0].cells[29]).toMatchObject({ bucketStart: '2025-06-01T00:00:00.000Z', checkCount: 3 });

    const tooWide = await testApp
      .http()
      .get('/api/v1/drift/heatmap')
      .query({ modelId: model.id, bucket: '1h', from: '2024-01-01T00:00:00Z' });
    expect(expectProblem(tooWide, 400).errors![0].field).toBe('from');
    expectProblem(await testApp.http().get('/api/v1/drift/heatmap').query({ modelId: model.id, bucket: '2h' }), 400, 'VALIDATION_FAILED');
  });
});
