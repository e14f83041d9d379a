import { EventEmitter2 } from '@nestjs/event-emitter';
import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';
import { createTrainingRun, listTrainingRuns, trainingRunIn, transitionBody } from 'test/support/training-runs-factories';
import type { TrainingFinishedEvent } from 'src/training-runs/training-runs.events';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('training runs (e2e)', () => {
  let testApp: TestApp;
  const finished: TrainingFinishedEvent[] = [];
  beforeAll(async () => {
    testApp = await createTestApp();
    testApp.get(EventEmitter2).on('training.finished', (event: TrainingFinishedEvent) => finished.push(event));
  });
  afterAll(() => testApp.close());

  describe('logging a run', () => {
    it('queues a run by default and reads it back', async () => {
      const model = await createModel(testApp);
      testApp.clock.set('2030-03-01T10:00:00Z');
      const run = await createTrainingRun(testApp, model.id, {
        modelVersion: 'v7',
        trigger: 'scheduled',
        reason: 'weekly schedule',
        hyperparameters: { learningRate: 0.05, depth: 6, features: ['age', 'tenure'] },
        dataset: { ref: 's3://bucket/churn/2030-02', rows: 120000, from: '2030-02-01T00:00:00+01:00', to: '2030-03-01T00:00:00Z' },
        externalRunId: 'mlflow-123',
      });
      expect(run).toEqual({
        id: expect.any(String),
        modelId: model.id,
        modelVersion: 'v7',
        trigger: 'scheduled',
        status: 'queued',
        reason: 'weekly schedule',
        triggeredBy: 'api',
        driftCheckId: null,
        parentRunId: null,
        hyperparameters: { learningRate: 0.05, depth: 6, features: ['age', 'tenure'] },
        dataset: { ref: 's3://bucket/churn/2030-02', rows: 120000, from: '2030-01-31T23:00:00.000Z', to: '2030-03-01T00:00:00.000Z' },
        metrics: {},
        artifactUri: null,
        externalRunId: 'mlflow-123',
        error: null,
        notes: null,
        queuedAt: '2030-03-01T10:00:00.000Z',
        startedAt: null,
        finishedAt: null,
        durationSeconds: null,
        lastHeartbeatAt: null,
        createdAt: '2030-03-01T10:00:00.000Z',
        updatedAt: '2030-03-01T10:00:00.000Z',
      });
      const fetched = await testApp.http().get(`/api/v1/training-runs/${run.id}`).expect(200);
      expect(fetched.body).toEqual(run);
    });

    it('logs a finished run after the fact with its timestamps and duration', async () => {
      const model = await createModel(testApp);
      const parent = await createTrainingRun(testApp, model.id, { status: 'succeeded', finishedAt: '2030-01-01T00:00:00Z' });
      const run = await createTrainingRun(testApp, model.id, {
        status: 'succeeded',
        parentRunId: parent.id,
        queuedAt: '2030-02-01T08:00:00Z',
        startedAt: '2030-02-01T09:00:00+01:00',
        finishedAt: '2030-02-01T09:45:30Z',
        metrics: { auc: 0.91, logLoss: 0.32 },
        triggeredBy: 'alice',
      });
      expect(run).toMatchObject({
        status: 'succeeded',
        parentRunId: parent.id,
        triggeredBy: 'alice',
        queuedAt: '2030-02-01T08:00:00.000Z',
        startedAt: '2030-02-01T08:00:00.000Z',
        finishedAt: '2030-02-01T09:45:30.000Z',
        durationSeconds: 6330,
        metrics: { auc: 0.91, logLoss: 0.32 },
      });
    });

    it('logs a running run as started now and a finished one without a known start as having no duration', async () => {
      const model = await createModel(testApp);
      testApp.clock.set('2030-04-01T12:00:00Z');
      const running = await createTrainingRun(testApp, model.id, { status: 'running' });
      expect(running).toMatchObject({
        status: 'running',
        queuedAt: '2030-04-01T12:00:00.000Z',
        startedAt: '2030-04-01T12:00:00.000Z',
        finishedAt: null,
      });
      const failed = await createTrainingRun(testApp, model.id, { status: 'failed', error: 'OOM', finishedAt: '2030-03-31T00:00:00Z' });
      expect(failed).toMatchObject({
        status: 'failed',
        error: 'OOM',
        startedAt: null,
        finishedAt: '2030-03-31T00:00:00.000Z',
        durationSeconds: null,
      });
      expect(failed.queuedAt).toBe('2030-03-31T00:00:00.000Z');
    });

    it('names the calling API key as triggeredBy when none is given', async () => {
      const secret = 'pipeline-secret-0123456789';
      const keyed = await createTestApp({ database: testApp.database, apiKeys: [{ name: 'nightly-pipeline', scope: 'write', secret }] });
      try {
        const model = await createModel(keyed, {}, { authorization: `Bearer ${secret}` });
        const response = await keyed
          .http()
          .post('/api/v1/training-runs')
          .set('authorization', `Bearer ${secret}`)
          .send({ modelId: model.id })
          .expect(201);
        expect(response.body.triggeredBy).toBe('nightly-pipeline');
      } finally {
        await keyed.close();
      }
    });

    it.each([
      [{ trigger: 'cron' }, 'trigger'],
      [{ status: 'cancelled' }, 'status'],
      [{ status: 'done' }, 'status'],
      [{ metrics: { auc: 'NaN' } }, 'metrics'],
      [{ metrics: { auc: '0.9' } }, 'metrics'],
      [{ metrics: [0.9] }, 'metrics'],
      [{ hyperparameters: [1, 2] }, 'hyperparameters'],
      [{ hyperparameters: 'lr=0.1' }, 'hyperparameters'],
      [{ dataset: { rows: 10 } }, 'dataset.ref'],
      [{ dataset: { ref: 'x', rows: -1 } }, 'dataset.rows'],
      [{ dataset: { ref: 'x', from: '2030-02-01T00:00:00Z', to: '2030-01-01T00:00:00Z' } }, 'dataset.to'],
      [{ queuedAt: '2030-01-01T00:00:00' }, 'queuedAt'],
      [{ queuedAt: 'yesterday' }, 'queuedAt'],
      [{ status: 'running', queuedAt: '2030-01-02T00:00:00Z', startedAt: '2030-01-01T00:00:00Z' }, 'startedAt'],
      [{ status: 'succeeded', startedAt: '2030-01-02T00:00:00Z', finishedAt: '2030-01-01T00:00:00Z' }, 'finishedAt'],
      [{ status: 'failed', queuedAt: '2030-01-02T00:00:00Z', finishedAt: '2030-01-01T00:00:00Z', error: 'x' }, 'finishedAt'],
      [{ startedAt: '2030-01-01T00:00:00Z' }, 'startedAt'],
      [{ status: 'running', finishedAt: '2030-01-01T00:00:00Z' }, 'finishedAt'],
      [{ status: 'failed' }, 'error'],
      [{ status: 'succeeded', error: 'not a failure' }, 'error'],
      [{ parentRunId: 'nope' }, 'parentRunId'],
      [{ modelVersion: 7 }, 'modelVersion'],
      [{ unknownField: 1 }, 'unknownField'],
    ])('rejects %j naming %s, writing nothing', async (body, field) => {
      const model = await createModel(testApp);
      const problem = expectProblem(
        await testApp
          .http()
          .post('/api/v1/training-runs')
          .send({ modelId: model.id, ...body }),
        400,
        'VALIDATION_FAILED',
      );
      expect(problem.errors!.map((error) => error.field)).toContain(field);
      expect(await listTrainingRuns(testApp, { modelId: model.id })).toEqual([]);
    });

    it('rejects non-finite metric values that JSON can smuggle in (1e999)', async () => {
      const model = await createModel(testApp);
      const response = await testApp
        .http()
        .post('/api/v1/training-runs')
        .set('content-type', 'application/json')
        .send(`{"modelId":"${model.id}","metrics":{"auc":1e999}}`);
      expect(expectProblem(response, 400, 'VALIDATION_FAILED').errors).toEqual([
        { field: 'metrics', message: expect.stringContaining('finite') },
      ]);
      expect(await listTrainingRuns(testApp, { modelId: model.id })).toEqual([]);
    });

    it('answers 400 for a malformed model id and 404 for unknown models and parent runs', async () => {
      expectProblem(await testApp.http().post('/api/v1/training-runs').send({ modelId: 'abc' }), 400, 'VALIDATION_FAILED');
      expectProblem(await testApp.http().post('/api/v1/training-runs').send({ modelId: UNKNOWN_ID }), 404, 'MODEL_NOT_FOUND');
      const model = await createModel(testApp);
      const missingParent = expectProblem(
        await testApp.http().post('/api/v1/training-runs').send({ modelId: model.id, parentRunId: UNKNOWN_ID }),
        404,
        'TRAINING_RUN_NOT_FOUND',
      );
      expect(missingParent.parentRunId).toBe(UNKNOWN_ID);
      const otherModel = await createModel(testApp);
      const foreignParent = await createTrainingRun(testApp, otherModel.id);
      const problem = expectProblem(
        await testApp.http().post('/api/v1/training-runs').send({ modelId: model.id, parentRunId: foreignParent.id }),
        400,
      );
      expect(problem.errors).toEqual([{ field: 'parentRunId', message: 'must be a run of the same model' }]);
      expect(await listTrainingRuns(testApp, { modelId: model.id })).toEqual([]);
    });

    it('allows one queued or running automated run per model, any number of manual ones', async () => {
      const model = await createModel(testApp);
      const first = await createTrainingRun(testApp, model.id, { trigger: 'data_drift' });
      const refused = expectProblem(
        await testApp.http().post('/api/v1/training-runs').send({ modelId: model.id, trigger: 'scheduled', status: 'running' }),
        409,
        'TRAINING_RUN_ACTIVE_EXISTS',
      );
      expect(refused.existingRunId).toBe(first.id);
      await createTrainingRun(testApp, model.id, { trigger: 'manual' });
      await createTrainingRun(testApp, model.id, { trigger: 'manual', status: 'running' });
      await createTrainingRun(testApp, model.id, { trigger: 'scheduled', status: 'succeeded' });
      await createTrainingRun(testApp, (await createModel(testApp)).id, { trigger: 'scheduled' });

      await testApp.http().patch(`/api/v1/training-runs/${first.id}`).send({ status: 'running' }).expect(200);
      expectProblem(
        await testApp.http().post('/api/v1/training-runs').send({ modelId: model.id, trigger: 'api' }),
        409,
        'TRAINING_RUN_ACTIVE_EXISTS',
      );
      await testApp.http().patch(`/api/v1/training-runs/${first.id}`).send({ status: 'cancelled' }).expect(200);
      await createTrainingRun(testApp, model.id, { trigger: 'api' });
    });
  });

  describe('status transitions', () => {
    const statuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
    const allowed = new Set(['queued>running', 'queued>cancelled', 'running>succeeded', 'running>failed', 'running>cancelled']);
    const pairs = statuses.flatMap((from) => statuses.map((to) => [from, to] as const));

    it.each(pairs.filter(([from, to]) => allowed.has(`${from}>${to}`)))(
      'allows %s → %s and stamps the time from the clock',
      async (from, to) => {
        const model = await createModel(testApp);
        testApp.clock.set('2030-05-01T00:00:00Z');
        const run = await trainingRunIn(testApp, model.id, from);
        testApp.clock.set('2030-05-01T02:30:00Z');
        const response = await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send(transitionBody(to)).expect(200);
        expect(response.body.status).toBe(to);
        if (to === 'running') expect(response.body.startedAt).toBe('2030-05-01T02:30:00.000Z');
        else expect(response.body.finishedAt).toBe('2030-05-01T02:30:00.000Z');
        expect(response.body.durationSeconds).toBe(from === 'running' ? 9000 : null);
        expect(response.body.updatedAt).toBe('2030-05-01T02:30:00.000Z');
        const stored = await testApp.http().get(`/api/v1/training-runs/${run.id}`).expect(200);
        expect(stored.body).toEqual(response.body);
      },
    );

    it.each(pairs.filter(([from, to]) => !allowed.has(`${from}>${to}`) && !(from === to && ['queued', 'running'].includes(from))))(
      'refuses %s → %s with 409 naming both, changing nothing',
      async (from, to) => {
        const model = await createModel(testApp);
        const run = await trainingRunIn(testApp, model.id, from);
        const problem = expectProblem(
          await testApp
            .http()
            .patch(`/api/v1/training-runs/${run.id}`)
            .send({ ...transitionBody(to), notes: 'should not stick' }),
          409,
          'TRAINING_RUN_INVALID_TRANSITION',
        );
        expect(problem).toMatchObject({ from, to });
        expect(problem.detail).toContain(from);
        expect(problem.detail).toContain(to);
        const stored = await testApp.http().get(`/api/v1/training-runs/${run.id}`).expect(200);
        expect(stored.body).toEqual(run);
      },
    );

    it('treats queued → queued and running → running as edits without a transition', async () => {
      const model = await createModel(testApp);
      for (const status of ['queued', 'running']) {
        const run = await trainingRunIn(testApp, model.id, status);
        const response = await testApp
          .http()
          .patch(`/api/v1/training-runs/${run.id}`)
          .send({ status, notes: 'still going', metrics: { auc: 0.5 } })
          .expect(200);
        expect(response.body).toMatchObject({
          status,
          notes: 'still going',
          metrics: { auc: 0.5 },
          startedAt: run.startedAt,
          finishedAt: null,
        });
      }
    });

    it('takes startedAt/finishedAt from the client when given, checking their order', async () => {
      const model = await createModel(testApp);
      testApp.clock.set('2030-06-01T00:00:00Z');
      const run = await createTrainingRun(testApp, model.id);
      testApp.clock.set('2030-06-01T02:00:00Z');
      const started = await testApp
        .http()
        .patch(`/api/v1/training-runs/${run.id}`)
        .send({ status: 'running', startedAt: '2030-06-01T00:10:00Z' })
        .expect(200);
      expect(started.body.startedAt).toBe('2030-06-01T00:10:00.000Z');

      const early = expectProblem(
        await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ status: 'succeeded', finishedAt: '2030-06-01T00:05:00Z' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(early.errors).toEqual([{ field: 'finishedAt', message: 'must not be before startedAt' }]);
      const misplaced = expectProblem(
        await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ status: 'succeeded', startedAt: '2030-06-01T00:20:00Z' }),
        400,
      );
      expect(misplaced.errors!.map((error) => error.field)).toEqual(['startedAt']);
      expect((await testApp.http().get(`/api/v1/training-runs/${run.id}`)).body.status).toBe('running');

      const done = await testApp
        .http()
        .patch(`/api/v1/training-runs/${run.id}`)
        .send({ status: 'succeeded', finishedAt: '2030-06-01T01:10:00Z' })
        .expect(200);
      expect(done.body).toMatchObject({ finishedAt: '2030-06-01T01:10:00.000Z', durationSeconds: 3600 });
    });

    it('requires an error to fail a run and refuses one elsewhere', async () => {
      const model = await createModel(testApp);
      const run = await trainingRunIn(testApp, model.id, 'running');
      const missing = expectProblem(
        await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ status: 'failed' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(missing.errors).toEqual([{ field: 'error', message: 'is required when status is failed' }]);
      expectProblem(
        await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ status: 'succeeded', error: 'x' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ error: 'x' }), 400, 'VALIDATION_FAILED');
      expect((await testApp.http().get(`/api/v1/training-runs/${run.id}`)).body).toEqual(run);
      const failed = await testApp
        .http()
        .patch(`/api/v1/training-runs/${run.id}`)
        .send({ status: 'failed', error: 'disk full' })
        .expect(200);
      expect(failed.body).toMatchObject({ status: 'failed', error: 'disk full' });
    });

    it('keeps the results of a finished run final but lets notes and links change', async () => {
      const model = await createModel(testApp);
      const run = await createTrainingRun(testApp, model.id, { status: 'succeeded', metrics: { auc: 0.8 }, modelVersion: 'v1' });
      for (const body of [{ metrics: { auc: 0.99 } }, { modelVersion: 'v2' }, { modelVersion: null }]) {
        const problem = expectProblem(
          await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send(body),
          409,
          'TRAINING_RUN_FINISHED',
        );
        expect(problem.fields).toEqual(Object.keys(body));
      }
      const edited = await testApp
        .http()
        .patch(`/api/v1/training-runs/${run.id}`)
        .send({ notes: 'promoted to prod', artifactUri: 's3://models/churn/v1', externalRunId: 'mlflow-9' })
        .expect(200);
      expect(edited.body).toMatchObject({
        status: 'succeeded',
        metrics: { auc: 0.8 },
        modelVersion: 'v1',
        notes: 'promoted to prod',
        artifactUri: 's3://models/churn/v1',
      });
      const cleared = await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ notes: null }).expect(200);
      expect(cleared.body.notes).toBeNull();
    });

    it.each([
      [{ status: 'paused' }, 'status'],
      [{ status: null }, 'status'],
      [{ metrics: { auc: 'high' } }, 'metrics'],
      [{ metrics: null }, 'metrics'],
      [{ startedAt: 'soon' }, 'startedAt'],
      [{ error: '' }, 'error'],
      [{ trigger: 'manual' }, 'trigger'],
    ])('rejects the update %j naming %s', async (body, field) => {
      const model = await createModel(testApp);
      const run = await trainingRunIn(testApp, model.id, 'running');
      const problem = expectProblem(await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send(body), 400, 'VALIDATION_FAILED');
      expect(problem.errors!.map((error) => error.field)).toContain(field);
      expect((await testApp.http().get(`/api/v1/training-runs/${run.id}`)).body).toEqual(run);
    });

    it('answers 400 for a malformed run id and 404 for an unknown one', async () => {
      const malformed = expectProblem(await testApp.http().get('/api/v1/training-runs/not-a-uuid'), 400, 'VALIDATION_FAILED');
      expect(malformed.errors).toEqual([{ field: 'runId', message: 'must be a UUID' }]);
      expectProblem(await testApp.http().get(`/api/v1/training-runs/${UNKNOWN_ID}`), 404, 'TRAINING_RUN_NOT_FOUND');
      expectProblem(
        await testApp.http().patch(`/api/v1/training-runs/${UNKNOWN_ID}`).send({ status: 'running' }),
        404,
        'TRAINING_RUN_NOT_FOUND',
      );
    });

    it('emits training.finished once a run finishes, and only then', async () => {
      const model = await createModel(testApp);
      const mine = () => finished.filter((event) => event.modelId === model.id);
      testApp.clock.set('2030-07-01T00:00:00Z');
      const run = await createTrainingRun(testApp, model.id, { trigger: 'scheduled', modelVersion: 'v3' });
      await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ status: 'running' }).expect(200);
      expect(mine()).toEqual([]);
      testApp.clock.set('2030-07-01T01:00:00Z');
      await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ status: 'succeeded' }).expect(200);
      await testApp.http().patch(`/api/v1/training-runs/${run.id}`).send({ notes: 'ok' }).expect(200);
      const logged = await createTrainingRun(testApp, model.id, {
        status: 'failed',
        error: 'bad data',
        finishedAt: '2030-06-30T00:00:00Z',
      });
      expect(mine()).toEqual([
        {
          runId: run.id,
          modelId: model.id,
          status: 'succeeded',
          trigger: 'scheduled',
          modelVersion: 'v3',
          finishedAt: new Date('2030-07-01T01:00:00Z'),
        },
        {
          runId: logged.id,
          modelId: model.id,
          status: 'failed',
          trigger: 'manual',
          modelVersion: null,
          finishedAt: new Date('2030-06-30T00:00:00Z'),
        },
      ]);
    });
  });

  describe('listing', () => {
    it('filters by model, status, trigger and queue time, newest first', async () => {
      const model = await createModel(testApp);
      const other = await createModel(testApp);
      const at = (day: number) => `2030-08-${String(day).padStart(2, '0')}T00:00:00.000Z`;
      const created: Record<string, string> = {};
      for (const [day, overrides] of [
        [1, { trigger: 'scheduled', status: 'succeeded' }],
        [2, { trigger: 'manual', status: 'failed', error: 'x' }],
        [3, { trigger: 'data_drift', status: 'succeeded' }],
        [4, { trigger: 'manual' }],
      ] as const) {
        testApp.clock.set(at(day));
        created[day] = (await createTrainingRun(testApp, model.id, overrides)).id;
      }
      await createTrainingRun(testApp, other.id);
      const ids = (runs: { id: string }[]) => runs.map((run) => run.id);
      expect(ids(await listTrainingRuns(testApp, { modelId: model.id }))).toEqual([created[4], created[3], created[2], created[1]]);
      expect(ids(await listTrainingRuns(testApp, { modelId: model.id, status: 'succeeded' }))).toEqual([created[3], created[1]]);
      expect(ids(await listTrainingRuns(testApp, { modelId: model.id, trigger: 'manual' }))).toEqual([created[4], created[2]]);
      expect(ids(await listTrainingRuns(testApp, { modelId: model.id, from: at(2), to: at(4) }))).toEqual([created[3], created[2]]);
      expect((await listTrainingRuns(testApp, { modelId: model.id }))[0]).toEqual(
        (await testApp.http().get(`/api/v1/training-runs/${created[4]}`)).body,
      );
    });

    it('pages with a keyset cursor, stable under inserts and ties on queuedAt', async () => {
      const model = await createModel(testApp);
      testApp.clock.set('2030-09-01T00:00:00Z');
      const tied = await Promise.all([0, 1, 2].map(() => createTrainingRun(testApp, model.id)));
      testApp.clock.set('2030-09-02T00:00:00Z');
      const newest = await createTrainingRun(testApp, model.id);
      testApp.clock.set('2030-08-31T00:00:00Z');
      const oldest = await createTrainingRun(testApp, model.id);
      const expected = [
        newest.id,
        ...tied
          .map((run) => run.id)
          .sort()
          .reverse(),
        oldest.id,
      ];

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await testApp
          .http()
          .get('/api/v1/training-runs')
          .query({ modelId: model.id, limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((run: { id: string }) => run.id));
        cursor = page.body.nextCursor ?? undefined;
        if (seen.length === 2) {
          testApp.clock.set('2030-09-03T00:00:00Z');
          await createTrainingRun(testApp, model.id); // newer than the cursor: not on later pages
        }
      } while (cursor);
      expect(seen).toEqual(expected);
    });

    it('rejects bad list parameters', async () => {
      for (const query of [{ limit: 0 }, { limit: 501 }, { modelId: 'x' }, { status: 'done' }, { trigger: 'cron' }, { from: 'monday' }]) {
        expectProblem(await testApp.http().get('/api/v1/training-runs').query(query), 400, 'VALIDATION_FAILED');
      }
      const reversed = expectProblem(
        await testApp.http().get('/api/v1/training-runs').query({ from: '2030-02-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }),
        400,
      );
      expect(reversed.errors).toEqual([{ field: 'to', message: 'must not be before from' }]);
      expectProblem(await testApp.http().get('/api/v1/training-runs').query({ cursor: 'garbage' }), 400, 'INVALID_CURSOR');
      const forged = Buffer.from(JSON.stringify({ queuedAt: '2030-01-01T00:00:00Z', id: "x' OR 1=1" })).toString('base64url');
      expectProblem(await testApp.http().get('/api/v1/training-runs').query({ cursor: forged }), 400, 'INVALID_CURSOR');
    });
  });

  describe('summary', () => {
    it('summarises a seeded history', async () => {
      const model = await createModel(testApp);
      const log = async (clock: string, body: Record<string, unknown>) => {
        testApp.clock.set(clock);
        return createTrainingRun(testApp, model.id, body);
      };
      // 3600 s and 1800 s succeeded runs, one succeeded run without a known start (left out of the mean)
      await log('2030-01-01T01:00:00Z', {
        trigger: 'scheduled',
        status: 'succeeded',
        startedAt: '2030-01-01T00:00:00Z',
        finishedAt: '2030-01-01T01:00:00Z',
      });
      const lastSuccess = await log('2030-01-05T00:30:00Z', {
        trigger: 'data_drift',
        status: 'succeeded',
        startedAt: '2030-01-05T00:00:00Z',
        finishedAt: '2030-01-05T00:30:00Z',
      });
      await log('2030-01-03T00:00:00Z', { status: 'succeeded', finishedAt: '2030-01-03T00:00:00Z' });
      await log('2030-01-06T00:10:00Z', {
        trigger: 'scheduled',
        status: 'failed',
        error: 'x',
        startedAt: '2030-01-06T00:00:00Z',
        finishedAt: '2030-01-06T00:10:00Z',
      });
      const cancelled = await log('2030-01-06T12:00:00Z', {});
      testApp.clock.set('2030-01-06T13:00:00Z');
      await testApp.http().patch(`/api/v1/training-runs/${cancelled.id}`).send({ status: 'cancelled' }).expect(200);
      const last = await log('2030-01-07T00:00:00Z', { trigger: 'api' });

      testApp.clock.set('2030-01-08T00:30:00Z');
      const summary = await testApp.http().get(`/api/v1/models/${model.id}/training-summary`).expect(200);
      expect(summary.body).toEqual({
        modelId: model.id,
        totalRuns: 6,
        byStatus: { queued: 1, running: 0, succeeded: 3, failed: 1, cancelled: 1 },
        byTrigger: { manual: 2, scheduled: 2, data_drift: 1, performance_degradation: 0, ab_test: 0, api: 1 },
        successRate: 0.75, // 3 / (3 + 1)
        meanDurationSeconds: 2700, // (3600 + 1800) / 2
        lastSucceededRun: (await testApp.http().get(`/api/v1/training-runs/${lastSuccess.id}`)).body,
        lastRun: (await testApp.http().get(`/api/v1/training-runs/${last.id}`)).body,
        daysSinceLastSuccess: 3, // 2030-01-05T00:30 → 2030-01-08T00:30
      });
    });

    it('answers an empty summary for a model without runs and 404 for an unknown model', async () => {
      const model = await createModel(testApp);
      const summary = await testApp.http().get(`/api/v1/models/${model.id}/training-summary`).expect(200);
      expect(summary.body).toEqual({
        modelId: model.id,
        totalRuns: 0,
        byStatus: { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 },
        byTrigger: { manual: 0, scheduled: 0, data_drift: 0, performance_degradation: 0, ab_test: 0, api: 0 },
        successRate: null,
        meanDurationSeconds: null,
        lastSucceededRun: null,
        lastRun: null,
        daysSinceLastSuccess: null,
      });
      expectProblem(await testApp.http().get(`/api/v1/models/${UNKNOWN_ID}/training-summary`), 404, 'MODEL_NOT_FOUND');
      expectProblem(await testApp.http().get('/api/v1/models/nope/training-summary'), 400, 'VALIDATION_FAILED');
    });
  });

  it('goes when its model is deleted with force', async () => {
    const model = await createModel(testApp);
    const run = await createTrainingRun(testApp, model.id);
    expectProblem(await testApp.http().delete(`/api/v1/models/${model.id}`), 409, 'MODEL_HAS_DATA');
    await testApp.http().delete(`/api/v1/models/${model.id}`).query({ force: 'true' }).expect(204);
    expectProblem(await testApp.http().get(`/api/v1/training-runs/${run.id}`), 404, 'TRAINING_RUN_NOT_FOUND');
  });
});
