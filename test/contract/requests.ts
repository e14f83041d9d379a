import type { Fixtures } from 'test/contract/fixtures';

export interface ApiRequest {
  path: Record<string, string>;
  query: Record<string, unknown>;
  body?: unknown;
}

const FEATURES = [{ name: 'age', values: [21, 25, 33, 38, 41, 47, 52, 60] }];

/** One valid request per operation, on the fixtures. Mutations start from these. */
export function baseRequests(f: Fixtures): Record<string, ApiRequest> {
  const model = { modelId: f.model.id };
  const spare = f.spareModels;
  return {
    getLiveness: { path: {}, query: {} },
    getReadiness: { path: {}, query: {} },
    createModel: { path: {}, query: {}, body: { name: 'contract-created', taskType: 'regression', tags: ['x'], metadata: { a: 1 } } },
    listModels: { path: {}, query: { limit: 10, namePrefix: 'contract' } },
    getModelByName: { path: { name: f.model.name }, query: {} },
    putModelByName: { path: { name: 'contract-put' }, query: {}, body: { owner: 'team' } },
    getModel: { path: model, query: {} },
    updateModel: { path: { modelId: spare[0].id }, query: {}, body: { description: 'changed', owner: null } },
    deleteModel: { path: { modelId: spare[1].id }, query: { force: true } },
    recordMetrics: {
      path: {},
      query: {},
      body: { points: [{ modelId: f.model.id, metricName: 'accuracy', value: 0.93, sampleSize: 100 }] },
    },
    getMetricTrend: { path: {}, query: { modelId: f.model.id, metricName: 'accuracy', bucket: '1h', forecastHorizon: 3 } },
    listLatestMetrics: { path: {}, query: { modelId: f.model.id } },
    compareMetrics: { path: {}, query: { metricName: 'accuracy', modelId: f.model.id, modelVersions: 'v1,v2' } },
    getMetricDegradation: { path: {}, query: { modelId: f.model.id } },
    putBaseline: { path: { modelId: f.model.id, metricName: 'accuracy' }, query: {}, body: { value: 0.9, tolerance: 0.05 } },
    deleteBaseline: { path: { modelId: spare[2].id, metricName: 'accuracy' }, query: {} },
    listBaselines: { path: model, query: { limit: 10 } },
    createTrainingRun: { path: {}, query: {}, body: { modelId: f.model.id, trigger: 'manual', hyperparameters: { depth: 3 } } },
    listTrainingRuns: { path: {}, query: { modelId: f.model.id, limit: 5 } },
    getTrainingRun: { path: { runId: f.runId }, query: {} },
    updateTrainingRun: { path: { runId: f.runId }, query: {}, body: { notes: 'contract' } },
    getTrainingSummary: { path: model, query: {} },
    raiseAlert: { path: {}, query: {}, body: { modelId: f.model.id, type: 'custom', severity: 'info', title: 'raised' } },
    listAlerts: { path: {}, query: { modelId: f.model.id, limit: 5 } },
    listActiveAlerts: { path: {}, query: { modelId: f.model.id } },
    getAlert: { path: { alertId: f.alertId }, query: {} },
    acknowledgeAlert: { path: { alertId: f.alertId }, query: {}, body: { by: 'contract' } },
    resolveAlert: { path: { alertId: f.alertId }, query: {}, body: { by: 'contract' } },
    createAlertRule: {
      path: {},
      query: {},
      body: {
        modelId: f.model.id,
        metricName: 'accuracy',
        aggregation: 'avg',
        windowMinutes: 30,
        comparator: 'lt',
        threshold: 0.2,
        severity: 'info',
      },
    },
    listAlertRules: { path: {}, query: { modelId: f.model.id } },
    getAlertRule: { path: { ruleId: f.ruleId }, query: {} },
    updateAlertRule: { path: { ruleId: f.ruleId }, query: {}, body: { threshold: 0.4, forMinutes: 5 } },
    deleteAlertRule: { path: { ruleId: f.ruleId }, query: {} },
    createAlertChannel: {
      path: {},
      query: {},
      body: { name: 'contract-channel', url: 'http://127.0.0.1:9/other', minSeverity: 'warning' },
    },
    listAlertChannels: { path: {}, query: {} },
    getAlertChannel: { path: { channelId: f.channelId }, query: {} },
    updateAlertChannel: { path: { channelId: f.channelId }, query: {}, body: { repeatIntervalMinutes: 30 } },
    deleteAlertChannel: { path: { channelId: f.channelId }, query: {} },
    testAlertChannel: { path: { channelId: f.channelId }, query: {} },
    recordAlertmanagerAlerts: {
      path: {},
      query: {},
      body: {
        version: '4',
        groupKey: '{}:{alertname="ContractAlert"}',
        status: 'firing',
        receiver: 'modelwatch',
        groupLabels: { alertname: 'ContractAlert' },
        commonLabels: { alertname: 'ContractAlert' },
        commonAnnotations: {},
        externalURL: 'http://alertmanager.example:9093',
        truncatedAlerts: 0,
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'ContractAlert', model: f.model.name, severity: 'warning' },
            annotations: { summary: 'From Alertmanager' },
            startsAt: '2026-01-01T00:00:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus.example/graph',
            fingerprint: 'c0ffee0123456789',
          },
        ],
      },
    },
    putReferenceData: { path: { modelId: spare[0].id }, query: {}, body: { features: FEATURES } },
    getReferenceData: { path: model, query: {} },
    putReferenceFeature: { path: { modelId: f.model.id, featureName: 'income' }, query: {}, body: { values: [1, 2, 3, 4, 5, 6] } },
    checkDrift: { path: {}, query: {}, body: { modelId: f.model.id, current: { features: FEATURES } } },
    listDriftChecks: { path: {}, query: { modelId: f.model.id } },
    getDriftCheck: { path: { checkId: f.checkId }, query: {} },
    getDriftHeatmap: { path: {}, query: { modelId: f.model.id } },
    putRetrainPolicy: { path: model, query: {}, body: { enabled: false, cooldownMinutes: 30 } },
    getRetrainPolicy: { path: model, query: {} },
    triggerRetrain: { path: {}, query: {}, body: { modelId: spare[0].id, reason: 'manual' } },
    startAbTest: {
      path: {},
      query: {},
      body: {
        modelId: f.model.id,
        name: 'contract started',
        primaryMetric: 'latency',
        metricType: 'continuous',
        variants: [
          { name: 'a', weight: 1 },
          { name: 'b', weight: 2 },
        ],
      },
    },
    assignAbTestVariant: { path: { testId: f.testId }, query: {}, body: { unitId: 'user-1' } },
    recordAbTestObservations: { path: { testId: f.testId }, query: {}, body: { observations: [{ variant: 'control', value: 1 }] } },
    getAbTestResults: { path: { testId: f.testId }, query: {} },
    stopAbTest: { path: { testId: f.testId }, query: {}, body: { conclusion: 'contract' } },
    listAbTests: { path: {}, query: { modelId: f.model.id } },
    getAbTest: { path: { testId: f.testId }, query: {} },
    recordTrainingRunHeartbeat: { path: { runId: f.runId }, query: {} },
    listAuditEntries: { path: {}, query: { limit: 10 } },
    checkAuditTrail: { path: {}, query: {} },
    getWhoAmI: { path: {}, query: {} },
  };
}
