import { createModel, expectProblem } from 'test/support/factories';
import { AGE_REFERENCE, PLAN_REFERENCE, putReference, range, standardReference } from 'test/support/drift-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('drift reference data (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const referenceUrl = (modelId: string) => `/api/v1/models/${modelId}/reference`;

  it('stores a reference and returns per-feature summaries, never the values', async () => {
    const model = await createModel(testApp);
    const features = [
      { name: 'age', values: [...AGE_REFERENCE, null] },
      { name: 'plan', values: PLAN_REFERENCE },
      { name: 'zip', type: 'categorical', values: [10115, 10115, 20095] },
    ];
    const stored = await putReference(testApp, model.id, features as never, 'training set 2025-01');
    expect(stored).toMatchObject({ modelId: model.id, description: 'training set 2025-01', featureCount: 3 });
    const fetched = await testApp.http().get(referenceUrl(model.id)).expect(200);
    expect(fetched.body).toEqual(stored);
    const [age, plan, zip] = fetched.body.features;
    // python3: a=np.array([1.2,2.3,3.1,4.8,5.0,6.7,7.1,8.4,9.9,10.5]); np.median(a), a.mean(), a.std() → 5.85 5.9 3.006659275674582
    expect(age).toMatchObject({
      name: 'age',
      type: 'numerical',
      count: 10,
      missingCount: 1,
      distinctCount: 10,
      min: 1.2,
      max: 10.5,
      median: 5.85,
      topCategories: null,
    });
    expect(age.mean).toBeCloseTo(5.9, 12);
    expect(age.std).toBeCloseTo(3.006659275674582, 12);
    expect(plan).toMatchObject({ name: 'plan', type: 'categorical', count: 10, distinctCount: 3, min: null, mean: null });
    expect(plan.topCategories).toEqual([
      { value: 'a', count: 4, share: 0.4 },
      { value: 'b', count: 4, share: 0.4 },
      { value: 'c', count: 2, share: 0.2 },
    ]);
    expect(zip).toMatchObject({
      type: 'categorical',
      distinctCount: 2,
      topCategories: [
        { value: '10115', count: 2 },
        { value: '20095', count: 1 },
      ],
    });
    expect(JSON.stringify(fetched.body)).not.toContain('values');
  });

  it('replaces the whole reference atomically', async () => {
    const model = await createModel(testApp);
    await putReference(testApp, model.id, standardReference());
    const replaced = await putReference(testApp, model.id, [{ name: 'tenure', values: [1, 2, 3] }]);
    expect(replaced.features.map((feature: { name: string }) => feature.name)).toEqual(['tenure']);

    // a bad feature anywhere leaves the stored reference untouched
    const refused = await testApp
      .http()
      .put(referenceUrl(model.id))
      .send({
        features: [
          { name: 'a', values: [1] },
          { name: 'b', type: 'numerical', values: [1, 'x'] },
        ],
      });
    expect(expectProblem(refused, 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'features[1].values', message: expect.stringContaining('non-number') },
    ]);
    const fetched = await testApp.http().get(referenceUrl(model.id)).expect(200);
    expect(fetched.body.features.map((feature: { name: string }) => feature.name)).toEqual(['tenure']);
  });

  it('adds and replaces single features', async () => {
    const model = await createModel(testApp);
    const added = await testApp
      .http()
      .put(`${referenceUrl(model.id)}/features/session%20length`)
      .send({ values: [3, 1, 2] })
      .expect(200);
    expect(added.body).toMatchObject({ name: 'session length', type: 'numerical', count: 3, min: 1, max: 3 });
    await testApp
      .http()
      .put(`${referenceUrl(model.id)}/features/device`)
      .send({ values: ['ios', 'android', 'ios'] })
      .expect(200);
    const replaced = await testApp
      .http()
      .put(`${referenceUrl(model.id)}/features/session%20length`)
      .send({ values: [10, 20] })
      .expect(200);
    expect(replaced.body).toMatchObject({ count: 2, min: 10, max: 20 });
    const fetched = await testApp.http().get(referenceUrl(model.id)).expect(200);
    expect(fetched.body).toMatchObject({ description: null, featureCount: 2 });
    expect(fetched.body.features.map((feature: { name: string }) => feature.name)).toEqual(['device', 'session length']);
  });

  it('stores a million values per feature compactly and exactly', async () => {
    const model = await createModel(testApp);
    const values = Array.from({ length: 1_000_000 }, (_, index) => ((index * 7919) % 1_000_003) / 7 - 5e4);
    const started = Date.now();
    const response = await testApp
      .http()
      .put(`${referenceUrl(model.id)}/features/big`)
      .send({ values })
      .expect(200);
    const elapsed = Date.now() - started;
    expect(response.body).toMatchObject({ count: 1_000_000, min: Math.min(...values.slice(0, 1000), -5e4), distinctCount: 1_000_000 });
    const { DataSource } = await import('typeorm');
    const [row] = await testApp.app
      .get(DataSource)
      .query(
        `SELECT cardinality(numeric_values) AS n, numeric_values[1] AS first, numeric_values[1000000] AS last, pg_column_size(numeric_values) AS bytes FROM model_reference_features WHERE model_id = $1`,
        [model.id],
      );
    const sorted = Float64Array.from(values).sort();
    expect(row).toMatchObject({ n: 1_000_000, first: sorted[0], last: sorted[999_999] });
    expect(row.bytes).toBeLessThan(8_100_000);
    expect(elapsed).toBeLessThan(60_000);
  });

  it('caps a reference at 500 features', async () => {
    const model = await createModel(testApp);
    await putReference(
      testApp,
      model.id,
      range(0, 500).map((index) => ({ name: `f${index}`, values: [index] })),
    );
    expectProblem(
      await testApp
        .http()
        .put(`${referenceUrl(model.id)}/features/f500`)
        .send({ values: [1] }),
      409,
      'REFERENCE_FEATURE_LIMIT',
    );
    await testApp
      .http()
      .put(`${referenceUrl(model.id)}/features/f499`)
      .send({ values: [1, 2] })
      .expect(200);
    const tooMany = await testApp
      .http()
      .put(referenceUrl(model.id))
      .send({ features: range(0, 501).map((index) => ({ name: `f${index}`, values: [index] })) });
    expect(expectProblem(tooMany, 400).errors!.map((error) => error.field)).toEqual(['features']);
  });

  it.each([
    {
      why: 'an object value',
      body: { features: [{ name: 'a', values: [1, { nested: true }] }] },
      field: 'features[0].values',
      message: 'values[1] must be a number, string, boolean or null',
    },
    {
      why: 'a nested array',
      body: { features: [{ name: 'a', values: [[1]] }] },
      field: 'features[0].values',
      message: 'values[0] must be a number, string, boolean or null',
    },
    {
      why: 'values that are no array',
      body: { features: [{ name: 'a', values: 'text' }] },
      field: 'features[0].values',
      message: 'values must be an array of numbers, strings, booleans or null',
    },
    {
      why: 'only nulls',
      body: { features: [{ name: 'a', values: [null, null] }] },
      field: 'features[0].values',
      message: 'no value left after dropping null/NaN/±Infinity',
    },
    {
      why: 'a too long category',
      body: { features: [{ name: 'a', values: ['x'.repeat(1001)] }] },
      field: 'features[0].values',
      message: 'values[0] is longer than 1000 characters',
    },
    {
      why: 'duplicate names',
      body: {
        features: [
          { name: 'a', values: [1] },
          { name: 'a', values: [2] },
        ],
      },
      field: 'features[1].name',
      message: 'duplicate feature name "a"',
    },
    { why: 'an empty name', body: { features: [{ name: '', values: [1] }] }, field: 'features[0].name', message: expect.any(String) },
    {
      why: 'an unknown type',
      body: { features: [{ name: 'a', type: 'ordinal', values: [1] }] },
      field: 'features[0].type',
      message: expect.any(String),
    },
    { why: 'no features', body: { features: [] }, field: 'features', message: expect.any(String) },
  ])('rejects $why, naming the field', async ({ body, field, message }) => {
    const model = await createModel(testApp);
    const problem = expectProblem(await testApp.http().put(referenceUrl(model.id)).send(body), 400, 'VALIDATION_FAILED');
    expect(problem.errors).toContainEqual({ field, message });
    expectProblem(await testApp.http().get(referenceUrl(model.id)), 404, 'REFERENCE_NOT_FOUND');
  });

  it('rejects more than a million values in one feature', async () => {
    const model = await createModel(testApp);
    const response = await testApp
      .http()
      .put(`${referenceUrl(model.id)}/features/huge`)
      .send({ values: new Array(1_000_001).fill(0) });
    expect(expectProblem(response, 400).errors).toEqual([
      { field: 'values', message: 'values must hold at most 1000000 values (got 1000001)' },
    ]);
  });

  it('answers 404 for unknown models and missing references, 400 for malformed ids', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectProblem(
      await testApp
        .http()
        .put(referenceUrl(unknown))
        .send({ features: [{ name: 'a', values: [1] }] }),
      404,
      'MODEL_NOT_FOUND',
    );
    expectProblem(
      await testApp
        .http()
        .put(`${referenceUrl(unknown)}/features/a`)
        .send({ values: [1] }),
      404,
      'MODEL_NOT_FOUND',
    );
    expectProblem(await testApp.http().get(referenceUrl(unknown)), 404, 'MODEL_NOT_FOUND');
    expectProblem(await testApp.http().get(referenceUrl('nope')), 400, 'VALIDATION_FAILED');
    const model = await createModel(testApp);
    expectProblem(await testApp.http().get(referenceUrl(model.id)), 404, 'REFERENCE_NOT_FOUND');
  });

  it('keeps reference data with the model: a non-forced delete refuses, a forced one removes it', async () => {
    const model = await createModel(testApp);
    await putReference(testApp, model.id);
    const refused = expectProblem(await testApp.http().delete(`/api/v1/models/${model.id}`), 409, 'MODEL_HAS_DATA');
    expect(refused.tables).toEqual(['model_reference_features', 'model_references']);
    await testApp.http().delete(`/api/v1/models/${model.id}`).query({ force: 'true' }).expect(204);
  });
});

describe('drift reference data beyond BODY_LIMIT (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ server: { bodyLimitBytes: 64 * 1024 } });
  });
  afterAll(() => testApp.close());

  it('uploads feature by feature what one request cannot carry', async () => {
    const model = await createModel(testApp);
    const features = range(0, 4).map((feature) => ({ name: `f${feature}`, values: range(0, 5000).map((index) => index * 1.5 + feature) }));
    expectProblem(await testApp.http().put(`/api/v1/models/${model.id}/reference`).send({ features }), 413, 'PAYLOAD_TOO_LARGE');
    for (const feature of features) {
      await testApp
        .http()
        .put(`/api/v1/models/${model.id}/reference/features/${feature.name}`)
        .send({ values: feature.values })
        .expect(200);
    }
    const fetched = await testApp.http().get(`/api/v1/models/${model.id}/reference`).expect(200);
    expect(fetched.body.features.map((feature: { count: number }) => feature.count)).toEqual([5000, 5000, 5000, 5000]);
  });
});
