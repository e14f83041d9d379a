import { DomainError } from 'src/common/errors/domain-error';
import type { Transaction } from 'src/database/transaction';
import { RetrainCoordinator, type RetrainRequest } from 'src/drift/retrain-coordinator.service';
import { TrainingRunErrors } from 'src/training-runs/training-runs.errors';

/** The coordinator with its collaborators replaced: the order of its steps and the final guard. */
describe('RetrainCoordinator.retrain', () => {
  const transaction = { manager: {} } as Transaction;
  const now = new Date('2025-01-01T00:00:00.000Z');
  const model = { id: 'model-1', name: 'churn' };
  const request: RetrainRequest = {
    model,
    reason: 'data_drift',
    origin: 'automatic',
    force: false,
    requestedBy: 'drift-check',
    driftCheckId: 'check-1',
    summary: 'Data drift: 2 of 3 features drifted.',
    hints: { driftedFeatures: [{ name: 'age', stattest: 'ks', score: 0.001, threshold: 0.05 }] },
  };
  const policy = {
    modelId: model.id,
    enabled: true,
    onDataDrift: true,
    onPerformanceDegradation: true,
    cooldownMinutes: 60,
    webhookUrl: 'https://ml.example/hook',
    webhookSecret: 's'.repeat(16),
  };

  function setup(overrides: { createRun?: jest.Mock; activeRun?: unknown; policy?: unknown } = {}) {
    const calls: string[] = [];
    const track = (name: string, value?: unknown) => jest.fn(async () => (calls.push(name), value));
    const trainingRuns = {
      findActiveAutomatedRun: track('findActive', overrides.activeRun ?? null),
      findLastAutomatedRun: track('findLast', null),
      createRun: overrides.createRun ?? track('createRun', { id: 'run-1', queuedAt: now.toISOString() }),
    };
    const alerts = { raise: track('raiseAlert', { id: 'alert-1' }) };
    const outbox = { enqueue: track('enqueueWebhook', 'delivery-1') };
    const policies = { lockModelForRetrain: track('lock'), find: track('findPolicy', 'policy' in overrides ? overrides.policy : policy) };
    const coordinator = new RetrainCoordinator(
      {} as never,
      trainingRuns as never,
      alerts as never,
      outbox as never,
      policies as never,
      {} as never,
      {} as never,
      { now: () => now } as never,
      { countRetrainDecision: () => undefined } as never,
    );
    return { coordinator, calls, trainingRuns, alerts, outbox };
  }

  it('locks, reads, decides, creates the run, announces it and queues the webhook, in that order, on the caller’s transaction', async () => {
    const { coordinator, calls, trainingRuns, alerts, outbox } = setup();
    expect(await coordinator.retrain(request, transaction)).toEqual({ triggered: true, trainingRunId: 'run-1', queuedAt: now });
    expect(calls).toEqual(['lock', 'findPolicy', 'findActive', 'findLast', 'createRun', 'raiseAlert', 'enqueueWebhook']);
    expect(trainingRuns.createRun).toHaveBeenCalledWith(
      { modelId: model.id, trigger: 'data_drift', reason: request.summary, triggeredBy: 'drift-check', driftCheckId: 'check-1' },
      transaction,
    );
    expect(alerts.raise).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'retrain_triggered', severity: 'info', labels: { model: 'churn', trainingRunId: 'run-1' } }),
      transaction,
    );
    expect(outbox.enqueue).toHaveBeenCalledWith(
      expect.objectContaining({
        url: policy.webhookUrl,
        secret: policy.webhookSecret,
        event: 'retrain.triggered',
        payload: expect.objectContaining({
          trainingRunId: 'run-1',
          reason: 'data_drift',
          datasetHints: expect.objectContaining(request.hints),
        }),
      }),
      transaction,
    );
  });

  it('stops at the policy decision without creating anything', async () => {
    const { coordinator, calls } = setup({ activeRun: { id: 'run-0', queuedAt: now } });
    expect(await coordinator.retrain(request, transaction)).toMatchObject({ triggered: false, why: 'active_run', activeRunId: 'run-0' });
    expect(calls).toEqual(['lock', 'findPolicy', 'findActive', 'findLast']);
  });

  it('turns the training table’s single-active refusal (a run created around the lock) into an active_run refusal', async () => {
    const createRun = jest.fn(async () => {
      throw TrainingRunErrors.TRAINING_RUN_ACTIVE_EXISTS('already active', { existingRunId: 'run-9' });
    });
    const { coordinator, alerts, outbox } = setup({ createRun });
    expect(await coordinator.retrain(request, transaction)).toMatchObject({ triggered: false, why: 'active_run', activeRunId: 'run-9' });
    expect(alerts.raise).not.toHaveBeenCalled();
    expect(outbox.enqueue).not.toHaveBeenCalled();
  });

  it('lets any other error through, and sends no webhook without a URL', async () => {
    const failing = setup({ createRun: jest.fn(async () => Promise.reject(new DomainError('MODEL_NOT_FOUND', 404, 'x', 'y'))) });
    await expect(failing.coordinator.retrain(request, transaction)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    const quiet = setup({ policy: { ...policy, webhookUrl: null } });
    expect(await quiet.coordinator.retrain(request, transaction)).toMatchObject({ triggered: true });
    expect(quiet.outbox.enqueue).not.toHaveBeenCalled();
  });
});
