import { createClient, createConfig } from './generated/client';
import { ModelWatchApi } from './generated/sdk.gen';
import { toModelWatchError } from './errors';
import { retryingFetch, type RetryOptions } from './retry';

export * from './generated/types.gen';
export { ModelWatchError, type Problem } from './errors';
export { retryAfterMs, type RetryOptions } from './retry';

export interface ModelWatchOptions {
  /** Where the service runs, e.g. `http://127.0.0.1:3000` (paths already carry `/api/v1`). */
  baseUrl: string;
  /** A secret from the service's API_KEYS, sent as `Authorization: Bearer <key>`; omit in protected mode. */
  apiKey?: string;
  /** Retries on 429/503 (honouring Retry-After) and on network errors of idempotent requests. */
  retry?: RetryOptions;
  /** Extra headers on every request (e.g. `X-Request-Id`, `X-Caller`). */
  headers?: Record<string, string>;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

/**
 * The ModelWatch API: one method per operation, named by its operationId (`createModel`, `recordMetrics`,
 * `getMetricTrend`, …), each resolving to the response body and rejecting with a ModelWatchError carrying the
 * problem+json body. Generated from openapi.json (src/generated); this class only configures the transport.
 */
export class ModelWatch extends ModelWatchApi {
  constructor(options: ModelWatchOptions) {
    const client = createClient(
      createConfig({
        baseUrl: options.baseUrl.replace(/\/+$/, ''),
        throwOnError: true,
        fetch: retryingFetch(options.fetch ?? globalThis.fetch.bind(globalThis), options.retry) as typeof fetch,
        headers: { ...options.headers, ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}) },
      }),
    );
    client.interceptors.error.use((error, response) => toModelWatchError(error, response));
    super({ client });
  }
}
