/** The server side of the dashboard: /ui serving, GET /auth/whoami, and the two API additions the pages need. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWebBuilt } from 'test/support/browser';
import { createModel, expectProblem } from 'test/support/factories';
import { recordMetrics } from 'test/support/metrics-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

const WRITER = { name: 'ops-writer', scope: 'write' as const, secret: 'writer-secret-0123456789abcdef' };
const READER = { name: 'wallboard', scope: 'read' as const, secret: 'reader-secret-0123456789abcdef' };

describe('dashboard server (e2e)', () => {
  let open: TestApp;
  beforeAll(async () => {
    ensureWebBuilt();
    open = await createTestApp();
  });
  afterAll(() => open.close());

  it('redirects / to /ui/ and serves index.html for every client route with a strict CSP', async () => {
    const root = await open.http().get('/').expect(302);
    expect(root.headers.location).toBe('/ui/');
    for (const path of ['/ui', '/ui/', '/ui/models/6f1c2b3a-1111-4222-8333-444455556666/drift', '/ui/alerts?status=firing']) {
      const page = await open.http().get(path).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<div id="app"');
      expect(page.headers['cache-control']).toBe('no-cache');
      const csp = page.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      // no inline script: every <script> has a src
      expect(page.text.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
    }
  });

  it('serves hashed assets with a year of caching, the favicon, and a 404 for a missing asset', async () => {
    const assets = readdirSync(join(__dirname, '..', 'dist', 'web', 'assets'));
    const script = assets.find((file) => file.endsWith('.js'))!;
    const asset = await open.http().get(`/ui/assets/${script}`).expect(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await open.http().get('/ui/favicon.svg').expect(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.headers['cache-control']).toBe('no-cache');
    expectProblem(await open.http().get('/ui/assets/index-missing0.js'), 404);
  });

  it('whoami in protected mode says so (and grants everything)', async () => {
    const { body } = await open.http().get('/api/v1/auth/whoami').expect(200);
    expect(body).toEqual({ mode: 'protected', keyName: null, scope: 'admin' });
  });

  it('trend with band=true adds each bucket’s p10 and p90 (percentile_cont)', async () => {
    const model = await createModel(open);
    const base = { modelId: model.id, metricName: 'accuracy' };
    await recordMetrics(
      open,
      Array.from({ length: 10 }, (_, i) => ({ ...base, value: i + 1, recordedAt: `2025-01-01T10:0${i}:00.000Z` })),
    );
    const query = { ...base, from: '2025-01-01T10:00:00Z', to: '2025-01-01T11:00:00Z', bucket: '1h' };
    const { body } = await open
      .http()
      .get('/api/v1/metrics/trend')
      .query({ ...query, band: 'true' })
      .expect(200);
    // python3: np.percentile(range(1, 11), [10, 90]) → [1.9, 9.1] (linear, as percentile_cont)
    expect(body.points).toHaveLength(1);
    expect(body.points[0].value).toBe(5.5);
    expect(body.points[0].p10).toBeCloseTo(1.9, 12);
    expect(body.points[0].p90).toBeCloseTo(9.1, 12);
    const plain = await open.http().get('/api/v1/metrics/trend').query(query).expect(200);
    expect(plain.body.points[0]).toEqual({ bucketStart: '2025-01-01T10:00:00.000Z', value: 5.5, count: 10 });
    expectProblem(
      await open
        .http()
        .get('/api/v1/metrics/trend')
        .query({ ...query, band: 'sometimes' }),
      400,
    );
  });

  it('drift check results carry reference and current bin counts for numerical features', async () => {
    const model = await createModel(open);
    const reference = {
      features: [
        { name: 'income', values: Array.from({ length: 100 }, (_, i) => i) },
        { name: 'plan', values: ['a', 'b', 'a', 'c'] },
      ],
    };
    const current = {
      features: [
        { name: 'income', values: Array.from({ length: 50 }, (_, i) => 50 + i) },
        { name: 'plan', values: ['a', 'b'] },
      ],
    };
    const posted = await open
      .http()
      .post('/api/v1/drift/check')
      .send({ modelId: model.id, reference, current, triggerRetrain: false })
      .expect(200);
    const { body } = await open.http().get(`/api/v1/drift/checks/${posted.body.checkId}`).expect(200);
    const income = body.features.find((f: { name: string }) => f.name === 'income');
    // python3: np.histogram(range(100), bins=20, range=(0, 99))[0] → [5]*19 + [5]; current range(50,100) → [0]*10 + [5]*10
    expect(income.histogram.edges).toHaveLength(21);
    expect(income.histogram.edges[0]).toBe(0);
    expect(income.histogram.edges[20]).toBe(99);
    expect(income.histogram.reference).toEqual(Array(20).fill(5));
    expect(income.histogram.current).toEqual([...Array(10).fill(0), ...Array(10).fill(5)]);
    expect(body.features.find((f: { name: string }) => f.name === 'plan').histogram).toBeNull();
    expect(posted.body.features.find((f: { name: string }) => f.name === 'income').histogram).toEqual(income.histogram);
  });
});

describe('GET /auth/whoami with API keys (e2e)', () => {
  let keyed: TestApp;
  beforeAll(async () => {
    keyed = await createTestApp({ apiKeys: [WRITER, READER] });
  });
  afterAll(() => keyed.close());

  it('names the key and its scope', async () => {
    const writer = await keyed.http().get('/api/v1/auth/whoami').set('Authorization', `Bearer ${WRITER.secret}`).expect(200);
    expect(writer.body).toEqual({ mode: 'api-key', keyName: 'ops-writer', scope: 'write' });
    const reader = await keyed.http().get('/api/v1/auth/whoami').set('X-API-Key', READER.secret).expect(200);
    expect(reader.body).toEqual({ mode: 'api-key', keyName: 'wallboard', scope: 'read' });
  });

  it('without a key says so (keyName and scope null), a wrong key is a 401, and the UI itself needs no key', async () => {
    const anonymous = await keyed.http().get('/api/v1/auth/whoami').expect(200);
    expect(anonymous.body).toEqual({ mode: 'api-key', keyName: null, scope: null });
    expectProblem(await keyed.http().get('/api/v1/models'), 401);
    expectProblem(await keyed.http().get('/api/v1/auth/whoami').set('Authorization', 'Bearer not-a-key-at-all-000000'), 401);
    await keyed.http().get('/ui/alerts').expect(200);
  });
});
