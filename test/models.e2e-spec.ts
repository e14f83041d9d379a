import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('models registry (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('creates, reads, updates and deletes a model', async () => {
    const name = uniqueName('churn');
    const created = await createModel(testApp, {
      name,
      displayName: 'Churn',
      owner: 'risk-team',
      tags: ['tabular'],
      metadata: { framework: 'xgboost' },
    });
    expect(created).toMatchObject({ name, displayName: 'Churn', taskType: 'binary_classification', owner: 'risk-team', tags: ['tabular'] });
    expect(created.createdAt).toMatch(/Z$/);

    const fetched = await testApp.http().get(`/api/v1/models/${created.id}`).expect(200);
    expect(fetched.body).toEqual(created);

    const patched = await testApp
      .http()
      .patch(`/api/v1/models/${created.id}`)
      .send({ description: 'weekly churn', tags: ['tabular', 'gbm'] })
      .expect(200);
    expect(patched.body).toMatchObject({ name, description: 'weekly churn', tags: ['tabular', 'gbm'] });

    await testApp.http().delete(`/api/v1/models/${created.id}`).expect(204);
    expectProblem(await testApp.http().get(`/api/v1/models/${created.id}`), 404, 'MODEL_NOT_FOUND');
  });

  it('rejects a duplicate name with 409 and writes nothing', async () => {
    const name = uniqueName();
    await createModel(testApp, { name });
    expectProblem(await testApp.http().post('/api/v1/models').send({ name }), 409, 'MODEL_NAME_TAKEN');
    const list = await testApp.http().get('/api/v1/models').query({ namePrefix: name }).expect(200);
    expect(list.body.items).toHaveLength(1);
  });

  it.each([
    [{ name: 'Upper' }, 'name'],
    [{ name: '-leading' }, 'name'],
    [{ name: 'a'.repeat(101) }, 'name'],
    [{ name: 'ok-name', taskType: 'clustering' }, 'taskType'],
    [{ name: 'ok-name', tags: 'x' }, 'tags'],
    [{ name: 'ok-name', metadata: [1, 2] }, 'metadata'],
    [{ name: 'ok-name', unknownField: 1 }, 'unknownField'],
    [{ name: 42 }, 'name'],
  ])('rejects %j naming %s', async (body, field) => {
    const response = await testApp.http().post('/api/v1/models').send(body);
    const problem = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(problem.errors!.map((error) => error.field)).toContain(field);
    const list = await testApp.http().get('/api/v1/models').query({ namePrefix: 'ok-name' }).expect(200);
    expect(list.body.items).toHaveLength(0);
  });

  it('filters by task type, tag, owner and name prefix, with keyset pagination', async () => {
    const prefix = uniqueName('fleet');
    for (let index = 0; index < 5; index++) {
      await createModel(testApp, {
        name: `${prefix}-${index}`,
        taskType: index % 2 === 0 ? 'regression' : 'ranking',
        tags: index < 2 ? ['vision'] : ['text'],
        owner: index === 4 ? 'search' : 'ml',
      });
    }
    const byType = await testApp.http().get('/api/v1/models').query({ namePrefix: prefix, taskType: 'regression' }).expect(200);
    expect(byType.body.items.map((model: { name: string }) => model.name)).toEqual([`${prefix}-0`, `${prefix}-2`, `${prefix}-4`]);
    const byTag = await testApp.http().get('/api/v1/models').query({ namePrefix: prefix, tag: 'vision' }).expect(200);
    expect(byTag.body.items).toHaveLength(2);
    const byOwner = await testApp.http().get('/api/v1/models').query({ namePrefix: prefix, owner: 'search' }).expect(200);
    expect(byOwner.body.items.map((model: { name: string }) => model.name)).toEqual([`${prefix}-4`]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await testApp
        .http()
        .get('/api/v1/models')
        .query({ namePrefix: prefix, limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((model: { name: string }) => model.name));
      cursor = page.body.nextCursor ?? undefined;
      if (seen.length === 2) await createModel(testApp, { name: `${prefix}-00` }); // inserted behind the cursor: not seen, nothing repeated
    } while (cursor);
    expect(seen).toEqual([`${prefix}-0`, `${prefix}-1`, `${prefix}-2`, `${prefix}-3`, `${prefix}-4`]);
  });

  it('rejects bad list parameters', async () => {
    expectProblem(await testApp.http().get('/api/v1/models').query({ limit: 0 }), 400, 'VALIDATION_FAILED');
    expectProblem(await testApp.http().get('/api/v1/models').query({ limit: 501 }), 400, 'VALIDATION_FAILED');
    expectProblem(await testApp.http().get('/api/v1/models').query({ cursor: 'not-a-cursor' }), 400, 'INVALID_CURSOR');
  });

  it('refuses to delete a model with data unless forced, then deletes it all in one go', async () => {
    const model = await createModel(testApp);
    // Any table with a foreign key to models counts as "data"; one is made here so the test does not depend on other modules.
    const { DataSource } = await import('typeorm');
    const dataSource = testApp.app.get(DataSource);
    await dataSource.query(
      'CREATE TABLE IF NOT EXISTS test_model_children (id serial PRIMARY KEY, model_id uuid NOT NULL REFERENCES models(id) ON DELETE CASCADE)',
    );
    await dataSource.query('INSERT INTO test_model_children (model_id) VALUES ($1)', [model.id]);

    const refused = expectProblem(await testApp.http().delete(`/api/v1/models/${model.id}`), 409, 'MODEL_HAS_DATA');
    expect(refused.tables).toEqual(['test_model_children']);
    await testApp.http().get(`/api/v1/models/${model.id}`).expect(200);

    await testApp.http().delete(`/api/v1/models/${model.id}`).query({ force: 'true' }).expect(204);
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM test_model_children WHERE model_id = $1', [model.id]);
    expect(count).toBe(0);
    await dataSource.query('DROP TABLE test_model_children');
  });

  it('rejects null for fields that cannot be cleared, and clears the ones that can', async () => {
    const model = await createModel(testApp, { owner: 'ml', displayName: 'Shown' });
    for (const field of ['name', 'taskType', 'tags', 'metadata']) {
      const problem = expectProblem(
        await testApp
          .http()
          .patch(`/api/v1/models/${model.id}`)
          .send({ [field]: null }),
        400,
        'VALIDATION_FAILED',
      );
      expect(problem.errors!.map((error) => error.field)).toContain(field);
    }
    const cleared = await testApp.http().patch(`/api/v1/models/${model.id}`).send({ owner: null, displayName: null }).expect(200);
    expect(cleared.body).toMatchObject({ name: model.name, owner: null, displayName: null });
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    const malformed = expectProblem(await testApp.http().get('/api/v1/models/not-a-uuid'), 400, 'VALIDATION_FAILED');
    expect(malformed.errors).toEqual([{ field: 'modelId', message: 'must be a UUID' }]);
    expectProblem(await testApp.http().get('/api/v1/models/00000000-0000-4000-8000-000000000000'), 404, 'MODEL_NOT_FOUND');
    expectProblem(
      await testApp.http().patch('/api/v1/models/00000000-0000-4000-8000-000000000000').send({ owner: 'x' }),
      404,
      'MODEL_NOT_FOUND',
    );
  });
});
