import { api, ApiError, credentials } from '@/api';

/** The browser globals the API layer reads, and a fetch that answers like the service (node's own Request/Response). */
const store = new Map<string, string>();
const seen: Request[] = [];
Object.assign(globalThis, {
  window: { location: { origin: 'http://ui.test' } },
  sessionStorage: {
    getItem: (name: string) => store.get(name) ?? null,
    setItem: (name: string, value: string) => void store.set(name, value),
    removeItem: (name: string) => void store.delete(name),
  },
});

beforeEach(() => {
  seen.length = 0;
  store.clear();
  globalThis.fetch = (async (input: Request) => {
    seen.push(input);
    const { pathname } = new URL(input.url);
    if (pathname === '/api/v1/models/gone') {
      const problem = {
        status: 404,
        type: 'about:blank',
        title: 'Not Found',
        detail: 'No model gone',
        instance: pathname,
        code: 'MODEL_NOT_FOUND',
      };
      return new Response(JSON.stringify(problem), {
        status: 404,
        headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req-42' },
      });
    }
    return new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
});

describe('the API layer over @modelwatch/client', () => {
  it('turns a problem+json answer into ApiError with title, status, code, the request id header and the call', async () => {
    const error = await api.models.get('gone').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(404);
    expect(apiError.message).toBe('Not Found');
    expect(apiError.problem).toMatchObject({ code: 'MODEL_NOT_FOUND', detail: 'No model gone', requestId: 'req-42' });
    expect(apiError.call).toBe('GET /api/v1/models/gone');
  });

  it('sends the stored key (or the given one) as a bearer token, to the page origin', async () => {
    credentials.set('stored-key');
    await api.models.get('m1');
    await api.auth.whoami('typed-key');
    expect(seen.map((request) => [request.url, request.headers.get('authorization')])).toEqual([
      ['http://ui.test/api/v1/models/m1', 'Bearer stored-key'],
      ['http://ui.test/api/v1/auth/whoami', 'Bearer typed-key'],
    ]);
  });

  it('drops empty query values and sends list parameters comma-separated', async () => {
    await api.metrics.compare({ metricName: 'auc', modelIds: ['a', 'b'], environment: '' } as Parameters<typeof api.metrics.compare>[0]);
    const url = new URL(seen[0].url);
    expect(url.pathname).toBe('/api/v1/metrics/compare');
    expect(Object.fromEntries(url.searchParams)).toEqual({ metricName: 'auc', modelIds: 'a,b' });
  });

  it('sends a POST body as JSON', async () => {
    await api.alerts.acknowledge('al1', 'ops', 'looking');
    expect(seen[0].method).toBe('POST');
    expect(await seen[0].json()).toEqual({ by: 'ops', note: 'looking' });
  });
});
