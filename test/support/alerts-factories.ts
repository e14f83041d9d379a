import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uniqueName } from 'test/support/factories';
import type { TestApp } from 'test/support/test-app';

/** Raises an alert through POST /alerts; every field overridable. Returns the response body. */
export async function raiseAlert(testApp: TestApp, modelId: string, overrides: Record<string, unknown> = {}) {
  const response = await testApp
    .http()
    .post('/api/v1/alerts')
    .send({
      modelId,
      type: 'data_drift',
      severity: 'warning',
      title: 'Feature drift',
      labels: { feature: uniqueName('feature') },
      ...overrides,
    });
  if (response.status !== 201) throw new Error(`raiseAlert failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; status: string; occurrences: number; [key: string]: any };
}

/** Creates a webhook channel through POST /alert-channels. */
export async function createChannel(
  testApp: TestApp,
  url: string,
  overrides: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const response = await testApp
    .http()
    .post('/api/v1/alert-channels')
    .set(headers)
    .send({ name: uniqueName('channel'), url, ...overrides });
  if (response.status !== 201) throw new Error(`createChannel failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string; [key: string]: any };
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  /** The status the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Received requests that were answered 2xx. */
  delivered(): ReceivedWebhook[];
  close(): Promise<void>;
}

/**
 * A local HTTP receiver on 127.0.0.1 (port 0). `respond(n)` gives the status for the n-th request (0-based);
 * default 200.
 */
export async function startReceiver(
  respond: (index: number, request: { headers: IncomingHttpHeaders; body: string }) => number = () => 200,
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = respond(received.length, { headers: request.headers, body });
      received.push({ headers: request.headers, body, json: body ? JSON.parse(body) : null, status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? `receiver says ${status}` : 'ok');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    delivered: () => received.filter((request) => request.status >= 200 && request.status < 300),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Creates a threshold rule through POST /alert-rules (defaults: accuracy, last value over 60 min, < 0.8, critical). */
export async function createRule(testApp: TestApp, modelId: string, overrides: Record<string, unknown> = {}) {
  const response = await testApp
    .http()
    .post('/api/v1/alert-rules')
    .send({
      modelId,
      metricName: 'accuracy',
      aggregation: 'last',
      windowMinutes: 60,
      comparator: 'lt',
      threshold: 0.8,
      severity: 'critical',
      ...overrides,
    });
  if (response.status !== 201) throw new Error(`createRule failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; [key: string]: any };
}

/** Records one metric point (at the app's clock time unless recordedAt is given) through POST /metrics/record. */
export async function recordMetric(testApp: TestApp, modelId: string, value: number, overrides: Record<string, unknown> = {}) {
  const response = await testApp
    .http()
    .post('/api/v1/metrics/record')
    .send({ points: [{ modelId, metricName: 'accuracy', value, ...overrides }] });
  if (response.status !== 201) throw new Error(`recordMetric failed: ${response.status} ${JSON.stringify(response.body)}`);
}

/** Polls until `check` returns a truthy value (for jobs running on their own timers); fails after `timeoutMs`. */
export async function eventually<Value>(check: () => Promise<Value | null | undefined | false>, timeoutMs = 10_000): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
