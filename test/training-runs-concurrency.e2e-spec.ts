import { DataSource } from 'typeorm';
import { TransactionRunner } from 'src/database/transaction';
import { TrainingTrigger } from 'src/training-runs/training-run.policy';
import { TrainingRunsService } from 'src/training-runs/training-runs.service';
import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';
import { createTrainingRun, listTrainingRuns } from 'test/support/training-runs-factories';

/** Two service instances on one database, as behind a load balancer: the guarantees must hold in PostgreSQL, not in memory. */
describe('training runs under concurrency (e2e)', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await createTestApp();
    second = await createTestApp({ database: first.database });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });
  const instance = (index: number) => (index % 2 === 0 ? first : second);

  it('lets exactly one of 20 concurrent automated runs for a model in; the others get 409 with its id', async () => {
    const model = await createModel(first);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        instance(index)
          .http()
          .post('/api/v1/training-runs')
          .send({ modelId: model.id, trigger: index % 3 === 0 ? 'data_drift' : 'scheduled', reason: `request ${index}` }),
      ),
    );
    const created = responses.filter((response) => response.status === 201);
    expect(responses.map((response) => response.status).sort()).toEqual([201, ...Array(19).fill(409)]);
    for (const response of responses.filter((candidate) => candidate.status === 409)) {
      expect(expectProblem(response, 409, 'TRAINING_RUN_ACTIVE_EXISTS').existingRunId).toBe(created[0].body.id);
    }
    expect((await listTrainingRuns(first, { modelId: model.id })).map((run) => run.id)).toEqual([created[0].body.id]);
  });

  it('serialises racing running → succeeded / running → failed: one 200, one 409, never a mixed row or stray metric points', async () => {
    const model = await createModel(first);
    for (let round = 0; round < 25; round++) {
      const run = await createTrainingRun(first, model.id, { status: 'running' });
      const bodies = [
        { status: 'succeeded', metrics: { auc: 0.9 }, modelVersion: `v${round}` },
        { status: 'failed', error: `round ${round} failed`, notes: 'from the failing worker' },
      ];
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      const responses = await Promise.all(
        order.map((which, index) => instance(index).http().patch(`/api/v1/training-runs/${run.id}`).send(bodies[which])),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      const winner = responses.find((response) => response.status === 200)!.body;
      const loser = expectProblem(
        responses.find((response) => response.status === 409)!,
        409,
        'TRAINING_RUN_INVALID_TRANSITION',
      );
      expect(loser).toMatchObject({ from: winner.status });
      const stored = (await first.http().get(`/api/v1/training-runs/${run.id}`).expect(200)).body;
      expect(stored).toEqual(winner);
      const [{ points }] = await first
        .get(DataSource)
        .query('SELECT count(*)::int AS points FROM model_performance_metrics WHERE idempotency_key LIKE $1', [`training-run:${run.id}:%`]);
      expect({ status: stored.status, points }).toEqual({ status: stored.status, points: stored.status === 'succeeded' ? 1 : 0 });
      if (stored.status === 'succeeded') {
        expect(stored).toMatchObject({ error: null, notes: null, metrics: { auc: 0.9 }, modelVersion: `v${round}` });
      } else {
        expect(stored).toMatchObject({
          status: 'failed',
          error: `round ${round} failed`,
          notes: 'from the failing worker',
          metrics: {},
          modelVersion: null,
        });
      }
    }
  });

  it('refuses a second active run inside a caller’s transaction without aborting it', async () => {
    const model = await createModel(first);
    const active = await createTrainingRun(first, model.id, { trigger: 'performance_degradation' });
    const service = first.get(TrainingRunsService);
    const outcome = await first.get(TransactionRunner).run(async (transaction) => {
      const refusal = await service
        .createRun(
          {
            modelId: model.id,
            trigger: TrainingTrigger.DataDrift,
            triggeredBy: 'modelwatch',
            driftCheckId: '11111111-1111-4111-8111-111111111111',
          },
          transaction,
        )
        .catch((error: unknown) => error);
      const [{ alive }] = await transaction.manager.query('SELECT 1 AS alive');
      const manual = await service.createRun({ modelId: model.id, triggeredBy: 'modelwatch' }, transaction);
      return { refusal, alive, manual };
    });
    expect(outcome.refusal).toMatchObject({ code: 'TRAINING_RUN_ACTIVE_EXISTS', status: 409, extensions: { existingRunId: active.id } });
    expect(outcome.alive).toBe(1);
    expect(outcome.manual).toMatchObject({ modelId: model.id, trigger: 'manual', status: 'queued', triggeredBy: 'modelwatch' });
    expect((await listTrainingRuns(first, { modelId: model.id })).map((run) => run.id).sort()).toEqual(
      [active.id, outcome.manual.id].sort(),
    );
  });

  it('creates a coordinator run with its drift check and finds active and last automated runs', async () => {
    const model = await createModel(first);
    const service = first.get(TrainingRunsService);
    expect(await service.findActiveAutomatedRun(model.id)).toBeNull();
    expect(await service.findLastAutomatedRun(model.id)).toBeNull();
    first.clock.set('2030-10-01T00:00:00Z');
    await createTrainingRun(first, model.id, { trigger: 'scheduled', status: 'succeeded' });
    first.clock.set('2030-10-02T00:00:00Z');
    await createTrainingRun(first, model.id, { trigger: 'manual' });
    expect(await service.findActiveAutomatedRun(model.id)).toBeNull();
    const driftCheckId = '22222222-2222-4222-8222-222222222222';
    first.clock.set('2030-10-03T00:00:00Z');
    const run = await first
      .get(TransactionRunner)
      .run((transaction) =>
        service.createRun(
          { modelId: model.id, trigger: TrainingTrigger.DataDrift, triggeredBy: 'modelwatch', reason: 'PSI 0.31', driftCheckId },
          transaction,
        ),
      );
    expect(run).toMatchObject({ driftCheckId, triggeredBy: 'modelwatch', status: 'queued' });
    const expected = { id: run.id, status: 'queued', trigger: 'data_drift', queuedAt: new Date('2030-10-03T00:00:00Z') };
    expect(await service.findActiveAutomatedRun(model.id)).toEqual(expected);
    expect(await first.get(TransactionRunner).run((transaction) => service.findLastAutomatedRun(model.id, transaction))).toEqual(expected);

    await first.http().patch(`/api/v1/training-runs/${run.id}`).send({ status: 'cancelled' }).expect(200);
    expect(await service.findActiveAutomatedRun(model.id)).toBeNull();
    expect(await service.findLastAutomatedRun(model.id)).toEqual({ ...expected, status: 'cancelled' });
  });

  it('is backed by the database: a direct second active insert violates the partial unique index', async () => {
    const model = await createModel(first);
    await createTrainingRun(first, model.id, { trigger: 'scheduled' });
    const insert = first
      .get(DataSource)
      .query(
        `INSERT INTO model_training_history (model_id, trigger, status, triggered_by, queued_at) VALUES ($1, 'api', 'queued', 'test', now())`,
        [model.id],
      );
    await expect(insert).rejects.toMatchObject({ driverError: { code: '23505' } });
  });
});
