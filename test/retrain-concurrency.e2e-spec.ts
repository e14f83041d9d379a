import { createModel, expectProblem } from 'test/support/factories';
import { checkDrift, currentWithDrift, listAlerts, putPolicy, putReference, triggerRetrain } from 'test/support/drift-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/** Two service instances on one database, as behind a load balancer: one retrain per model must hold in PostgreSQL. */
describe('retraining under concurrency (e2e)', () => {
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
  const runsOf = async (modelId: string) => (await first.http().get('/api/v1/training-runs').query({ modelId }).expect(200)).body.items;

  it('starts exactly one run from 50 concurrent triggers across two instances; the others get 409 naming it', async () => {
    const model = await createModel(first);
    const reasons = ['data_drift', 'performance_degradation', 'scheduled'];
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        triggerRetrain(instance(index), {
          modelId: model.id,
          reason: reasons[index % 3],
          requestedBy: `worker-${index}`,
          force: index % 2 === 0,
        }),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([202, ...Array(49).fill(409)]);
    const winner = responses.find((response) => response.status === 202)!.body.trainingRunId;
    for (const response of responses.filter((candidate) => candidate.status === 409)) {
      expect(expectProblem(response, 409, 'RETRAIN_RUN_ACTIVE').activeRunId).toBe(winner);
    }
    expect((await runsOf(model.id)).map((run: { id: string }) => run.id)).toEqual([winner]);
    expect(await listAlerts(first, { modelId: model.id, type: 'retrain_triggered' })).toHaveLength(1);
  });

  it('lets concurrent drifted checks on both instances start one run between them', async () => {
    const model = await createModel(first);
    await putReference(first, model.id);
    await putPolicy(first, model.id, { cooldownMinutes: 0 });
    const checks = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        checkDrift(instance(index), { modelId: model.id, current: { features: currentWithDrift(2) } }),
      ),
    );
    const triggered = checks.filter((check) => check.retrain.triggered);
    expect(triggered).toHaveLength(1);
    expect(checks.filter((check) => !check.retrain.triggered).map((check) => check.retrain.reason)).toEqual(Array(9).fill('active_run'));
    expect((await runsOf(model.id)).map((run: { id: string }) => run.id)).toEqual([triggered[0].retrain.trainingRunId]);
  });
});
