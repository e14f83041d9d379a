import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTestApp, type TestApp } from 'test/support/test-app';

/** The committed openapi.json is what the running service serves; regenerate with `npm run openapi`. */
describe('OpenAPI document (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('serves the committed openapi.json at /docs-json', async () => {
    const served = await testApp.http().get('/docs-json').expect(200);
    const committed = JSON.parse(readFileSync(resolve(__dirname, '..', 'openapi.json'), 'utf8'));
    expect(served.body).toEqual(committed);
  });

  it('gives every operation a verb-first operationId, a tag, a success schema and documented errors', async () => {
    const { body: document } = await testApp.http().get('/docs-json').expect(200);
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, operationId: operation.operationId }).toEqual({
          where,
          operationId: expect.stringMatching(
            /^(get|list|create|record|start|stop|assign|update|delete|put|set|replace|check|trigger|acknowledge|resolve|raise|test|compare|evaluate|upload|cancel|deliver|preview)[A-Z]\w*$/,
          ),
        });
        expect(operationIds.has(operation.operationId)).toBe(false);
        operationIds.add(operation.operationId);
        expect(operation.tags?.length).toBeGreaterThan(0);
        const statuses = Object.keys(operation.responses);
        expect(statuses.some((status) => status.startsWith('2'))).toBe(true);
        if (!path.startsWith('/health')) {
          for (const status of ['401', '403', '500', '503'])
            expect({ where, status, has: statuses.includes(status) }).toEqual({ where, status, has: true });
        }
      }
    }
  });

  it('serves the YAML document and Swagger UI', async () => {
    const yaml = await testApp.http().get('/docs-yaml').expect(200);
    expect(yaml.text).toContain('openapi: 3.');
    const ui = await testApp.http().get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
  });
});
