import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logLines, runToExit, startService, stopService, type ServiceProcess } from 'test/support/service-process';
import { createTestDatabase, type TestDatabase } from 'test/support/test-database';

const BATCH = 200;
const serverOnly = process.env.DATABASE_URL ? it : it.skip;

/** Lines a person reads (not JSON log lines), without blank ones. */
function plainLines(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
}

async function post(base: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

function batch(modelId: string, index: number) {
  return {
    points: Array.from({ length: BATCH }, (_, point) => ({
      modelId,
      metricName: 'accuracy',
      value: point / BATCH,
      idempotencyKey: `b${index}-${point}`,
    })),
  };
}

/**
 * Ingest from several clients, kill -9 the service mid-stream, start it again, and resend every batch with the same
 * idempotency keys: an acknowledged batch must come back as all duplicates (nothing lost), any other batch as all
 * duplicates or none (all or nothing, never part of a batch).
 */
async function killDuringIngest(env: Record<string, string>): Promise<{ acknowledged: number; sent: number }> {
  let service: ServiceProcess = await startService(env);
  const model = await post(service.url, '/api/v1/models', { name: `kill-${Date.now()}` });
  expect(model.status).toBe(201);
  const modelId = model.json.id as string;
  const acknowledged = new Set<number>();
  let next = 0;
  let killed = false;
  const client = async () => {
    while (!killed) {
      const index = next++;
      const result = await post(service.url, '/api/v1/metrics/record', batch(modelId, index)).catch(() => null);
      if (result?.status === 201 && !killed) acknowledged.add(index);
    }
  };
  const clients = [client(), client(), client(), client()];
  while (acknowledged.size < 10) await new Promise((done) => setTimeout(done, 20));
  killed = true; // from here on an answer may or may not arrive; only answers received before the kill count
  await stopService(service, 'SIGKILL');
  await Promise.all(clients);
  const sent = next;

  service = await startService(env);
  try {
    for (let index = 0; index < sent; index++) {
      const resent = await post(service.url, '/api/v1/metrics/record', batch(modelId, index));
      expect(resent.status).toBe(201);
      if (acknowledged.has(index)) expect(resent.json).toEqual({ recorded: 0, duplicates: BATCH });
      else expect([0, BATCH]).toContain(resent.json.duplicates);
    }
  } finally {
    await stopService(service);
  }
  return { acknowledged: acknowledged.size, sent };
}

describe('the service process under faults', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'modelwatch-faults-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('names the port and PORT, in one line, when the port is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await runToExit({ DATA_DIR: dataDir, PORT: String(port) });
      expect(result.code).toBe(1);
      expect(plainLines(result.output)).toEqual([
        `ModelWatch cannot start: port ${port} on 127.0.0.1 is already in use; stop what uses it or set PORT to a free port.`,
      ]);
    } finally {
      await new Promise((done) => taken.close(done));
    }
  });

  it('refuses a locked DATA_DIR with one line and no stack trace, and logs "listening" with its text in msg', async () => {
    const first = await startService({ DATA_DIR: dataDir });
    try {
      const listening = logLines(first.output()).find((line) => String(line.msg).includes('listening on'));
      expect(listening).toBeDefined();
      expect(listening!.msg).toContain(first.url);
      const second = await runToExit({ DATA_DIR: dataDir });
      expect(second.code).toBe(1);
      const lines = plainLines(second.output);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^ModelWatch cannot start: The data directory .* is in use by another ModelWatch process/);
      expect(logLines(second.output).filter((line) => line.level >= 50)).toEqual([]);
    } finally {
      await stopService(first);
    }
  });

  it('logs an upload the client aborts at info, not as an unexpected error, and keeps serving', async () => {
    const service = await startService({ DATA_DIR: dataDir });
    try {
      const { hostname, port } = new URL(service.url);
      const socket = connect(Number(port), hostname);
      await new Promise((done) => socket.once('connect', done));
      socket.write(
        'POST /api/v1/metrics/record HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"points":[',
      );
      await new Promise((done) => setTimeout(done, 300));
      socket.destroy();
      const deadline = Date.now() + 10_000;
      while (!service.output().includes('Client aborted the upload') && Date.now() < deadline)
        await new Promise((done) => setTimeout(done, 50));
      const logs = logLines(service.output());
      const aborted = logs.find((line) => line.msg === 'Client aborted the upload');
      expect(aborted).toMatchObject({ level: 30 });
      expect(logs.filter((line) => line.level >= 50)).toEqual([]);
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    } finally {
      await stopService(service);
    }
  });

  it('loses no acknowledged point and leaves no partial batch when killed with SIGKILL during ingest (embedded)', async () => {
    const { acknowledged, sent } = await killDuringIngest({ DATA_DIR: dataDir });
    expect(acknowledged).toBeGreaterThanOrEqual(10);
    expect(sent).toBeGreaterThan(acknowledged);
  });

  serverOnly('loses no acknowledged point and leaves no partial batch when killed with SIGKILL during ingest (server)', async () => {
    const database: TestDatabase = await createTestDatabase();
    try {
      const { acknowledged } = await killDuringIngest({ DATABASE_URL: database.url });
      expect(acknowledged).toBeGreaterThanOrEqual(10);
    } finally {
      await database.drop();
    }
  });
});
