import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { standardCurrent, standardReference, putReference } from 'test/support/drift-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('addressing models by name (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('finds a model by exact name, in the list and by path', async () => {
    const name = uniqueName('exact');
    const model = await createModel(testApp, { name });
    await createModel(testApp, { name: `${name}-longer` });
    const list = await testApp.http().get('/api/v1/models').query({ name }).expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([model.id]);
    const none = await testApp
      .http()
      .get('/api/v1/models')
      .query({ name: `${name}-absent` })
      .expect(200);
    expect(none.body.items).toEqual([]);
    const byName = await testApp.http().get(`/api/v1/models/by-name/${name}`).expect(200);
    expect(byName.body).toEqual(model);
    expectProblem(await testApp.http().get(`/api/v1/models/by-name/${name}-absent`), 404, 'MODEL_NOT_FOUND');
    const bad = expectProblem(await testApp.http().get('/api/v1/models/by-name/Not%20A%20Slug'), 400, 'VALIDATION_FAILED');
    expect(bad.errors!.map((error: { field: string }) => error.field)).toEqual(['name']);
  });

  it('PUT by name creates once (201) and then returns the same model unchanged (200)', async () => {
    const name = uniqueName('idem');
    const first = await testApp.http().put(`/api/v1/models/by-name/${name}`).send({ owner: 'risk', taskType: 'regression' }).expect(201);
    expect(first.body).toMatchObject({ name, owner: 'risk', taskType: 'regression' });
    const second = await testApp.http().put(`/api/v1/models/by-name/${name}`).send({ owner: 'someone-else' }).expect(200);
    expect(second.body).toEqual(first.body);
    expectProblem(await testApp.http().put(`/api/v1/models/by-name/${name}`).send({ taskType: 'nope' }), 400, 'VALIDATION_FAILED');
  });

  it('concurrent PUTs by name create exactly one model', async () => {
    const name = uniqueName('race');
    const responses = await Promise.all(Array.from({ length: 8 }, () => testApp.http().put(`/api/v1/models/by-name/${name}`).send({})));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
  });

  it('a duplicate create answers 409 with the existing model id', async () => {
    const name = uniqueName('dup');
    const model = await createModel(testApp, { name });
    const conflict = expectProblem(await testApp.http().post('/api/v1/models').send({ name }), 409, 'MODEL_NAME_TAKEN');
    expect(conflict.existingModelId).toBe(model.id);
    const other = await createModel(testApp);
    const renamed = expectProblem(await testApp.http().patch(`/api/v1/models/${other.id}`).send({ name }), 409, 'MODEL_NAME_TAKEN');
    expect(renamed.existingModelId).toBe(model.id);
  });

  it('record metrics, training runs, drift checks and alerts accept modelName instead of modelId', async () => {
    const model = await createModel(testApp);
    const other = await createModel(testApp);
    const recorded = await testApp
      .http()
      .post('/api/v1/metrics/record')
      .send({
        points: [
          { modelName: model.name, metricName: 'auc', value: 0.9 },
          { modelId: other.id, metricName: 'auc', value: 0.8 },
        ],
      })
      .expect(201);
    expect(recorded.body.recorded).toBe(2);
    const latest = await testApp.http().get('/api/v1/metrics/latest').query({ modelId: model.id }).expect(200);
    expect(latest.body.items.map((item: { value: number }) => item.value)).toEqual([0.9]);

    const run = await testApp.http().post('/api/v1/training-runs').send({ modelName: model.name }).expect(201);
    expect(run.body.modelId).toBe(model.id);

    const alert = await testApp
      .http()
      .post('/api/v1/alerts')
      .send({ modelName: model.name, type: 'custom', severity: 'info', title: 'by name' })
      .expect(201);
    expect(alert.body.modelId).toBe(model.id);

    await putReference(testApp, model.id, standardReference());
    const check = await testApp
      .http()
      .post('/api/v1/drift/check')
      .send({ modelName: model.name, current: { features: standardCurrent() } });
    expect(check.status).toBe(200);
    expect(check.body.modelId).toBe(model.id);
  });

  it('refuses both or neither of modelId and modelName (400 naming both) and an unknown name (404 naming it)', async () => {
    const model = await createModel(testApp);
    const both = expectProblem(
      await testApp.http().post('/api/v1/training-runs').send({ modelId: model.id, modelName: model.name }),
      400,
      'VALIDATION_FAILED',
    );
    expect(both.errors!.map((error: { field: string }) => error.field)).toEqual(['modelId', 'modelName']);
    const neither = expectProblem(
      await testApp.http().post('/api/v1/alerts').send({ type: 'custom', severity: 'info', title: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(neither.errors!.map((error: { field: string }) => error.field)).toEqual(['modelId', 'modelName']);
    const unknown = expectProblem(
      await testApp
        .http()
        .post('/api/v1/metrics/record')
        .send({
          points: [
            { modelId: model.id, metricName: 'auc', value: 1 },
            { modelName: uniqueName('ghost'), metricName: 'auc', value: 1 },
          ],
        }),
      404,
      'MODEL_NOT_FOUND',
    );
    expect(unknown.errors!.map((error: { field: string }) => error.field)).toEqual(['points[1].modelName']);
    const malformed = expectProblem(
      await testApp
        .http()
        .post('/api/v1/metrics/record')
        .send({ points: [{ modelName: 'Bad Name', metricName: 'auc', value: 1 }] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(malformed.errors!.map((error: { field: string }) => error.field)).toEqual(['points[0].modelName']);
    const latest = await testApp.http().get('/api/v1/metrics/latest').query({ modelId: model.id }).expect(200);
    expect(latest.body.items).toEqual([]);
  });
});
