import { triggerRetrain, finishRun, putPolicy } from 'test/support/drift-factories';
import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('HTTP conveniences: 405 with Allow, Retry-After on the cooldown 409 (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it.each([
    ['put', '/api/v1/models', 'GET, HEAD, OPTIONS, POST'],
    ['post', '/api/v1/models/00000000-0000-4000-8000-000000000000', 'DELETE, GET, HEAD, OPTIONS, PATCH'],
    ['delete', '/api/v1/metrics/record', 'OPTIONS, POST'],
    ['post', '/health/live', 'GET, HEAD, OPTIONS'],
  ] as const)('%s %s is a 405 naming the allowed methods', async (method, path, allow) => {
    const response = await testApp.http()[method](path).send({});
    const problem = expectProblem(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers.allow).toBe(allow);
    expect(problem.allow).toEqual(allow.split(', '));
  });

  it('leaves unknown paths a 404 and known methods alone', async () => {
    expectProblem(await testApp.http().put('/api/v1/no-such-thing'), 404, 'ROUTE_NOT_FOUND');
    await testApp.http().get('/api/v1/models').expect(200);
    const options = await testApp.http().options('/api/v1/models').expect(204);
    expect(options.headers.allow).toBe('GET, HEAD, OPTIONS, POST');
  });

  it('the retrain cooldown 409 carries Retry-After in seconds', async () => {
    const model = await createModel(testApp);
    await putPolicy(testApp, model.id, { enabled: false, cooldownMinutes: 60 });
    testApp.clock.set('2025-07-02T08:00:00.000Z');
    const first = await triggerRetrain(testApp, { modelId: model.id, reason: 'data_drift' }).expect(202);
    await finishRun(testApp, first.body.trainingRunId, 'succeeded');
    testApp.clock.set('2025-07-02T08:20:00.000Z');
    const response = await triggerRetrain(testApp, { modelId: model.id, reason: 'data_drift' });
    expect(expectProblem(response, 409, 'RETRAIN_COOLDOWN').retryAfterSeconds).toBe(2400);
    expect(response.headers['retry-after']).toBe('2400');
    const other = await testApp.http().post('/api/v1/models').send({ name: model.name });
    expect(other.status).toBe(409);
    expect(other.headers['retry-after']).toBeUndefined();
  });
});
