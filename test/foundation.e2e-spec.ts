import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';
import { createTestDatabase } from 'test/support/test-database';
import { TcpProxy } from 'test/support/tcp-proxy';

const KEYS = [
  { name: 'reader', scope: 'read' as const, secret: 'read-secret-0123456789' },
  { name: 'writer', scope: 'write' as const, secret: 'write-secret-0123456789' },
  { name: 'admin', scope: 'admin' as const, secret: 'admin-secret-0123456789' },
];

describe('cross-cutting behaviour (e2e)', () => {
  describe('open mode (no API keys)', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await createTestApp({ server: { defaultBodyLimitBytes: 4096 } });
    });
    afterAll(() => testApp.close());

    it('echoes a sane X-Request-Id and makes one otherwise', async () => {
      const given = await testApp.http().get('/health/live').set('X-Request-Id', 'trace-abc.123').expect(200);
      expect(given.headers['x-request-id']).toBe('trace-abc.123');
      const made = await testApp.http().get('/health/live').set('X-Request-Id', 'bad id with spaces').expect(200);
      expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const problem = await testApp.http().get('/api/v1/nowhere').set('X-Request-Id', 'req-42');
      expect(expectProblem(problem, 404, 'ROUTE_NOT_FOUND').requestId).toBe('req-42');
    });

    it('answers malformed JSON with 400 problem+json and writes nothing', async () => {
      const name = uniqueName();
      const response = await testApp.http().post('/api/v1/models').set('Content-Type', 'application/json').send(`{"name":"${name}",`);
      expectProblem(response, 400, 'MALFORMED_JSON');
      const list = await testApp.http().get('/api/v1/models').query({ namePrefix: name }).expect(200);
      expect(list.body.items).toEqual([]);
    });

    it('answers an oversized body with 413 problem+json', async () => {
      const response = await testApp
        .http()
        .post('/api/v1/models')
        .send({ name: uniqueName(), description: 'x'.repeat(5000) });
      const problem = expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
      expect(problem.limit).toBe(4096);
    });

    it('answers wrong types with 400 naming the field', async () => {
      const response = await testApp
        .http()
        .post('/api/v1/models')
        .send({ name: uniqueName(), tags: [1, 2] });
      const problem = expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(problem.errors!.map((error) => error.field)).toContain('tags');
    });

    it('reports liveness and readiness', async () => {
      expect((await testApp.http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
      const ready = await testApp.http().get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, migrations: { status: 'up' } } });
    });

    it('sets security headers', async () => {
      const response = await testApp.http().get('/health/live');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('with API keys', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await createTestApp({ apiKeys: KEYS });
    });
    afterAll(() => testApp.close());

    it('refuses a missing or unknown key with 401', async () => {
      expectProblem(await testApp.http().get('/api/v1/models'), 401, 'UNAUTHORIZED');
      expectProblem(await testApp.http().get('/api/v1/models').set('Authorization', 'Bearer not-a-key-at-all-xx'), 401, 'UNAUTHORIZED');
      expectProblem(await testApp.http().get('/api/v1/models').set('Authorization', 'Basic abc'), 401, 'UNAUTHORIZED');
    });

    it('lets a read key read but not write (403), and writes nothing', async () => {
      await testApp.http().get('/api/v1/models').set('Authorization', `Bearer ${KEYS[0].secret}`).expect(200);
      const name = uniqueName();
      const refused = await testApp.http().post('/api/v1/models').set('X-API-Key', KEYS[0].secret).send({ name });
      expect(expectProblem(refused, 403, 'FORBIDDEN').requiredScope).toBe('write');
      const list = await testApp.http().get('/api/v1/models').set('X-API-Key', KEYS[2].secret).query({ namePrefix: name }).expect(200);
      expect(list.body.items).toEqual([]);
    });

    it('lets write and admin keys write', async () => {
      await createModel(testApp, {}, { Authorization: `Bearer ${KEYS[1].secret}` });
      await createModel(testApp, {}, { 'X-API-Key': KEYS[2].secret });
    });

    it('keeps health probes open', async () => {
      await testApp.http().get('/health/live').expect(200);
      await testApp.http().get('/health/ready').expect(200);
    });
  });

  describe('rate limiting', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await createTestApp({ server: { rateLimitPerMinute: 3 } });
    });
    afterAll(() => testApp.close());

    it('answers 429 problem+json past the configured limit', async () => {
      for (let index = 0; index < 3; index++) await testApp.http().get('/api/v1/models').expect(200);
      const limited = await testApp.http().get('/api/v1/models');
      expectProblem(limited, 429, 'RATE_LIMITED');
      expect(limited.headers['retry-after']).toBeDefined();
    });
  });

  describe('database outage', () => {
    it('answers 503 while the database is unreachable and recovers without a restart', async () => {
      const database = await createTestDatabase();
      const proxy = TcpProxy.forUrl(database.url);
      await proxy.start();
      const testApp = await createTestApp({ database, databaseUrl: proxy.proxiedUrl(database.url) });
      try {
        const model = await createModel(testApp);
        await proxy.stop();

        expectProblem(await testApp.http().get(`/api/v1/models/${model.id}`), 503, 'DATABASE_UNAVAILABLE');
        expectProblem(await testApp.http().post('/api/v1/models').send({ name: uniqueName() }), 503, 'DATABASE_UNAVAILABLE');
        const notReady = await testApp.http().get('/health/ready');
        expectProblem(notReady, 503, 'NOT_READY');
        await testApp.http().get('/health/live').expect(200);

        await proxy.start();
        await testApp.http().get(`/api/v1/models/${model.id}`).expect(200);
        await testApp.http().get('/health/ready').expect(200);
      } finally {
        await testApp.close();
        await proxy.stop();
        await database.drop();
      }
    });
  });
});
