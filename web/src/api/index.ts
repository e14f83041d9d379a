/** Every API call the dashboard makes, by resource, each one SDK operation. Pages import `api` and never see a URL. */
import { ApiError, credentials, query, request } from '@/api/client';
import type * as T from '@/api/types';

export const api = {
  auth: {
    whoami: (key?: string) => request('GET', (sdk) => sdk.getWhoAmI(), key),
  },
  models: {
    list: (q: T.ModelQuery = {}) => request('GET', (sdk) => sdk.listModels({ query: query(q) })),
    get: (modelId: string) => request('GET', (sdk) => sdk.getModel({ path: { modelId } })),
    baselines: (modelId: string, q: { environment?: string; limit?: number; cursor?: string } = {}) =>
      request('GET', (sdk) => sdk.listBaselines({ path: { modelId }, query: query(q) })),
    trainingSummary: (modelId: string) => request('GET', (sdk) => sdk.getTrainingSummary({ path: { modelId } })),
    estimationReference: (modelId: string) => request('GET', (sdk) => sdk.getEstimationReference({ path: { modelId } })),
    estimationQuality: (modelId: string, q: { from: string; to: string; bucket?: T.MetricBucket; environment?: string }) =>
      request('GET', (sdk) => sdk.getEstimationQuality({ path: { modelId }, query: query(q) })),
  },
  metrics: {
    trend: (q: Omit<T.TrendQuery, 'segment'>) => request('GET', (sdk) => sdk.getMetricTrend({ query: query(q) })),
    latest: (q: { modelId: string; metricName?: string; environment?: string }) =>
      request('GET', (sdk) => sdk.listLatestMetrics({ query: query(q) })),
    compare: (q: T.CompareQuery) => request('GET', (sdk) => sdk.compareMetrics({ query: query(q) })),
    degradation: (modelId: string, window?: T.DegradationWindow) =>
      request('GET', (sdk) => sdk.getMetricDegradation({ query: query({ modelId, window }) })),
  },
  trainingRuns: {
    list: (q: T.TrainingRunQuery) => request('GET', (sdk) => sdk.listTrainingRuns({ query: query(q) })),
  },
  alerts: {
    list: (q: T.AlertQuery = {}) => request('GET', (sdk) => sdk.listAlerts({ query: query(q) })),
    active: (q: { modelId?: string; limit?: number; cursor?: string } = {}) =>
      request('GET', (sdk) => sdk.listActiveAlerts({ query: query(q) })),
    get: (alertId: string) => request('GET', (sdk) => sdk.getAlert({ path: { alertId } })),
    acknowledge: (alertId: string, by: string, note?: string) =>
      request('POST', (sdk) => sdk.acknowledgeAlert({ path: { alertId }, body: { by, note } })),
    resolve: (alertId: string, by: string, note?: string) =>
      request('POST', (sdk) => sdk.resolveAlert({ path: { alertId }, body: { by, note } })),
  },
  drift: {
    checks: (q: T.DriftCheckQuery) => request('GET', (sdk) => sdk.listDriftChecks({ query: query(q) })),
    check: (checkId: string) => request('GET', (sdk) => sdk.getDriftCheck({ path: { checkId } })),
    heatmap: (q: T.HeatmapQuery) => request('GET', (sdk) => sdk.getDriftHeatmap({ query: query(q) })),
  },
  abTests: {
    list: (q: T.AbTestQuery = {}) => request('GET', (sdk) => sdk.listAbTests({ query: query(q) })),
    get: (testId: string) => request('GET', (sdk) => sdk.getAbTest({ path: { testId } })),
    results: (testId: string) => request('GET', (sdk) => sdk.getAbTestResults({ path: { testId } })),
    rollout: (testId: string) => request('GET', (sdk) => sdk.getAbTestRollout({ path: { testId } })),
    cumulative: (testId: string, bucket?: T.AbTestCumulativeBucket) =>
      request('GET', (sdk) => sdk.getAbTestCumulativeLift({ path: { testId }, query: query({ bucket }) })),
    stop: (testId: string, body: { winner?: string; conclusion?: string } = {}) =>
      request('POST', (sdk) => sdk.stopAbTest({ path: { testId }, body })),
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
