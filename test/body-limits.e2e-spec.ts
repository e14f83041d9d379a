import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/** The limits test-app.ts configures: the documented defaults (BODY_LIMIT 64mb, METRICS_BODY_LIMIT 8mb, PREDICTIONS_BODY_LIMIT 32mb, DEFAULT_BODY_LIMIT 1mb). */
describe('body limits per operation (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  function points(modelId: string, count: number, padding: number) {
    const start = Date.now() - count * 1000;
    return Array.from({ length: count }, (_, index) => ({
      modelId,
      metricName: 'accuracy',
      value: index / count,
      recordedAt: new Date(start + index * 1000).toISOString(),
      modelVersion: `v-${'x'.repeat(Math.min(padding, 190))}`,
      segment: { note: 'x'.repeat(Math.max(0, padding - 190)) },
    }));
  }

  it('records a 10,000-point batch of a few MB, and answers a 20 MB metrics body with 413 naming METRICS_BODY_LIMIT', async () => {
    const model = await createModel(testApp);
    const batch = { points: points(model.id, 10_000, 150) };
    expect(JSON.stringify(batch).length).toBeGreaterThan(2_000_000);
    const recorded = await testApp.http().post('/api/v1/metrics/record').send(batch).expect(201);
    expect(recorded.body.recorded).toBe(10_000);

    const huge = JSON.stringify({ points: points(model.id, 10_000, 1900) });
    expect(huge.length).toBeGreaterThan(20_000_000);
    const refused = await testApp.http().post('/api/v1/metrics/record').set('Content-Type', 'application/json').send(huge);
    const problem = expectProblem(refused, 413, 'PAYLOAD_TOO_LARGE');
    expect(problem.limit).toBe(8 * 1024 * 1024);
    expect(problem.detail).toContain('METRICS_BODY_LIMIT');
  });

  it('logs 10,000 predictions with 20 features (~7 MB) under PREDICTIONS_BODY_LIMIT, and refuses a 40 MB batch naming it', async () => {
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    const features = (index: number, width: number) =>
      Object.fromEntries(
        Array.from({ length: 20 }, (_, f) => [`feature_${f}`, f % 2 ? `${'v'.repeat(width)}${index % 7}` : index * 0.001 + f]),
      );
    const predictions = (width: number) =>
      Array.from({ length: 10_000 }, (_, index) => ({
        modelId: model.id,
        predictionId: `p${index}`,
        score: 0.5,
        features: features(index, width),
      }));
    const batch = JSON.stringify({ predictions: predictions(10) });
    expect(batch.length).toBeGreaterThan(5_000_000);
    const logged = await testApp.http().post('/api/v1/predictions').set('Content-Type', 'application/json').send(batch).expect(201);
    expect(logged.body.recorded).toBe(10_000);

    const huge = JSON.stringify({ predictions: predictions(400) });
    expect(huge.length).toBeGreaterThan(40_000_000);
    const refused = await testApp.http().post('/api/v1/predictions').set('Content-Type', 'application/json').send(huge);
    expect(expectProblem(refused, 413, 'PAYLOAD_TOO_LARGE').detail).toContain('PREDICTIONS_BODY_LIMIT');
  });

  it('answers a 2 MB body on an ordinary operation with 413 naming DEFAULT_BODY_LIMIT, and writes nothing', async () => {
    const name = uniqueName();
    const refused = await testApp
      .http()
      .post('/api/v1/models')
      .send({ name, description: 'x'.repeat(2_000_000) });
    expect(expectProblem(refused, 413, 'PAYLOAD_TOO_LARGE').detail).toContain('DEFAULT_BODY_LIMIT');
    const list = await testApp.http().get('/api/v1/models').query({ namePrefix: name }).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('still takes a large reference upload (BODY_LIMIT)', async () => {
    const model = await createModel(testApp);
    const values = Array.from({ length: 600_000 }, (_, index) => index * 1.000001);
    const body = { features: [{ name: 'f0', values }] };
    expect(JSON.stringify(body).length).toBeGreaterThan(8_000_000);
    const stored = await testApp.http().put(`/api/v1/models/${model.id}/reference`).send(body).expect(200);
    expect(stored.body.features[0].count).toBe(600_000);
  });
});

describe('HTTP server timeouts (e2e)', () => {
  it('sets REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS and KEEP_ALIVE_TIMEOUT_MS on the server', async () => {
    const testApp = await createTestApp({ server: { requestTimeoutMs: 120_000, headersTimeoutMs: 20_000, keepAliveTimeoutMs: 61_000 } });
    try {
      const server = testApp.app.getHttpServer();
      expect({ request: server.requestTimeout, headers: server.headersTimeout, keepAlive: server.keepAliveTimeout }).toEqual({
        request: 120_000,
        headers: 20_000,
        keepAlive: 61_000,
      });
    } finally {
      await testApp.close();
    }
  });
});
