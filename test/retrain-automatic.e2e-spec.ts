import { createModel } from 'test/support/factories';
import { checkDrift, currentWithDrift, finishRun, listAlerts, putPolicy, putReference } from 'test/support/drift-factories';
import { recordMetrics } from 'test/support/metrics-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('automatic retraining (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const runsOf = async (modelId: string) => (await testApp.http().get('/api/v1/training-runs').query({ modelId }).expect(200)).body.items;

  describe('on data drift', () => {
    it('retrains after a drifted check, then reports the active run and the cooldown on later checks', async () => {
      const model = await createModel(testApp);
      await putReference(testApp, model.id);
      await putPolicy(testApp, model.id, { cooldownMinutes: 120 });
      testApp.clock.set('2025-08-01T06:00:00.000Z');
      const calm = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(1) } });
      expect(calm.retrain).toBeNull();

      const drifted = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(2) } });
      expect(drifted.retrain).toEqual({
        triggered: true,
        reason: 'triggered',
        detail: expect.any(String),
        trainingRunId: expect.any(String),
      });
      const [run] = await runsOf(model.id);
      expect(run).toMatchObject({
        id: drifted.retrain.trainingRunId,
        trigger: 'data_drift',
        driftCheckId: drifted.checkId,
        triggeredBy: 'drift-check',
      });
      expect(run.reason).toContain('2 of 3 features drifted');

      const whileActive = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(3) } });
      expect(whileActive.retrain).toMatchObject({ triggered: false, reason: 'active_run', trainingRunId: null });
      expect(whileActive.retrain.detail).toContain(run.id);

      testApp.clock.set('2025-08-01T07:00:00.000Z');
      await finishRun(testApp, run.id, 'succeeded');
      const cooling = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(2) } });
      expect(cooling.retrain).toMatchObject({ triggered: false, reason: 'cooldown' });
      expect(cooling.retrain.detail).toContain('2025-08-01T08:00:00.000Z');

      testApp.clock.set('2025-08-01T08:00:00.000Z');
      const again = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(2) } });
      expect(again.retrain).toMatchObject({ triggered: true });
      expect(await runsOf(model.id)).toHaveLength(2);
      // the outcome is stored with the check
      const stored = await testApp.http().get(`/api/v1/drift/checks/${whileActive.checkId}`).expect(200);
      expect(stored.body.retrain).toEqual(whileActive.retrain);
    });

    it('follows the policy: none, disabled, or not on drift means no run, unless the check asks for one', async () => {
      const noPolicy = await createModel(testApp);
      const disabled = await createModel(testApp);
      const driftOff = await createModel(testApp);
      for (const model of [noPolicy, disabled, driftOff]) await putReference(testApp, model.id);
      await putPolicy(testApp, disabled.id, { enabled: false });
      await putPolicy(testApp, driftOff.id, { onDataDrift: false });
      const current = { features: currentWithDrift(2) };
      expect((await checkDrift(testApp, { modelId: noPolicy.id, current })).retrain).toMatchObject({
        triggered: false,
        reason: 'no_policy',
      });
      expect((await checkDrift(testApp, { modelId: disabled.id, current })).retrain).toMatchObject({
        triggered: false,
        reason: 'policy_disabled',
      });
      expect((await checkDrift(testApp, { modelId: driftOff.id, current })).retrain).toMatchObject({
        triggered: false,
        reason: 'trigger_disabled',
      });
      for (const model of [noPolicy, disabled, driftOff]) expect(await runsOf(model.id)).toEqual([]);

      const asked = await checkDrift(testApp, { modelId: noPolicy.id, current, triggerRetrain: true });
      expect(asked.retrain).toMatchObject({ triggered: true });
      const enabled = await createModel(testApp);
      await putReference(testApp, enabled.id);
      await putPolicy(testApp, enabled.id);
      const forbidden = await checkDrift(testApp, { modelId: enabled.id, current, triggerRetrain: false });
      expect(forbidden.retrain).toMatchObject({ triggered: false, reason: 'not_requested' });
      expect(await runsOf(enabled.id)).toEqual([]);
    });

    it('raises retrain_failed when the run a drift check started fails', async () => {
      const model = await createModel(testApp);
      await putReference(testApp, model.id);
      await putPolicy(testApp, model.id);
      const drifted = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(2) } });
      await finishRun(testApp, drifted.retrain.trainingRunId, 'failed');
      const [failed] = await listAlerts(testApp, { modelId: model.id, type: 'retrain_failed' });
      expect(failed).toMatchObject({
        severity: 'critical',
        details: { trainingRunId: drifted.retrain.trainingRunId, trigger: 'data_drift' },
      });
    });
  });

  describe('on performance degradation', () => {
    const baseline = (modelId: string, metric: string, body: Record<string, unknown>) =>
      testApp.http().put(`/api/v1/models/${modelId}/baselines/${metric}`).send(body).expect(200);

    it('retrains when newly recorded metrics are degraded against their baseline, at most once per cooldown', async () => {
      const model = await createModel(testApp);
      await putPolicy(testApp, model.id, { cooldownMinutes: 60 });
      await baseline(model.id, 'auc', { value: 0.9 });
      testApp.clock.set('2025-09-01T12:00:00.000Z');

      await recordMetrics(testApp, [{ modelId: model.id, metricName: 'auc', value: 0.89, recordedAt: '2025-09-01T11:55:00.000Z' }]);
      expect(await runsOf(model.id)).toEqual([]); // within the 5 % tolerance

      await recordMetrics(testApp, [{ modelId: model.id, metricName: 'auc', value: 0.6, recordedAt: '2025-09-01T11:58:00.000Z' }]);
      const [run] = await runsOf(model.id);
      expect(run).toMatchObject({ trigger: 'performance_degradation', status: 'queued', triggeredBy: 'retrain-coordinator' });
      expect(run.reason).toContain('auc (production)');
      const [announced] = await listAlerts(testApp, { modelId: model.id, type: 'retrain_triggered' });
      expect(announced.details.degradedMetrics).toEqual([
        {
          metricName: 'auc',
          environment: 'production',
          baseline: 0.9,
          current: expect.closeTo(0.745, 12),
          relativeChange: expect.any(Number),
        },
      ]);

      await finishRun(testApp, run.id, 'succeeded');
      testApp.clock.set('2025-09-01T12:30:00.000Z');
      await recordMetrics(testApp, [{ modelId: model.id, metricName: 'auc', value: 0.5, recordedAt: '2025-09-01T12:29:00.000Z' }]);
      expect(await runsOf(model.id)).toHaveLength(1); // cooldown

      testApp.clock.set('2025-09-01T13:00:00.000Z');
      await recordMetrics(testApp, [{ modelId: model.id, metricName: 'auc', value: 0.5, recordedAt: '2025-09-01T12:59:00.000Z' }]);
      expect(await runsOf(model.id)).toHaveLength(2);
    });

    it('ignores degradation when the policy does not retrain on it, and metrics other than the ones just recorded', async () => {
      testApp.clock.set('2025-09-02T12:00:00.000Z');
      const off = await createModel(testApp);
      await putPolicy(testApp, off.id, { onPerformanceDegradation: false });
      await baseline(off.id, 'auc', { value: 0.9 });
      await recordMetrics(testApp, [{ modelId: off.id, metricName: 'auc', value: 0.1, recordedAt: '2025-09-02T11:00:00.000Z' }]);
      expect(await runsOf(off.id)).toEqual([]);

      // auc is degraded before the policy exists; later batches only bring latency (no baseline) and loss (within tolerance)
      const other = await createModel(testApp);
      await baseline(other.id, 'auc', { value: 0.9 });
      await baseline(other.id, 'loss', { value: 0.2, direction: 'lower_is_better' });
      await recordMetrics(testApp, [{ modelId: other.id, metricName: 'auc', value: 0.1, recordedAt: '2025-09-02T11:00:00.000Z' }]);
      await putPolicy(testApp, other.id);
      await recordMetrics(testApp, [
        { modelId: other.id, metricName: 'latency_ms', value: 900, recordedAt: '2025-09-02T11:10:00.000Z' },
        { modelId: other.id, metricName: 'loss', value: 0.205, recordedAt: '2025-09-02T11:10:00.000Z' },
      ]);
      expect(await runsOf(other.id)).toEqual([]);
      await recordMetrics(testApp, [{ modelId: other.id, metricName: 'loss', value: 0.4, recordedAt: '2025-09-02T11:30:00.000Z' }]);
      expect((await runsOf(other.id)).map((run: { trigger: string }) => run.trigger)).toEqual(['performance_degradation']);
    });
  });
});
