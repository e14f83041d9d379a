import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { MetricsService } from 'src/metrics/metrics.service';
import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';
import { createTrainingRun } from 'test/support/training-runs-factories';

/** A succeeded run's evaluation results become metric points (environment `training`), in the same transaction. */
describe('training runs → metrics (e2e)', () => {
  let testApp: TestApp;
  const published: { name: string; modelId: string }[] = [];
  beforeAll(async () => {
    testApp = await createTestApp();
    const emitter = testApp.get(EventEmitter2);
    for (const name of ['metrics.recorded', 'training.finished'])
      emitter.on(name, (event: { modelId: string }) => published.push({ name, modelId: event.modelId }));
  });
  afterAll(() => testApp.close());

  const trainingMetrics = async (modelId: string) =>
    (await testApp.http().get('/api/v1/metrics/latest').query({ modelId, environment: 'training' }).expect(200)).body.items as Record<
      string,
      unknown
    >[];
  const storedPoints = (modelId: string) =>
    testApp.get(DataSource).query(
      `SELECT metric_name AS "metricName", value, model_version AS "modelVersion", idempotency_key AS "idempotencyKey"
         FROM model_performance_metrics WHERE model_id = $1 ORDER BY recorded_at, metric_name`,
      [modelId],
    );

  it('records the metrics of a run that succeeds, version by version, then publishes metrics.recorded and training.finished', async () => {
    const model = await createModel(testApp);
    testApp.clock.set('2030-01-01T00:00:00Z');
    const first = await createTrainingRun(testApp, model.id, { status: 'running', modelVersion: 'v1' });
    testApp.clock.set('2030-01-01T02:00:00Z');
    await testApp
      .http()
      .patch(`/api/v1/training-runs/${first.id}`)
      .send({ status: 'succeeded', metrics: { auc: 0.81, logLoss: 0.45 } })
      .expect(200);
    expect(published.filter((event) => event.modelId === model.id).map((event) => event.name)).toEqual([
      'metrics.recorded',
      'training.finished',
    ]);

    testApp.clock.set('2030-02-01T00:00:00Z');
    const second = await createTrainingRun(testApp, model.id, {
      status: 'running',
      modelVersion: 'v2',
      parentRunId: first.id,
      metrics: { auc: 0.5 },
    });
    testApp.clock.set('2030-02-01T03:00:00Z');
    await testApp
      .http()
      .patch(`/api/v1/training-runs/${second.id}`)
      .send({ metrics: { auc: 0.86, logLoss: 0.4 } })
      .expect(200);
    await testApp.http().patch(`/api/v1/training-runs/${second.id}`).send({ status: 'succeeded' }).expect(200);

    const modelId = model.id;
    expect(await trainingMetrics(model.id)).toEqual([
      { modelId, modelVersion: 'v1', environment: 'training', metricName: 'auc', value: 0.81, recordedAt: '2030-01-01T02:00:00.000Z' },
      { modelId, modelVersion: 'v2', environment: 'training', metricName: 'auc', value: 0.86, recordedAt: '2030-02-01T03:00:00.000Z' },
      { modelId, modelVersion: 'v1', environment: 'training', metricName: 'logLoss', value: 0.45, recordedAt: '2030-01-01T02:00:00.000Z' },
      { modelId, modelVersion: 'v2', environment: 'training', metricName: 'logLoss', value: 0.4, recordedAt: '2030-02-01T03:00:00.000Z' },
    ]);
    expect(await storedPoints(model.id)).toEqual([
      { metricName: 'auc', value: 0.81, modelVersion: 'v1', idempotencyKey: `training-run:${first.id}:auc` },
      { metricName: 'logLoss', value: 0.45, modelVersion: 'v1', idempotencyKey: `training-run:${first.id}:logLoss` },
      { metricName: 'auc', value: 0.86, modelVersion: 'v2', idempotencyKey: `training-run:${second.id}:auc` },
      { metricName: 'logLoss', value: 0.4, modelVersion: 'v2', idempotencyKey: `training-run:${second.id}:logLoss` },
    ]);
    const production = await testApp
      .http()
      .get('/api/v1/metrics/latest')
      .query({ modelId: model.id, environment: 'production' })
      .expect(200);
    expect(production.body.items).toEqual([]);
  });

  it('records the metrics of a run logged as succeeded after the fact', async () => {
    const model = await createModel(testApp);
    testApp.clock.set('2030-03-02T00:00:00Z');
    await createTrainingRun(testApp, model.id, { status: 'succeeded', finishedAt: '2030-03-01T00:00:00Z', metrics: { rmse: 12.5 } });
    expect(await trainingMetrics(model.id)).toEqual([
      {
        modelId: model.id,
        modelVersion: null,
        environment: 'training',
        metricName: 'rmse',
        value: 12.5,
        recordedAt: '2030-03-01T00:00:00.000Z',
      },
    ]);
  });

  it('records nothing for failed or cancelled runs, nor for a success without metrics', async () => {
    const model = await createModel(testApp);
    const failing = await createTrainingRun(testApp, model.id, { status: 'running', metrics: { auc: 0.7 } });
    await testApp.http().patch(`/api/v1/training-runs/${failing.id}`).send({ status: 'failed', error: 'diverged' }).expect(200);
    const cancelled = await createTrainingRun(testApp, model.id, { status: 'running', metrics: { auc: 0.7 } });
    await testApp.http().patch(`/api/v1/training-runs/${cancelled.id}`).send({ status: 'cancelled' }).expect(200);
    await createTrainingRun(testApp, model.id, { status: 'failed', error: 'x', metrics: { auc: 0.1 } });
    await createTrainingRun(testApp, model.id, { status: 'succeeded' });
    expect(await storedPoints(model.id)).toEqual([]);
  });

  it('rolls the status change back when recording the metrics fails', async () => {
    const model = await createModel(testApp);
    const run = await createTrainingRun(testApp, model.id, { status: 'running', metrics: { auc: 0.9 } });
    const before = published.length;
    const spy = jest.spyOn(testApp.get(MetricsService), 'recordPoints').mockRejectedValueOnce(new Error('metrics store down'));
    try {
      expectProblem(await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ status: 'succeeded' }), 500, 'INTERNAL_ERROR');
    } finally {
      spy.mockRestore();
    }
    expect((await testApp.http().get(`/api/v1/training-runs/${run.id}`).expect(200)).body).toEqual(run);
    expect(published.length).toBe(before);
    await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ status: 'succeeded' }).expect(200);
    expect(await storedPoints(model.id)).toEqual([
      { metricName: 'auc', value: 0.9, modelVersion: null, idempotencyKey: `training-run:${run.id}:auc` },
    ]);
  });

  it('refuses metric names and finish times the metrics module would not accept, up front', async () => {
    const model = await createModel(testApp);
    const badName = expectProblem(
      await testApp
        .http()
        .post('/api/v1/training-runs')
        .send({ modelId: model.id, metrics: { 'auc score': 0.9 } }),
      400,
    );
    expect(badName.errors).toEqual([{ field: 'metrics', message: expect.stringContaining('names must match') }]);
    const run = await createTrainingRun(testApp, model.id, { status: 'running' });
    expectProblem(
      await testApp
        .http()
        .patch(`/api/v1/training-runs/${run.id}`)
        .send({ metrics: { ['x'.repeat(101)]: 1 } }),
      400,
      'VALIDATION_FAILED',
    );
    testApp.clock.set('2030-04-01T00:00:00Z');
    const future = expectProblem(
      await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ status: 'succeeded', finishedAt: '2030-04-01T01:00:00Z' }),
      400,
    );
    expect(future.errors).toEqual([{ field: 'finishedAt', message: 'must not be more than 5 minutes in the future' }]);
    expect((await testApp.http().get(`/api/v1/training-runs/${run.id}`)).body.status).toBe('running');
  });
});
