import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToExit, startService, stopService } from 'test/support/service-process';

describe('the service process (embedded default)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'modelwatch-test-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on the embedded database, keeps data across a restart, and refuses a second process on the same DATA_DIR', async () => {
    const first = await startService({ DATA_DIR: dataDir });
    expect(first.output()).toContain(`embedded PostgreSQL (PGlite) with data in ${dataDir}`);
    expect(first.output()).toContain('protected mode');
    const created = await fetch(`${first.url}/api/v1/models`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'survivor' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const second = await runToExit({ DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.output).toContain('is in use by another ModelWatch process');

    await stopService(first);
    const restarted = await startService({ DATA_DIR: dataDir });
    try {
      const fetched = await fetch(`${restarted.url}/api/v1/models/${id}`);
      expect(fetched.status).toBe(200);
      expect(((await fetched.json()) as { name: string }).name).toBe('survivor');
      const docs = await fetch(`${restarted.url}/docs-json`);
      expect(docs.status).toBe(200);
    } finally {
      await stopService(restarted);
    }
  });

  it('stops with exit code 1 and one message naming every bad variable', async () => {
    const result = await runToExit({ DATA_DIR: dataDir, PORT: 'abc', LOG_LEVEL: 'chatty', BODY_LIMIT: 'lots' });
    expect(result.code).toBe(1);
    const line = result.output.split('\n').find((text) => text.includes('cannot start'))!;
    for (const name of ['PORT', 'LOG_LEVEL', 'BODY_LIMIT']) expect(line).toContain(name);
  });

  it('refuses to listen beyond loopback without API keys (protected mode)', async () => {
    const result = await runToExit({ DATA_DIR: dataDir, HOST: '0.0.0.0' });
    expect(result.code).toBe(1);
    expect(result.output).toContain('without authentication');
  });
});
