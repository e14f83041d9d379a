import { createClient, createConfig } from './generated/client';
import { ModelWatchApi } from './generated/sdk.gen';
import type {
  LabelDto,
  MetricPointDto,
  PredictionDto,
  RecordLabelsResultDto,
  RecordMetricsResultDto,
  RecordPredictionsResultDto,
} from './generated/types.gen';
import { recordInBatches, type BatchOptions } from './batches';
import { toModelWatchError } from './errors';
import { retryingFetch, type RetryOptions } from './retry';

export * from './generated/types.gen';
export { ModelWatchError, type Problem } from './errors';
export { retryAfterMs, type RetryOptions } from './retry';
export { MAX_ITEMS_PER_CALL, recordInBatches, type BatchError, type BatchFailure, type BatchOptions } from './batches';

type Items<T> = Iterable<T> | AsyncIterable<T>;

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

  /** Records any number of points (an array, a generator or an async iterable) in calls of `batchSize`; returns the totals. */
  recordMetricsInBatches(points: Items<MetricPointDto>, options?: BatchOptions): Promise<RecordMetricsResultDto> {
    return recordInBatches(points, (batch) => this.recordMetrics({ body: { points: batch } }), { recorded: 0, duplicates: 0 }, options);
  }

  /** Logs any number of predictions in calls of `batchSize`; a predictionId already logged counts as a duplicate. */
  recordPredictionsInBatches(predictions: Items<PredictionDto>, options?: BatchOptions): Promise<RecordPredictionsResultDto> {
    const zero = { recorded: 0, duplicates: 0, labelled: 0 };
    return recordInBatches(predictions, (batch) => this.recordPredictions({ body: { predictions: batch } }), zero, options);
  }

  /** Records any number of labels in calls of `batchSize`; a changed label is a 409 unless `overwrite` is true. */
  recordLabelsInBatches(labels: Items<LabelDto>, options?: BatchOptions & { overwrite?: boolean }): Promise<RecordLabelsResultDto> {
    const zero = { recorded: 0, duplicates: 0, overwritten: 0, pending: 0 };
    const query = options?.overwrite === undefined ? undefined : { overwrite: options.overwrite };
    return recordInBatches(labels, (batch) => this.recordLabels({ body: { labels: batch }, query }), zero, options);
  }
}
