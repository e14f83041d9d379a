import { createHmac } from 'node:crypto';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { RolloutCoordinator } from 'src/drift/rollout-coordinator.service';
import { startAbTest } from 'test/support/ab-test-factories';
import { eventually, startReceiver, type WebhookReceiver } from 'test/support/alerts-factories';
import { listAlerts, putPolicy, triggerRetrain } from 'test/support/drift-factories';
import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';
import { createTrainingRun } from 'test/support/training-runs-factories';

const SECRET = 'pipeline-signing-secret';
const METRICS = [
  { name: 'conversion', role: 'primary', type: 'binomial' },
  { name: 'latency_ms', role: 'guardrail', type: 'continuous', direction: 'lower_is_better', tolerance: 0.02 },
];
const RAMP = { steps: [0.1, 0.5, 1], minStepDurationSeconds: 600, minSamplesPerStep: 50, noTrafficAfterSeconds: 300 };

describe('safe rollouts (e2e)', () => {
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

  /** A model whose retrain policy sends its pipeline webhooks to the receiver. */
  async function pipelineModel(policy: Record<string, unknown> = {}) {
    const model = await createModel(testApp);
    await putPolicy(testApp, model.id, { enabled: false, webhookUrl: receiver.url, webhookSecret: SECRET, ...policy });
    return model;
  }

  function startRollout(modelId: string, overrides: Record<string, unknown> = {}) {
    return startAbTest(testApp, {
      modelId,
      mode: 'rollout',
      primaryMetric: undefined,
      metricType: undefined,
      metrics: METRICS,
      variants: [
        { name: 'champion', modelVersion: 'v1', weight: 1 },
        { name: 'challenger', modelVersion: 'v2', weight: 1 },
      ],
      rollout: RAMP,
      ...overrides,
    });
  }

  /**
   * Records `counts` units per variant: conversion at 10 % in both, latency with mean `latency` and sd 10
   * (Σx² = n·mean² + (n − 1)·sd²).
   */
  async function recordUnits(testId: string, counts: [number, number], latency: [number, number] = [100, 100]) {
    const names = ['champion', 'challenger'];
    const conversion = names.map((variant, index) => ({ variant, count: counts[index], sum: Math.round(counts[index] / 10) }));
    await testApp.http().post(`/api/v1/ab-test/${testId}/observations`).send({ metric: 'conversion', aggregates: conversion }).expect(201);
    const latencies = names.map((variant, index) => {
      const [count, mean] = [counts[index], latency[index]];
      return { variant, count, sum: count * mean, sumSquares: count * mean * mean + (count - 1) * 100 };
    });
    await testApp.http().post(`/api/v1/ab-test/${testId}/observations`).send({ metric: 'latency_ms', aggregates: latencies }).expect(201);
  }

  const evaluate = async (testId: string) => (await testApp.http().post(`/api/v1/ab-test/${testId}/rollout/evaluate`).expect(200)).body;
  const rolloutOf = async (testId: string) => (await testApp.http().get(`/api/v1/ab-test/${testId}/rollout`).expect(200)).body;

  async function assignments(testId: string, units: number) {
    const results = [];
    for (let unit = 0; unit < units; unit++) {
      const response = await testApp
        .http()
        .post(`/api/v1/ab-test/${testId}/assign`)
        .send({ unitId: `user-${unit}` })
        .expect(200);
      results.push(response.body as { variant: string; inTest: boolean });
    }
    return results;
  }

  /** Delivers the queued webhooks and returns those the receiver got for this test. */
  async function deliveredFor(testId: string) {
    await testApp.get(WebhookDeliveryWorker).deliverDue();
    return receiver.received.filter((hook) => hook.json?.abTestId === testId);
  }

  it('advances the ramp after each step’s duration and sample, then promotes, with an alert and a signed webhook per transition', async () => {
    const model = await pipelineModel();
    testApp.clock.set('2026-12-02T08:00:00.000Z');
    const test = await startRollout(model.id);
    expect(test).toMatchObject({ mode: 'rollout', coverage: 0.1, sequential: true });
    expect(await rolloutOf(test.id)).toMatchObject({
      state: 'ramping',
      outcome: null,
      steps: [0.1, 0.5, 1],
      stepIndex: 0,
      coverage: 0.1,
      champion: { name: 'champion', modelVersion: 'v1', stepCount: 0 },
      challenger: { name: 'challenger', modelVersion: 'v2', stepCount: 0 },
      events: [{ kind: 'started', stepIndex: 0, coverage: 0.1 }],
    });

    await recordUnits(test.id, [100, 100]);
    expect(await evaluate(test.id)).toMatchObject({ action: 'hold', reason: 'step_duration' });
    testApp.clock.advance(601_000);
    const advanced = await evaluate(test.id);
    expect(advanced).toMatchObject({ action: 'advance', rollout: { stepIndex: 1, coverage: 0.5 } });
    expect(advanced.rollout.guardrails).toEqual([
      expect.objectContaining({ name: 'latency_ms', failed: false, sequentialRelativeCiLow: expect.any(Number) }),
    ]);
    // The step's own sample starts again at 0.
    expect(advanced.rollout.challenger).toMatchObject({ stepCount: 0, count: 100 });
    // Some traffic (no roll-back for silence) but below minSamplesPerStep: held.
    await recordUnits(test.id, [20, 20]);
    testApp.clock.advance(601_000);
    expect(await evaluate(test.id)).toMatchObject({ action: 'hold', reason: 'step_samples' });

    await recordUnits(test.id, [200, 200]);
    expect(await evaluate(test.id)).toMatchObject({ action: 'advance', rollout: { stepIndex: 2, coverage: 1 } });
    await recordUnits(test.id, [300, 300]);
    testApp.clock.advance(601_000);
    const promoted = await evaluate(test.id);
    expect(promoted).toMatchObject({ action: 'promote', rollout: { state: 'promoted', outcome: 'promoted', endedAt: expect.any(String) } });
    expect(promoted.rollout.events.map((event: { kind: string }) => event.kind)).toEqual(['started', 'step', 'step', 'promoted']);
    expect((await testApp.http().get(`/api/v1/ab-test/${test.id}`).expect(200)).body).toMatchObject({
      status: 'completed',
      winner: 'challenger',
    });
    // An ended rollout is not evaluated again.
    expect(await evaluate(test.id)).toMatchObject({ action: null, rollout: { state: 'promoted' } });

    const alerts = await listAlerts(testApp, { modelId: model.id, type: 'ab_test_rollout' });
    // Each transition resolves the previous step's alert.
    expect(alerts.map((alert) => [alert.severity, alert.labels.transition, alert.status]).sort()).toEqual([
      ['info', 'promoted:2', 'firing'],
      ['info', 'started:0', 'resolved'],
      ['info', 'step:1', 'resolved'],
      ['info', 'step:2', 'resolved'],
    ]);

    const hooks = await deliveredFor(test.id);
    expect(hooks.map((hook) => hook.headers['x-modelwatch-event'])).toEqual([
      'rollout.started',
      'rollout.step',
      'rollout.step',
      'rollout.promoted',
    ]);
    for (const hook of hooks) {
      expect(hook.headers['x-modelwatch-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`);
    }
    expect(hooks[0].json).toMatchObject({
      event: 'rollout.started',
      abTestId: test.id,
      fromStepIndex: 0,
      stepIndex: 0,
      coverage: 0.1,
      outcome: null,
      counts: [0, 0],
      challenger: { name: 'challenger', modelVersion: 'v2' },
    });
    expect(hooks[1].json).toMatchObject({
      event: 'rollout.step',
      abTestId: test.id,
      modelId: model.id,
      champion: { name: 'champion', modelVersion: 'v1' },
      challenger: { name: 'challenger', modelVersion: 'v2' },
      fromStepIndex: 0,
      stepIndex: 1,
      fromCoverage: 0.1,
      coverage: 0.5,
      outcome: null,
      sentAt: expect.any(String),
    });
    expect(hooks[3].json).toMatchObject({ event: 'rollout.promoted', outcome: 'promoted', coverage: 1 });
  });

  it('assign serves the current step’s coverage, keeps units in their variant as it grows, and gives the others the champion', async () => {
    const model = await createModel(testApp);
    testApp.clock.set('2026-12-02T09:00:00.000Z');
    const test = await startRollout(model.id, { rollout: { ...RAMP, steps: [0.2, 1], minSamplesPerStep: 0 } });
    const first = await assignments(test.id, 400);
    const inFirst = first.filter((assignment) => assignment.inTest).length;
    // 400 units at coverage 0.2: binomial sd √(400·0.2·0.8) = 8, so 80 ± 32 is ±4 sd.
    expect(inFirst).toBeGreaterThan(48);
    expect(inFirst).toBeLessThan(112);
    expect(first.filter((assignment) => !assignment.inTest).every((assignment) => assignment.variant === 'champion')).toBe(true);

    await recordUnits(test.id, [1, 1]);
    testApp.clock.advance(601_000);
    expect(await evaluate(test.id)).toMatchObject({ action: 'advance', rollout: { coverage: 1 } });
    const second = await assignments(test.id, 400);
    expect(second.every((assignment) => assignment.inTest)).toBe(true);
    first.forEach((assignment, unit) => {
      if (assignment.inTest) expect(second[unit].variant).toBe(assignment.variant);
    });
    const challengers = second.filter((assignment) => assignment.variant === 'challenger').length;
    // Half of 400 at full coverage: sd 10, ±4 sd.
    expect(challengers).toBeGreaterThan(160);
    expect(challengers).toBeLessThan(240);
  });

  it('rolls back at once when a guardrail’s confidence sequence shows harm beyond its tolerance', async () => {
    const model = await pipelineModel();
    testApp.clock.set('2026-12-02T10:00:00.000Z');
    const test = await startRollout(model.id);
    // Latency 100 → 120 ms (+20 %, tolerance 2 %) in 2,000 units per variant, well before the step's minimum duration.
    await recordUnits(test.id, [2000, 2000], [100, 120]);
    const rolledBack = await evaluate(test.id);
    expect(rolledBack).toMatchObject({ action: 'rollback', reason: 'guardrail_failed', rollout: { state: 'rolled_back', stepIndex: 0 } });
    expect(rolledBack.rollout.guardrails[0]).toMatchObject({ name: 'latency_ms', failed: true });
    // gbstats' relative lift and delta-method variance, its confidence sequence (N* = 5000, α = 0.05, n = 4000):
    //   lift = 120/100 − 1; var = 100/(2000·100²) + 100·120²/(2000·100⁴)
    //   rho = √((−2 ln α + ln(−2 ln α + 1))/N*); m = nρ² + 1; hw = √(var·n)·√(2m·ln(√m/α)/(nρ)²)
    //   → (0.1893804311669706, 0.21061956883302932): entirely beyond the tolerated +2 %.
    expect(rolledBack.rollout.guardrails[0].sequentialRelativeCiLow).toBeCloseTo(0.1893804311669706, 9);
    expect(rolledBack.rollout.guardrails[0].sequentialRelativeCiHigh).toBeCloseTo(0.21061956883302932, 9);
    expect((await testApp.http().get(`/api/v1/ab-test/${test.id}`).expect(200)).body).toMatchObject({
      status: 'completed',
      winner: 'champion',
    });
    // The rollout is over: assignment is refused (409), so the caller serves its champion.
    expectProblem(await testApp.http().post(`/api/v1/ab-test/${test.id}/assign`).send({ unitId: 'u' }), 409, 'AB_TEST_NOT_RUNNING');

    const alerts = await listAlerts(testApp, { modelId: model.id, type: 'ab_test_rollout' });
    expect(alerts.map((alert) => [alert.severity, alert.labels.transition, alert.status]).sort()).toEqual([
      ['critical', 'rolled_back:0', 'firing'],
      ['info', 'started:0', 'resolved'],
    ]);
    const hooks = await deliveredFor(test.id);
    expect(hooks.map((entry) => entry.headers['x-modelwatch-event'])).toEqual(['rollout.started', 'rollout.rolled_back']);
    const hook = hooks[1];
    expect(hook.headers['x-modelwatch-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`);
    expect(hook.json).toMatchObject({ outcome: 'rolled_back', reason: 'guardrail_failed', detail: expect.stringContaining('latency_ms') });
  });

  it('a stop by hand ends the ramp with a `stopped` event, a warning alert and a signed rollout.stopped webhook', async () => {
    const model = await pipelineModel();
    testApp.clock.set('2026-12-02T13:00:00.000Z');
    const test = await startRollout(model.id);
    await recordUnits(test.id, [100, 100]);
    testApp.clock.advance(601_000);
    expect(await evaluate(test.id)).toMatchObject({ action: 'advance', rollout: { stepIndex: 1 } });
    await recordUnits(test.id, [10, 10]);
    testApp.clock.advance(30_000);
    await testApp
      .http()
      .post(`/api/v1/ab-test/${test.id}/stop`)
      .send({ winner: 'champion', conclusion: 'Paused for the holiday freeze' })
      .expect(200);
    const rollout = await rolloutOf(test.id);
    expect(rollout).toMatchObject({ state: 'stopped', outcome: null, stepIndex: 1 });
    expect(rollout.events.map((event: { kind: string }) => event.kind)).toEqual(['started', 'step', 'stopped']);
    expect(rollout.events[2]).toMatchObject({ stepIndex: 1, coverage: 0.5, detail: 'Paused for the holiday freeze', counts: [110, 110] });
    // A stopped rollout is not evaluated again.
    expect(await evaluate(test.id)).toMatchObject({ action: null, rollout: { state: 'stopped' } });

    const alerts = await listAlerts(testApp, { modelId: model.id, type: 'ab_test_rollout' });
    expect(alerts.map((alert) => [alert.severity, alert.labels.transition, alert.status]).sort()).toEqual([
      ['info', 'started:0', 'resolved'],
      ['info', 'step:1', 'resolved'],
      ['warning', 'stopped:1', 'firing'],
    ]);
    const hooks = await deliveredFor(test.id);
    expect(hooks.map((hook) => hook.headers['x-modelwatch-event'])).toEqual(['rollout.started', 'rollout.step', 'rollout.stopped']);
    expect(hooks[2].headers['x-modelwatch-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(hooks[2].body).digest('hex')}`);
    expect(hooks[2].json).toMatchObject({
      event: 'rollout.stopped',
      outcome: 'stopped',
      fromStepIndex: 1,
      stepIndex: 1,
      coverage: 0.5,
      reason: null,
      detail: 'Paused for the holiday freeze',
      counts: [110, 110],
    });
  });

  it('the sweep visits every ramping rollout past one page, even as the ones it rolls back leave the list', async () => {
    const model = await createModel(testApp);
    testApp.clock.set('2026-12-02T14:00:00.000Z');
    // Same start time: the keyset's tie-break on the id is what pages them.
    const tests = [];
    for (let index = 0; index < 5; index++) tests.push(await startRollout(model.id, { name: `sweep ${index}` }));
    testApp.clock.advance(301_000);
    const ids = new Set(tests.map((test) => test.id));
    const transitions = (await testApp.get(RolloutCoordinator).evaluateDue(2)).filter((transition) => ids.has(transition.test.id));
    expect(transitions.map((transition) => transition.test.id).sort()).toEqual([...ids].sort());
    expect(transitions.every((transition) => transition.kind === 'rolled_back' && transition.reason === 'no_traffic')).toBe(true);
  });

  it('two instances evaluating the same step at once advance it once', async () => {
    const other = await createTestApp({ database: testApp.database });
    try {
      const model = await createModel(testApp);
      const test = await startRollout(model.id);
      await recordUnits(test.id, [100, 100]);
      const at = new Date(testApp.clock.now().getTime() + 601_000);
      testApp.clock.set(at);
      other.clock.set(at);
      const results = await Promise.all(
        [testApp, other].map(async (app) => (await app.http().post(`/api/v1/ab-test/${test.id}/rollout/evaluate`).expect(200)).body),
      );
      expect(results.map((result) => result.action).sort()).toEqual(['advance', 'hold']);
      const rollout = await rolloutOf(test.id);
      expect(rollout).toMatchObject({ stepIndex: 1, coverage: 0.5 });
      expect(rollout.events.map((event: { kind: string }) => event.kind)).toEqual(['started', 'step']);
    } finally {
      await other.close();
    }
  });

  it('rolls back on a sample-ratio mismatch between champion and challenger', async () => {
    const model = await createModel(testApp);
    const test = await startRollout(model.id);
    await recordUnits(test.id, [500, 300]);
    const rolledBack = await evaluate(test.id);
    expect(rolledBack).toMatchObject({
      action: 'rollback',
      reason: 'srm_detected',
      rollout: { state: 'rolled_back', srm: { detected: true } },
    });
    // python3 -c "from scipy.stats import chisquare; print(chisquare([500, 300]).pvalue)" → 1.537459794428033e-12 (< 0.001)
    expect(rolledBack.rollout.srm.pValue / 1.537459794428033e-12).toBeCloseTo(1, 6);
  });

  it('rolls back a step that saw no traffic at all for noTrafficAfterSeconds (the minute job’s sweep)', async () => {
    const model = await createModel(testApp);
    testApp.clock.set('2026-12-02T11:00:00.000Z');
    const test = await startRollout(model.id);
    testApp.clock.advance(299_000);
    const coordinator = testApp.get(RolloutCoordinator);
    expect((await coordinator.evaluateDue()).filter((transition) => transition.test.id === test.id)).toEqual([]);
    testApp.clock.advance(2_000);
    const transitions = (await coordinator.evaluateDue()).filter((transition) => transition.test.id === test.id);
    expect(transitions).toEqual([expect.objectContaining({ kind: 'rolled_back', severity: 'critical' })]);
    const rollout = await rolloutOf(test.id);
    expect(rollout).toMatchObject({ state: 'rolled_back', outcome: 'rolled_back' });
    expect(rollout.events.at(-1)).toMatchObject({ kind: 'rolled_back', reason: 'no_traffic', detail: expect.stringContaining('301 s') });
  });

  it('refuses bad rollout input with 400 naming the field, and writes nothing', async () => {
    const model = await createModel(testApp);
    const start = (body: Record<string, unknown>) =>
      testApp
        .http()
        .post('/api/v1/ab-test/start')
        .send({
          name: 'bad rollout',
          modelId: model.id,
          mode: 'rollout',
          metrics: METRICS,
          variants: [
            { name: 'champion', weight: 1 },
            { name: 'challenger', weight: 1 },
          ],
          ...body,
        });
    const fields = async (body: Record<string, unknown>) => {
      const response = await start(body);
      expectProblem(response, 400);
      return (response.body.errors as { field: string }[]).map((error) => error.field);
    };
    expect(await fields({ rollout: { steps: [0, 0.5, 1] } })).toEqual(['rollout.steps[0]']);
    expect(await fields({ rollout: { steps: [0.1, 1.5] } })).toContain('rollout.steps[1]');
    expect(await fields({ rollout: { steps: [0.5, 0.2, 1] } })).toEqual(['rollout.steps[1]']);
    expect(await fields({ coverage: 0.5 })).toEqual(['coverage']);
    expect(await fields({ variants: [1, 2, 3].map((index) => ({ name: `v${index}`, weight: 1 })) })).toEqual(['variants']);
    expect(await fields({ mode: 'experiment', rollout: {} })).toEqual(['rollout']);
    expect(await fields({ rollout: { minSamplesPerStep: -1 } })).toEqual(['rollout.minSamplesPerStep']);
    expect((await testApp.http().get('/api/v1/ab-test').query({ modelId: model.id }).expect(200)).body.items).toEqual([]);

    const policy = await testApp
      .http()
      .put(`/api/v1/models/${model.id}/retrain-policy`)
      .send({ enabled: true, rolloutOnRetrain: { metrics: METRICS, rollout: { steps: [0.5, 0.4, 1] } } });
    expectProblem(policy, 400);
    expect(policy.body.errors.map((error: { field: string }) => error.field)).toEqual(['rolloutOnRetrain.rollout.steps[1]']);
    const badAlpha = await testApp
      .http()
      .put(`/api/v1/models/${model.id}/retrain-policy`)
      .send({ enabled: true, rolloutOnRetrain: { primaryMetric: 'conversion', metricType: 'binary', alpha: 2 } });
    expectProblem(badAlpha, 400);
    expect(badAlpha.body.errors.map((error: { field: string }) => error.field)).toEqual(['rolloutOnRetrain.alpha']);
    expectProblem(await testApp.http().get(`/api/v1/models/${model.id}/retrain-policy`), 404);

    const experiment = await startAbTest(testApp, { modelId: model.id });
    expectProblem(await testApp.http().get(`/api/v1/ab-test/${experiment.id}/rollout`), 404, 'AB_TEST_ROLLOUT_NOT_FOUND');
    expectProblem(await testApp.http().post(`/api/v1/ab-test/${experiment.id}/rollout/evaluate`), 404, 'AB_TEST_ROLLOUT_NOT_FOUND');
  });

  it('rolloutOnRetrain closes the loop: a successful retrain starts the guarded rollout of its candidate, whose promotion makes it the next champion', async () => {
    const model = await pipelineModel({
      rolloutOnRetrain: { metrics: METRICS, rollout: { steps: [0.5, 1], minStepDurationSeconds: 60, minSamplesPerStep: 10 } },
    });
    const policy = (await testApp.http().get(`/api/v1/models/${model.id}/retrain-policy`).expect(200)).body;
    expect(policy.rolloutOnRetrain).toMatchObject({ metrics: METRICS, rollout: { steps: [0.5, 1] } });
    testApp.clock.set('2026-12-02T12:00:00.000Z');
    // The version in production: a run logged as succeeded (no rollout: nothing in place to guard against yet).
    await createTrainingRun(testApp, model.id, { status: 'succeeded', modelVersion: 'v1' });
    const rolloutsOf = async () =>
      (await testApp.http().get('/api/v1/ab-test').query({ modelId: model.id }).expect(200)).body.items as {
        id: string;
        [key: string]: any;
      }[];
    expect(await rolloutsOf()).toEqual([]);
    const [notStarted] = await eventually(async () => {
      const alerts = await listAlerts(testApp, { modelId: model.id, type: 'ab_test_rollout' });
      return alerts.length > 0 ? alerts : null;
    });
    expect(notStarted).toMatchObject({ severity: 'info', labels: { transition: 'not_started' } });

    const retrain = async (version: string) => {
      const queued = await triggerRetrain(testApp, { modelId: model.id, reason: 'data_drift', force: true }).expect(202);
      const runId = queued.body.trainingRunId as string;
      await testApp.http().patch(`/api/v1/training-runs/${runId}`).send({ status: 'running' }).expect(200);
      await testApp.http().patch(`/api/v1/training-runs/${runId}`).send({ status: 'succeeded', modelVersion: version }).expect(200);
      return runId;
    };
    const firstRun = await retrain('v2');
    const [first] = await eventually(async () => {
      const tests = await rolloutsOf();
      return tests.length === 1 ? tests : null;
    });
    expect(first).toMatchObject({
      mode: 'rollout',
      status: 'running',
      coverage: 0.5,
      variants: [
        { name: 'champion', modelVersion: 'v1' },
        { name: 'challenger', modelVersion: 'v2' },
      ],
    });
    expect(await rolloutOf(first.id)).toMatchObject({ trainingRunId: firstRun, state: 'ramping' });

    await recordUnits(first.id, [20, 20]);
    testApp.clock.advance(61_000);
    expect(await evaluate(first.id)).toMatchObject({ action: 'advance' });
    await recordUnits(first.id, [20, 20]);
    testApp.clock.advance(61_000);
    expect(await evaluate(first.id)).toMatchObject({ action: 'promote' });
    const hooks = await deliveredFor(first.id);
    expect(hooks.map((hook) => hook.json.event)).toEqual(['rollout.started', 'rollout.step', 'rollout.promoted']);
    for (const hook of hooks) expect(hook.json).toMatchObject({ trainingRunId: firstRun, challenger: { modelVersion: 'v2' } });

    // The next retrain's candidate is rolled out over the promoted version.
    testApp.clock.advance(3_600_000);
    await retrain('v3');
    const tests = await eventually(async () => {
      const all = await rolloutsOf();
      return all.length === 2 ? all : null;
    });
    const second = tests.find((entry) => entry.id !== first.id)!;
    expect(second.variants.map((variant: { modelVersion: string }) => variant.modelVersion)).toEqual(['v2', 'v3']);
  });
});
