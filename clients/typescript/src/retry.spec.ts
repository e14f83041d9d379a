import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelWatch, ModelWatchError } from './index';
import { backoffMs, retryAfterMs } from './retry';

/** A real HTTP server answering from a script of [status, headers, body] per request. */
async function scriptedServer(script: [number, Record<string, string>, unknown][]) {
  const seen: { method: string; url: string; body: string; authorization?: string }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, body, authorization: request.headers.authorization });
      const [status, headers, payload] = script[Math.min(seen.length - 1, script.length - 1)];
      const problem = status >= 400;
      response.writeHead(status, { 'content-type': problem ? 'application/problem+json' : 'application/json', ...headers });
      response.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

const problem = (status: number, code: string, extra: Record<string, unknown> = {}) => ({
  type: `urn:modelwatch:problem:${code}`,
  title: code,
  status,
  detail: `detail of ${code}`,
  instance: '/api/v1/x',
  code,
  requestId: 'req-1',
  ...extra,
});

describe('@modelwatch/client transport', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0')).toBe(0);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(backoffMs(3, 100, () => 1)).toBe(800);
  });

  it('retries 429 and 503 after Retry-After, resending the body, then returns the result', async () => {
    const server = await scriptedServer([
      [429, { 'retry-after': '0' }, problem(429, 'RATE_LIMITED')],
      [503, { 'retry-after': '0' }, problem(503, 'DATABASE_UNAVAILABLE')],
      [201, {}, { recorded: 1, duplicates: 0 }],
    ]);
    try {
      const client = new ModelWatch({ baseUrl: server.baseUrl, apiKey: 'secret-key-0123456789' });
      const result = await client.recordMetrics({ body: { points: [{ modelName: 'm', metricName: 'auc', value: 1 }] } });
      expect(result).toEqual({ recorded: 1, duplicates: 0 });
      expect(server.seen.map((request) => request.method)).toEqual(['POST', 'POST', 'POST']);
      expect(new Set(server.seen.map((request) => request.body)).size).toBe(1);
      expect(JSON.parse(server.seen[2].body).points[0].modelName).toBe('m');
      expect(server.seen.every((request) => request.authorization === 'Bearer secret-key-0123456789')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('gives up after the configured retries and throws the last problem', async () => {
    const server = await scriptedServer([[503, { 'retry-after': '0' }, problem(503, 'DATABASE_UNAVAILABLE')]]);
    try {
      const client = new ModelWatch({ baseUrl: server.baseUrl, retry: { retries: 2 } });
      const error = await client.getModel({ path: { modelId: '00000000-0000-4000-8000-000000000000' } }).catch((caught) => caught);
      expect(error).toBeInstanceOf(ModelWatchError);
      expect(error).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
      expect(server.seen).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it('throws a ModelWatchError carrying the whole problem body, and does not retry other 4xx', async () => {
    const server = await scriptedServer([
      [409, {}, problem(409, 'MODEL_NAME_TAKEN', { existingModelId: 'abc', errors: [{ field: 'name', message: 'taken' }] })],
    ]);
    try {
      const client = new ModelWatch({ baseUrl: `${server.baseUrl}/` });
      const error: ModelWatchError = await client.createModel({ body: { name: 'churn' } }).catch((caught) => caught);
      expect(error).toBeInstanceOf(ModelWatchError);
      expect(error.status).toBe(409);
      expect(error.problem.existingModelId).toBe('abc');
      expect(error.fields).toEqual(['name']);
      expect(error.requestId).toBe('req-1');
      expect(server.seen).toEqual([expect.objectContaining({ method: 'POST', url: '/api/v1/models' })]);
    } finally {
      await server.close();
    }
  });
});
