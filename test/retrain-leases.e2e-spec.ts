import { RetrainLeases } from 'src/drift/retrain-leases.service';
import { createModel, expectProblem } from 'test/support/factories';
import { checkDrift, currentWithDrift, listAlerts, putPolicy, putReference } from 'test/support/drift-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('training-run leases (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const runsOf = async (modelId: string) => (await testApp.http().get('/api/v1/training-runs').query({ modelId }).expect(200)).body.items;
  const expire = () => testApp.get(RetrainLeases).expireLeases();

  it('fails a stuck queued run with timed_out, raises retrain_failed, and lets the next drift retrain again', async () => {
    const model = await createModel(testApp);
    await putReference(testApp, model.id);
    await putPolicy(testApp, model.id, { cooldownMinutes: 0, queuedTimeoutMinutes: 10, runningTimeoutMinutes: 30 });
    testApp.clock.set('2026-03-01T10:00:00.000Z');
    const first = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(2) } });
    expect(first.retrain).toMatchObject({ triggered: true });
    const runId = first.retrain.trainingRunId;
    // the pipeline crashed: the run stays queued, and every later drift is refused
    const jammed = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(2) } });
    expect(jammed.retrain).toMatchObject({ triggered: false, reason: 'active_run' });

    testApp.clock.set('2026-03-01T10:09:59.000Z');
    expect(await expire()).toEqual([]);
    testApp.clock.set('2026-03-01T10:10:00.000Z');
    expect(await expire()).toEqual([runId]);
    const run = (await testApp.http().get(`/api/v1/training-runs/${runId}`).expect(200)).body;
    expect(run).toMatchObject({ status: 'failed', error: 'timed_out', finishedAt: '2026-03-01T10:10:00.000Z' });
    const all = await listAlerts(testApp, { modelId: model.id });
    const failed = all.filter((alert) => alert.type === 'retrain_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ severity: 'critical', labels: { trainingRunId: runId } });
    expect(await expire()).toEqual([]);

    const next = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(2) } });
    expect(next.retrain).toMatchObject({ triggered: true });
    expect(next.retrain.trainingRunId).not.toBe(runId);
    expect(await runsOf(model.id)).toHaveLength(2);
  });

  it('heartbeats and PATCHes extend the lease; a running run gets the running timeout', async () => {
    const model = await createModel(testApp);
    await putReference(testApp, model.id);
    await putPolicy(testApp, model.id, { cooldownMinutes: 0, queuedTimeoutMinutes: 10, runningTimeoutMinutes: 30 });
    testApp.clock.set('2026-03-02T10:00:00.000Z');
    const runId = (await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(2) } })).retrain.trainingRunId;

    testApp.clock.set('2026-03-02T10:08:00.000Z');
    const beat = await testApp.http().post(`/api/v1/training-runs/${runId}/heartbeat`).expect(200);
    expect(beat.body).toMatchObject({ status: 'queued', lastHeartbeatAt: '2026-03-02T10:08:00.000Z' });
    testApp.clock.set('2026-03-02T10:17:00.000Z');
    expect(await expire()).not.toContain(runId);
    await testApp.http().patch(`/api/v1/training-runs/${runId}`).send({ status: 'running' }).expect(200);
    // 25 minutes later a queued run would have expired; a running one has 30
    testApp.clock.set('2026-03-02T10:42:00.000Z');
    expect(await expire()).not.toContain(runId);
    testApp.clock.set('2026-03-02T10:47:00.000Z');
    expect(await expire()).toContain(runId);
    expectProblem(await testApp.http().post(`/api/v1/training-runs/${runId}/heartbeat`), 409, 'TRAINING_RUN_FINISHED');
    expectProblem(
      await testApp.http().post(`/api/v1/training-runs/00000000-0000-4000-8000-000000000000/heartbeat`),
      404,
      'TRAINING_RUN_NOT_FOUND',
    );
  });

  it('never touches manual runs, and refuses timeouts below one minute', async () => {
    const model = await createModel(testApp);
    testApp.clock.set('2026-03-03T10:00:00.000Z');
    const manual = await testApp.http().post('/api/v1/training-runs').send({ modelId: model.id }).expect(201);
    testApp.clock.set('2026-03-10T10:00:00.000Z');
    expect(await expire()).not.toContain(manual.body.id);
    expect((await testApp.http().get(`/api/v1/training-runs/${manual.body.id}`).expect(200)).body.status).toBe('queued');
    for (const field of ['queuedTimeoutMinutes', 'runningTimeoutMinutes']) {
      const response = await testApp
        .http()
        .put(`/api/v1/models/${model.id}/retrain-policy`)
        .send({ enabled: true, [field]: 0 });
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
    }
  });
});
