import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Runs src/main.ts as a user would (without the database URL unless given) and waits for "listening". */
function startService(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? '/tmp',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) done({ child, url: match[1], output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(Object.assign(new Error(`exited with ${code}: ${output}`), { code, output })));
  });
}

function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return startService(env).then(
    async (started) => {
      await stopService(started);
      return { code: 0, output: started.output() };
    },
    (error: { code: number | null; output: string }) => ({ code: error.code, output: error.output }),
  );
}

async function stopService(started: Started): Promise<void> {
  const exited = new Promise((done) => started.child.once('exit', done));
  started.child.kill('SIGTERM');
  await exited;
}

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
