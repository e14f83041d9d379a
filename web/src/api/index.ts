/** Every API call the dashboard makes, by resource. Pages import `api` and never see a URL. */
import { ApiError, credentials, request } from '@/api/client';
import type * as T from '@/api/types';

const id = encodeURIComponent;

export const api = {
  auth: {
    whoami: (key?: string) => request<T.WhoAmI>('GET', '/auth/whoami', { key }),
  },
  models: {
    list: (query: T.ModelQuery = {}) => request<T.ModelPage>('GET', '/models', { query }),
    get: (modelId: string) => request<T.Model>('GET', `/models/${id(modelId)}`),
    baselines: (modelId: string, query: { environment?: string; limit?: number; cursor?: string } = {}) =>
      request<T.MetricBaselinePage>('GET', `/models/${id(modelId)}/baselines`, { query }),
    trainingSummary: (modelId: string) => request<T.TrainingSummary>('GET', `/models/${id(modelId)}/training-summary`),
  },
  metrics: {
    trend: (query: Omit<T.TrendQuery, 'segment'>) => request<T.MetricTrend>('GET', '/metrics/trend', { query }),
    latest: (query: { modelId: string; metricName?: string; environment?: string }) =>
      request<{ items: T.LatestMetric[] }>('GET', '/metrics/latest', { query }),
    compare: (query: T.CompareQuery) => request<T.MetricComparison>('GET', '/metrics/compare', { query }),
    degradation: (modelId: string, window?: T.DegradationWindow) =>
      request<T.MetricDegradation>('GET', '/metrics/degradation', { query: { modelId, window } }),
  },
  trainingRuns: {
    list: (query: T.TrainingRunQuery) => request<T.TrainingRunPage>('GET', '/training-runs', { query }),
  },
  alerts: {
    list: (query: T.AlertQuery = {}) => request<T.AlertPage>('GET', '/alerts', { query }),
    active: (query: { modelId?: string; limit?: number; cursor?: string } = {}) =>
      request<T.ActiveAlertPage>('GET', '/alerts/active', { query }),
    get: (alertId: string) => request<T.AlertDetail>('GET', `/alerts/${id(alertId)}`),
    acknowledge: (alertId: string, by: string, note?: string) =>
      request<T.Alert>('POST', `/alerts/${id(alertId)}/acknowledge`, { body: { by, note } }),
    resolve: (alertId: string, by: string, note?: string) =>
      request<T.Alert>('POST', `/alerts/${id(alertId)}/resolve`, { body: { by, note } }),
  },
  drift: {
    checks: (query: T.DriftCheckQuery) => request<T.DriftCheckPage>('GET', '/drift/checks', { query }),
    check: (checkId: string) => request<T.DriftCheck>('GET', `/drift/checks/${id(checkId)}`),
    heatmap: (query: T.HeatmapQuery) => request<T.DriftHeatmap>('GET', '/drift/heatmap', { query }),
  },
  abTests: {
    list: (query: T.AbTestQuery = {}) => request<T.AbTestPage>('GET', '/ab-test', { query }),
    get: (testId: string) => request<T.AbTest>('GET', `/ab-test/${id(testId)}`),
    results: (testId: string) => request<T.AbTestResults>('GET', `/ab-test/${id(testId)}/results`),
    stop: (testId: string, body: { winner?: string; conclusion?: string } = {}) =>
      request<T.AbTest>('POST', `/ab-test/${id(testId)}/stop`, { body }),
  },
};

/** The API call behind each empty state, named as a user would type it. */
export const calls = {
  models: 'POST /api/v1/models',
  metrics: 'POST /api/v1/metrics/record',
  trainingRuns: 'POST /api/v1/training-runs',
  alerts: 'POST /api/v1/alerts (or an alert rule)',
  driftChecks: 'POST /api/v1/drift/check',
  abTests: 'POST /api/v1/ab-test/start',
  baselines: 'PUT /api/v1/models/{modelId}/baselines/{metricName}',
};

export { ApiError, credentials };
export * from '@/api/types';
