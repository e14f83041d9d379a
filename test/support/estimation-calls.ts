import type { TestApp } from 'test/support/test-app';

/**
 * The HTTP calls the CBPE e2e specs make, over one analysis day at 1 h buckets: a trend of a metric, the estimation
 * quality, and PUT estimation-reference. Every logged prediction carries segment fleet=all, so a trend with
 * RAW_READ (a segment filter every prediction matches) is read from the raw predictions, not the hourly rollups. `app` is read at call time (specs create the app in beforeAll).
 */
export const SEGMENT = { fleet: 'all' };
export const RAW_READ = { 'segment.fleet': 'all' };

export function estimationCalls(app: () => TestApp, analysisDayMs: number) {
  const range = { bucket: '1h', from: new Date(analysisDayMs).toISOString(), to: new Date(analysisDayMs + 24 * 3_600_000).toISOString() };
  return {
    trend: (modelId: string, metricName: string, query: Record<string, string> = {}) =>
      app()
        .http()
        .get('/api/v1/metrics/trend')
        .query({ modelId, metricName, ...range, ...query }),
    quality: (modelId: string) => app().http().get(`/api/v1/models/${modelId}/estimation-quality`).query(range),
    putReference: (modelId: string, body: object) => app().http().put(`/api/v1/models/${modelId}/estimation-reference`).send(body),
  };
}
