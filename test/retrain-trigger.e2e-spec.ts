import { createHmac } from 'node:crypto';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { startReceiver, type WebhookReceiver } from 'test/support/alerts-factories';
import { createModel, expectProblem } from 'test/support/factories';
import { checkDrift, currentWithDrift, finishRun, listAlerts, putPolicy, putReference, triggerRetrain } from 'test/support/drift-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('POST /retrain/trigger (e2e)', () => {
  let testApp: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    testApp = await createTestApp();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await testApp.close();
  });

  it('queues a training run with the reason as trigger and announces it with an info alert', async () => {
    const model = await createModel(testApp);
    testApp.clock.set('2025-07-01T08:00:00.000Z');
    const response = await triggerRetrain(testApp, { modelId: model.id, reason: 'scheduled', requestedBy: 'nightly-cron' }).expect(202);
    expect(response.body).toEqual({ trainingRunId: expect.any(String), status: 'queued' });
    const run = await testApp.http().get(`/api/v1/training-runs/${response.body.trainingRunId}`).expect(200);
    expect(run.body).toMatchObject({
      modelId: model.id,
      trigger: 'scheduled',
      status: 'queued',
      triggeredBy: 'nightly-cron',
      queuedAt: '2025-07-01T08:00:00.000Z',
      reason: expect.stringContaining('scheduled'),
    });
    const [alert] = await listAlerts(testApp, { modelId: model.id, type: 'retrain_triggered' });
    expect(alert).toMatchObject({
      severity: 'info',
      status: 'firing',
      labels: { model: model.name, trainingRunId: response.body.trainingRunId },
      details: { trainingRunId: response.body.trainingRunId, reason: 'scheduled', requestedBy: 'nightly-cron' },
    });

    // the run finishing closes its announcement
    await finishRun(testApp, response.body.trainingRunId, 'succeeded');
    const [closed] = await listAlerts(testApp, { modelId: model.id, type: 'retrain_triggered' });
    expect(closed.status).toBe('resolved');
  });

  it('refuses while an automated run is queued or running, naming it, then applies the cooldown unless forced', async () => {
    const model = await createModel(testApp);
    await putPolicy(testApp, model.id, { enabled: false, cooldownMinutes: 60 });
    testApp.clock.set('2025-07-02T08:00:00.000Z');
    const first = await triggerRetrain(testApp, { modelId: model.id, reason: 'data_drift' }).expect(202);

    const active = expectProblem(
      await triggerRetrain(testApp, { modelId: model.id, reason: 'performance_degradation', force: true }),
      409,
      'RETRAIN_RUN_ACTIVE',
    );
    expect(active).toMatchObject({ activeRunId: first.body.trainingRunId, existingRunId: first.body.trainingRunId });
    // a manual request is refused too while an automated run is active
    expectProblem(await triggerRetrain(testApp, { modelId: model.id, reason: 'manual' }), 409, 'RETRAIN_RUN_ACTIVE');

    testApp.clock.set('2025-07-02T08:20:00.000Z');
    await finishRun(testApp, first.body.trainingRunId, 'succeeded');
    const cooling = expectProblem(await triggerRetrain(testApp, { modelId: model.id, reason: 'data_drift' }), 409, 'RETRAIN_COOLDOWN');
    expect(cooling).toMatchObject({ retryAfter: '2025-07-02T09:00:00.000Z', retryAfterSeconds: 2400 });

    const forced = await triggerRetrain(testApp, { modelId: model.id, reason: 'data_drift', force: true }).expect(202);
    await finishRun(testApp, forced.body.trainingRunId, 'cancelled');
    // the cooldown now counts from the forced run, queued at 08:20
    testApp.clock.set('2025-07-02T09:10:00.000Z');
    expect(
      expectProblem(await triggerRetrain(testApp, { modelId: model.id, reason: 'data_drift' }), 409, 'RETRAIN_COOLDOWN').retryAfter,
    ).toBe('2025-07-02T09:20:00.000Z');
    testApp.clock.set('2025-07-02T09:20:00.000Z');
    await triggerRetrain(testApp, { modelId: model.id, reason: 'data_drift' }).expect(202);
    const runs = await testApp.http().get('/api/v1/training-runs').query({ modelId: model.id }).expect(200);
    expect(runs.body.items).toHaveLength(3);
  });

  it('uses the default 24-hour cooldown without a policy; manual runs never start a cooldown', async () => {
    const model = await createModel(testApp);
    testApp.clock.set('2025-07-03T00:00:00.000Z');
    const manual = await triggerRetrain(testApp, { modelId: model.id, reason: 'manual' }).expect(202);
    await finishRun(testApp, manual.body.trainingRunId, 'succeeded');
    const scheduled = await triggerRetrain(testApp, { modelId: model.id, reason: 'scheduled' }).expect(202);
    await finishRun(testApp, scheduled.body.trainingRunId, 'succeeded');
    testApp.clock.set('2025-07-03T23:59:00.000Z');
    expect(
      expectProblem(await triggerRetrain(testApp, { modelId: model.id, reason: 'scheduled' }), 409, 'RETRAIN_COOLDOWN').retryAfter,
    ).toBe('2025-07-04T00:00:00.000Z');
    testApp.clock.set('2025-07-04T00:00:00.000Z');
    await triggerRetrain(testApp, { modelId: model.id, reason: 'scheduled' }).expect(202);
  });

  it('sends the signed webhook to the training pipeline through the outbox, with the drift check as dataset hint', async () => {
    const model = await createModel(testApp);
    await putReference(testApp, model.id);
    await putPolicy(testApp, model.id, { enabled: false, webhookUrl: receiver.url, webhookSecret: 'pipeline-signing-secret' });
    const check = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(2) } });
    expect(check.retrain).toMatchObject({ triggered: false, reason: 'policy_disabled' });
    const before = receiver.received.length;

    const queued = await triggerRetrain(testApp, {
      modelId: model.id,
      reason: 'data_drift',
      driftCheckId: check.checkId,
      requestedBy: 'oncall',
    }).expect(202);
    expect(receiver.received.length).toBe(before); // delivered after commit by the outbox worker, not inline
    expect(await testApp.get(WebhookDeliveryWorker).deliverDue()).toMatchObject({ delivered: 1 });
    const [hook] = receiver.received.slice(before);
    expect(hook.headers['x-modelwatch-event']).toBe('retrain.triggered');
    expect(hook.headers['x-modelwatch-signature']).toBe(
      `sha256=${createHmac('sha256', 'pipeline-signing-secret').update(hook.body).digest('hex')}`,
    );
    expect(hook.json).toMatchObject({
      event: 'retrain.triggered',
      trainingRunId: queued.body.trainingRunId,
      model: { id: model.id, name: model.name },
      reason: 'data_drift',
      requestedBy: 'oncall',
      driftCheckId: check.checkId,
      queuedAt: expect.any(String),
      sentAt: expect.any(String),
      datasetHints: {
        driftedFeatures: [
          expect.objectContaining({ name: 'income', drifted: true }),
          expect.objectContaining({ name: 'age', drifted: true }),
        ],
        previousRunQueuedAt: null,
      },
    });
    const run = await testApp.http().get(`/api/v1/training-runs/${queued.body.trainingRunId}`).expect(200);
    expect(run.body.driftCheckId).toBe(check.checkId);
  });

  it('raises a critical retrain_failed alert when a retraining run fails', async () => {
    const model = await createModel(testApp);
    const manual = await triggerRetrain(testApp, { modelId: model.id, reason: 'manual' }).expect(202);
    await finishRun(testApp, manual.body.trainingRunId, 'failed');
    const [failed] = await listAlerts(testApp, { modelId: model.id, type: 'retrain_failed' });
    expect(failed).toMatchObject({
      severity: 'critical',
      status: 'firing',
      labels: { model: model.name, trainingRunId: manual.body.trainingRunId },
      details: { trainingRunId: manual.body.trainingRunId, trigger: 'manual' },
    });
    const [announced] = await listAlerts(testApp, { modelId: model.id, type: 'retrain_triggered' });
    expect(announced.status).toBe('resolved');

    // runs that are no retraining (logged by hand, manual) raise nothing
    const logged = await testApp
      .http()
      .post('/api/v1/training-runs')
      .send({ modelId: model.id, status: 'running', startedAt: testApp.clock.now().toISOString() })
      .expect(201);
    await testApp.http().patch(`/api/v1/training-runs/${logged.body.id}`).send({ status: 'failed', error: 'boom' }).expect(200);
    expect(await listAlerts(testApp, { modelId: model.id, type: 'retrain_failed' })).toHaveLength(1);
  });

  it('validates the request and answers 404 for unknown models and drift checks', async () => {
    const model = await createModel(testApp);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectProblem(await triggerRetrain(testApp, { modelId: unknown, reason: 'manual' }), 404, 'MODEL_NOT_FOUND');
    expectProblem(
      await triggerRetrain(testApp, { modelId: model.id, reason: 'manual', driftCheckId: unknown }),
      404,
      'DRIFT_CHECK_NOT_FOUND',
    );
    const other = await createModel(testApp);
    await putReference(testApp, other.id);
    const foreign = await checkDrift(testApp, { modelId: other.id, current: { features: currentWithDrift(0) } });
    expectProblem(
      await triggerRetrain(testApp, { modelId: model.id, reason: 'manual', driftCheckId: foreign.checkId }),
      404,
      'DRIFT_CHECK_NOT_FOUND',
    );
    for (const [body, field] of [
      [{ modelId: model.id, reason: 'because' }, 'reason'],
      [{ modelId: model.id }, 'reason'],
      [{ modelId: 'nope', reason: 'manual' }, 'modelId'],
      [{ modelId: model.id, reason: 'manual', force: 'yes' }, 'force'],
      [{ modelId: model.id, reason: 'manual', driftCheckId: 'x' }, 'driftCheckId'],
    ] as const) {
      const problem = expectProblem(await triggerRetrain(testApp, body), 400, 'VALIDATION_FAILED');
      expect(problem.errors!.map((error) => error.field)).toContain(field);
    }
    const runs = await testApp.http().get('/api/v1/training-runs').query({ modelId: model.id }).expect(200);
    expect(runs.body.items).toEqual([]);
  });
});
