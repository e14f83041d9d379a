import { createModel } from 'test/support/factories';
import { checkDrift, currentWithDrift, listAlerts, putReference } from 'test/support/drift-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('drift checks raise and resolve data_drift alerts (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('raises one deduplicated alert while drift lasts, escalates it, and resolves it with the first check without drift', async () => {
    const model = await createModel(testApp);
    await putReference(testApp, model.id);
    expect((await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(0) } })).alertId).toBeNull();

    const first = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(2) } });
    expect(first).toMatchObject({ datasetDrift: true, numberOfDriftedFeatures: 2, alertId: expect.any(String) });
    const raised = await testApp.http().get(`/api/v1/alerts/${first.alertId}`).expect(200);
    expect(raised.body).toMatchObject({
      modelId: model.id,
      type: 'data_drift',
      severity: 'warning',
      status: 'firing',
      labels: { model: model.name },
      occurrences: 1,
      details: {
        checkId: first.checkId,
        driftShareThreshold: 0.5,
        driftedFeatures: [
          { name: 'income', stattest: 'ks', threshold: 0.05, score: expect.any(Number) },
          { name: 'age', stattest: 'ks', threshold: 0.05, score: expect.any(Number) },
        ],
      },
    });
    expect(raised.body.value).toBeCloseTo(2 / 3, 12);

    // all three features drift: driftShare 1 ≥ 0.75 makes the same alert critical
    const second = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(3) } });
    expect(second.alertId).toBe(first.alertId);
    const escalated = await testApp.http().get(`/api/v1/alerts/${first.alertId}`).expect(200);
    expect(escalated.body).toMatchObject({ severity: 'critical', occurrences: 2, status: 'firing', details: { checkId: second.checkId } });

    // one drifted feature of three is below the 0.5 share: no dataset drift, the alert resolves
    const calm = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(1) } });
    expect(calm).toMatchObject({ datasetDrift: false, alertId: null });
    const resolved = await testApp.http().get(`/api/v1/alerts/${first.alertId}`).expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved' });

    // drift after that opens a new alert
    const again = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(2) } });
    expect(again.alertId).not.toBe(first.alertId);
    const alerts = await listAlerts(testApp, { modelId: model.id, type: 'data_drift' });
    expect(alerts.map((alert) => alert.status).sort()).toEqual(['firing', 'resolved']);
  });

  it('keeps alerts per model', async () => {
    const [one, two] = [await createModel(testApp), await createModel(testApp)];
    for (const model of [one, two]) await putReference(testApp, model.id);
    const drifted = await checkDrift(testApp, { modelId: one.id, current: { features: currentWithDrift(2) } });
    await checkDrift(testApp, { modelId: two.id, current: { features: currentWithDrift(0) } });
    const alert = await testApp.http().get(`/api/v1/alerts/${drifted.alertId}`).expect(200);
    expect(alert.body.status).toBe('firing');
    expect(await listAlerts(testApp, { modelId: two.id })).toEqual([]);
  });
});
