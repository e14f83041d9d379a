import { createTestApp, type TestApp } from 'test/support/test-app';

const DASHBOARD = 'https://dash.example.com';

describe('CORS (e2e)', () => {
  describe('with CORS_ORIGINS set', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await createTestApp({ server: { corsOrigins: [DASHBOARD, 'http://localhost:5173'] } });
    });
    afterAll(() => testApp.close());

    it('answers a listed origin, preflight included, and exposes X-Request-Id and Retry-After', async () => {
      const preflight = await testApp
        .http()
        .options('/api/v1/metrics/record')
        .set('Origin', DASHBOARD)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization, content-type');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(DASHBOARD);
      expect(preflight.headers['access-control-allow-methods']).toContain('POST');
      expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
      const response = await testApp.http().get('/api/v1/models').set('Origin', DASHBOARD).expect(200);
      expect(response.headers['access-control-allow-origin']).toBe(DASHBOARD);
      expect(response.headers['access-control-expose-headers']).toContain('X-Request-Id');
    });

    it('gives other origins no CORS headers', async () => {
      const response = await testApp.http().get('/api/v1/models').set('Origin', 'https://evil.example.com').expect(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await testApp
        .http()
        .options('/api/v1/models')
        .set('Origin', 'https://evil.example.com')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('by default', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await createTestApp();
    });
    afterAll(() => testApp.close());

    it('sends no CORS headers to any origin', async () => {
      const response = await testApp.http().get('/api/v1/models').set('Origin', DASHBOARD).expect(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
