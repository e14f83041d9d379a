import { ModelWatchError, type FeatureValuesDto } from '@modelwatch/client';
import { currentWithDrift, standardReference } from 'test/support/drift-factories';
import { uniqueName } from 'test/support/factories';
import { sdkFor } from 'test/support/sdk-app';
import { createTestApp, type TestApp } from 'test/support/test-app';

const ADMIN_KEY = 'story-admin-key-0123456789';

/** The whole product story through @modelwatch/client, against the real app on a real database. */
describe('the product story through the TypeScript SDK (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ apiKeys: [{ name: 'story', scope: 'admin', secret: ADMIN_KEY }] });
  });
  afterAll(() => testApp.close());

  it('register → metrics → trend → reference + drift → automatic retrain → run finishes → alert → acknowledge → A/B test', async () => {
    const mw = await sdkFor(testApp, { apiKey: ADMIN_KEY });
    const name = uniqueName('story');

    // register (idempotently: the second call returns the same model)
    const model = await mw.putModelByName({ path: { name }, body: { taskType: 'binary_classification', owner: 'risk' } });
    expect(await mw.putModelByName({ path: { name }, body: {} })).toEqual(model);
    const taken = await mw.createModel({ body: { name } }).catch((error: unknown) => error);
    expect(taken).toBeInstanceOf(ModelWatchError);
    expect(taken).toMatchObject({ status: 409, code: 'MODEL_NAME_TAKEN', problem: { existingModelId: model.id } });

    // record metrics by name, read the trend
    testApp.clock.set('2030-05-01T12:00:00.000Z');
    const points = [0.91, 0.9, 0.92, 0.89].map((value, hour) => ({
      modelName: name,
      metricName: 'auc',
      value,
      recordedAt: `2030-05-01T0${hour + 1}:00:00.000Z`,
    }));
    expect(await mw.recordMetrics({ body: { points } })).toEqual({ recorded: 4, duplicates: 0 });
    const trend = await mw.getMetricTrend({
      query: { modelId: model.id, metricName: 'auc', bucket: '1h', from: '2030-05-01T00:00:00.000Z', to: '2030-05-01T06:00:00.000Z' },
    });
    expect(trend.summary).toMatchObject({ count: 4, first: 0.91, last: 0.89 });

    // reference data, a retrain policy, and a drifted check that raises an alert and queues a retrain
    await mw.putReferenceData({ path: { modelId: model.id }, body: { features: standardReference() as FeatureValuesDto[] } });
    await mw.putRetrainPolicy({ path: { modelId: model.id }, body: { enabled: true, onDataDrift: true, cooldownMinutes: 60 } });
    const check = await mw.checkDrift({ body: { modelName: name, current: { features: currentWithDrift(2) as FeatureValuesDto[] } } });
    expect(check).toMatchObject({ datasetDrift: true, numberOfDriftedFeatures: 2, retrain: { triggered: true } });
    const runId = check.retrain!.trainingRunId!;
    const runs = await mw.listTrainingRuns({ query: { modelId: model.id } });
    expect(runs.items).toEqual([expect.objectContaining({ id: runId, trigger: 'data_drift', status: 'queued' })]);

    // the pipeline picks up the run and finishes it; its evaluation metrics become points
    await mw.updateTrainingRun({ path: { runId }, body: { status: 'running' } });
    const finished = await mw.updateTrainingRun({
      path: { runId },
      body: { status: 'succeeded', modelVersion: 'v2', metrics: { auc: 0.95 } },
    });
    expect(finished).toMatchObject({ status: 'succeeded', modelVersion: 'v2' });
    const latest = await mw.listLatestMetrics({ query: { modelId: model.id, environment: 'training' } });
    expect(latest.items).toEqual([expect.objectContaining({ metricName: 'auc', value: 0.95, modelVersion: 'v2' })]);

    // the drift alert is active; acknowledge it
    const active = await mw.listActiveAlerts({ query: { modelId: model.id } });
    const alert = active.items.find((item) => item.type === 'data_drift');
    expect(alert).toMatchObject({ id: check.alertId, status: 'firing' });
    const acknowledged = await mw.acknowledgeAlert({ path: { alertId: alert!.id }, body: { by: 'on-call', note: 'retrained as v2' } });
    expect(acknowledged.status).toBe('acknowledged');

    // an A/B test of v2 against v1
    const test = await mw.startAbTest({
      body: {
        modelId: model.id,
        name: `${name} v2 vs v1`,
        primaryMetric: 'conversion',
        metricType: 'binary',
        variants: [
          { name: 'control', modelVersion: 'v1', weight: 1 },
          { name: 'challenger', modelVersion: 'v2', weight: 1 },
        ],
      },
    });
    const assignment = await mw.assignAbTestVariant({ path: { testId: test.id }, body: { unitId: 'user-42' } });
    expect(['control', 'challenger']).toContain(assignment.variant);
    expect(await mw.assignAbTestVariant({ path: { testId: test.id }, body: { unitId: 'user-42' } })).toEqual(assignment);
    await mw.recordAbTestObservations({
      path: { testId: test.id },
      body: {
        aggregates: [
          { variant: 'control', count: 1000, sum: 100 },
          { variant: 'challenger', count: 1000, sum: 150 },
        ],
      },
    });
    const results = await mw.getAbTestResults({ path: { testId: test.id } });
    const challenger = results.comparisons.find((comparison) => comparison.variant === 'challenger');
    expect(challenger?.pValue).toBeLessThan(0.01);
    const stopped = await mw.stopAbTest({ path: { testId: test.id }, body: { winner: 'challenger', conclusion: 'v2 converts better' } });
    expect(stopped).toMatchObject({ status: 'completed', winner: 'challenger' });
  });

  it('refuses a missing key with a typed 401 carrying the problem body', async () => {
    const anonymous = await sdkFor(testApp);
    const error = await anonymous.listModels().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelWatchError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED', problem: { status: 401, instance: '/api/v1/models' } });
  });
});
