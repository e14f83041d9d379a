import { Client } from 'pg';
import { createModel, uniqueName } from 'test/support/factories';
import { logLines, startService, stopService, type ServiceProcess } from 'test/support/service-process';
import { TcpProxy } from 'test/support/tcp-proxy';
import { createTestApp, type TestApp } from 'test/support/test-app';
import { createTestDatabase, type TestDatabase } from 'test/support/test-database';

const serverOnly = process.env.DATABASE_URL ? describe : describe.skip;
const RUN_MS = 8_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; retryAfter: string | null }> {
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await response.arrayBuffer();
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  } catch {
    return { status: 0, retryAfter: null }; // the connection to the service itself failed (e.g. it exited)
  }
}

function sendTo(testApp: TestApp, [method, path, body]: [string, string, unknown]) {
  const started = testApp.http();
  return method === 'GET' ? started.get(path) : started.post(path).send(body as object);
}

/** Writes that run inside transactions (training run with metrics, alert raise, metrics batch) and plain ones. */
function writes(modelId: string): Array<() => [string, string, unknown]> {
  const now = () => new Date().toISOString();
  return [
    () => ['POST', '/api/v1/training-runs', { modelId, status: 'succeeded', metrics: { accuracy: 0.9, f1: 0.8 } }],
    () => [
      'POST',
      '/api/v1/alerts',
      { modelId, type: 'data_drift', severity: 'warning', title: 'drift', labels: { feature: uniqueName('f') } },
    ],
    () => [
      'POST',
      '/api/v1/metrics/record',
      { points: Array.from({ length: 300 }, (_, index) => ({ modelId, metricName: `m${index % 3}`, value: index, recordedAt: now() })) },
    ],
    () => ['POST', '/api/v1/models', { name: uniqueName() }],
    () => ['GET', `/api/v1/models/${modelId}`, undefined],
  ];
}

serverOnly('terminated database connections (service process on the PostgreSQL server)', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let admin: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startService({
      DATABASE_URL: database.url,
      RATE_LIMIT_PER_MINUTE: '0',
      ALERT_EVALUATION_INTERVAL_SECONDS: '0',
      OUTBOX_POLL_INTERVAL_MS: '0',
    });
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await stopService(service);
    await admin.end();
    await database.drop();
  });

  it('answers 503 with Retry-After (never 500) while backends in and out of transactions are terminated, and never exits', async () => {
    const databaseName = new URL(database.url).pathname.slice(1);
    const created = await call(service.url, 'POST', '/api/v1/models', { name: uniqueName() });
    expect(created.status).toBe(201);
    const model = (await (await fetch(`${service.url}/api/v1/models?limit=1`)).json()) as { items: { id: string }[] };
    const modelId = model.items[0].id;

    const statuses = new Map<number, number>();
    let missingRetryAfter = 0;
    let running = true;
    const worker = async (make: () => [string, string, unknown]) => {
      while (running) {
        const [method, path, body] = make();
        const result = await call(service.url, method, path, body);
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        if (result.status === 503 && !result.retryAfter) missingRetryAfter++;
      }
    };
    const workers = writes(modelId).flatMap((make) => [worker(make), worker(make)]);

    // Only this test's own database: the server is shared.
    let terminated = 0;
    const deadline = Date.now() + RUN_MS;
    for (let round = 0; Date.now() < deadline; round++) {
      const state = round % 3 === 0 ? `state = 'idle'` : round % 3 === 1 ? `xact_start IS NOT NULL` : 'true';
      const { rows } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND ${state}`,
        [databaseName],
      );
      terminated += rows.length;
      await sleep(80 + (round % 4) * 40);
    }
    running = false;
    await Promise.all(workers);

    const logs = logLines(service.output());
    const unexpected = logs.filter((line) => line.msg === 'Unhandled error').map((line) => `${line.err?.type}: ${line.err?.message}`);
    const unavailableCauses = new Set(logs.filter((line) => line.msg === 'Database unavailable').map((line) => String(line.cause)));
    // The classes seen, for the record (they differ from run to run).
    console.info(
      `terminated ${terminated} backends; statuses ${JSON.stringify([...statuses])}; 503 causes:\n${[...unavailableCauses].join('\n')}`,
    );

    if (service.child.exitCode !== null)
      console.info(
        service
          .output()
          .split('\n')
          .filter((line) => !line.includes('"req"'))
          .slice(-40)
          .join('\n'),
      );
    expect(terminated).toBeGreaterThan(20);
    expect(service.child.exitCode).toBeNull();
    expect(unexpected).toEqual([]);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(statuses.get(0) ?? 0).toBe(0);
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(missingRetryAfter).toBe(0);

    // The database never went away, so the very next writes succeed again.
    for (const make of writes(modelId)) {
      const [method, path, body] = make();
      expect((await call(service.url, method, path, body)).status).toBeLessThan(300);
    }
  });
});

describe('connections cut under write load (in process, through a TCP proxy; server and embedded)', () => {
  it('answers 503 with Retry-After (never 500) while every database connection is cut again and again, then serves again', async () => {
    const database = await createTestDatabase();
    const proxy = TcpProxy.forUrl(database.url);
    await proxy.start();
    const testApp = await createTestApp({ database, databaseUrl: proxy.proxiedUrl(database.url) });
    try {
      const modelId = (await createModel(testApp)).id;
      const statuses = new Map<number, number>();
      let missingRetryAfter = 0;
      let running = true;
      const worker = async (make: () => [string, string, unknown]) => {
        while (running) {
          const response = await sendTo(testApp, make());
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status === 503 && !response.headers['retry-after']) missingRetryAfter++;
        }
      };
      const workers = writes(modelId).map((make) => worker(make));
      let cut = 0;
      for (let round = 0; round < 25; round++) {
        await sleep(60 + (round % 4) * 40);
        cut += proxy.cutConnections();
      }
      running = false;
      await Promise.all(workers);

      expect(cut).toBeGreaterThan(10);
      expect(statuses.get(500) ?? 0).toBe(0);
      expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
      expect(missingRetryAfter).toBe(0);
      for (const make of writes(modelId)) {
        const response = await sendTo(testApp, make());
        expect(response.status).toBeLessThan(300);
      }
    } finally {
      await testApp.close();
      await proxy.stop();
      await database.drop();
    }
  });
});
