import { SchedulerRegistry } from '@nestjs/schedule';
import { Client } from 'pg';
import { AlertRuleEvaluator } from 'src/alerts/alert-rule-evaluator.service';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { createChannel, createRule, eventually, recordMetric, startReceiver, type WebhookReceiver } from 'test/support/alerts-factories';
import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';
import { createTestDatabase } from 'test/support/test-database';

type Alert = { id: string; status: string; [key: string]: any };

describe('alert rules: evaluation and the alert state machine (e2e)', () => {
  let testApp: TestApp;
  let hooks: WebhookReceiver;
  const evaluateAll = () => testApp.get(AlertRuleEvaluator).evaluateAll();
  const ruleAlerts = async (ruleId: string): Promise<Alert[]> => {
    const page = await testApp.http().get('/api/v1/alerts').query({ type: 'metric_threshold', limit: 500 }).expect(200);
    return page.body.items.filter((alert: Alert) => alert.ruleId === ruleId);
  };
  const onlyAlert = async (ruleId: string): Promise<Alert> => {
    const alerts = await ruleAlerts(ruleId);
    expect(alerts).toHaveLength(1);
    return alerts[0];
  };

  beforeAll(async () => {
    testApp = await createTestApp();
    hooks = await startReceiver();
  });
  afterAll(async () => {
    await hooks.close();
    await testApp.close();
  });

  it('goes pending → firing after forMinutes, keeps firing for keepFiringForMinutes after the condition clears, then resolves', async () => {
    testApp.clock.set('2031-03-01T12:00:00Z');
    const model = await createModel(testApp);
    await createChannel(testApp, hooks.url, { modelId: model.id });
    const rule = await createRule(testApp, model.id, {
      name: 'Accuracy floor',
      forMinutes: 5,
      keepFiringForMinutes: 10,
      labels: { team: 'risk' },
    });

    await recordMetric(testApp, model.id, 0.7); // the metrics.recorded event evaluates the rule at once
    const pending = await onlyAlert(rule.id);
    expect(pending).toMatchObject({
      status: 'pending',
      type: 'metric_threshold',
      severity: 'critical',
      source: 'rule',
      value: 0.7,
      title: 'Accuracy floor < 0.8',
      labels: { team: 'risk', metric: 'accuracy', environment: 'production', rule: rule.id },
      firedAt: null,
    });
    const active = await testApp.http().get('/api/v1/alerts/active').query({ modelId: model.id }).expect(200);
    expect(active.body.items).toEqual([]);
    const withPending = await testApp.http().get('/api/v1/alerts/active').query({ modelId: model.id, includePending: 'true' }).expect(200);
    expect(withPending.body.items.map((alert: Alert) => alert.id)).toEqual([pending.id]);

    testApp.clock.advanceMinutes(4);
    await evaluateAll();
    expect(await onlyAlert(rule.id)).toMatchObject({ id: pending.id, status: 'pending' });
    testApp.clock.advanceMinutes(1);
    await evaluateAll();
    const firing = await onlyAlert(rule.id);
    expect(firing).toMatchObject({ id: pending.id, status: 'firing', firedAt: '2031-03-01T12:05:00.000Z' });

    testApp.clock.advanceMinutes(1);
    await recordMetric(testApp, model.id, 0.9); // clears at 12:06: keeps firing until 12:16
    testApp.clock.advanceMinutes(5);
    await evaluateAll();
    expect(await onlyAlert(rule.id)).toMatchObject({ status: 'firing' });
    testApp.clock.advanceMinutes(1);
    await recordMetric(testApp, model.id, 0.6); // 12:12: a new breach during keep-firing, straight back to firing
    testApp.clock.advanceMinutes(1);
    await recordMetric(testApp, model.id, 0.95); // 12:13: clears again, keeps firing until 12:23
    testApp.clock.advanceMinutes(9);
    await evaluateAll();
    expect(await onlyAlert(rule.id)).toMatchObject({ status: 'firing', value: 0.6 });
    testApp.clock.advanceMinutes(1);
    await evaluateAll();
    const resolved = await onlyAlert(rule.id);
    expect(resolved).toMatchObject({
      id: pending.id,
      status: 'resolved',
      resolvedBy: 'modelwatch',
      resolvedAt: '2031-03-01T12:23:00.000Z',
    });

    await testApp.get(WebhookDeliveryWorker).deliverDue();
    const received = hooks.received.filter((request) => request.json.alert?.id === pending.id);
    expect(received.map((request) => [request.json.event, request.json.alert.status])).toEqual([
      ['firing', 'firing'],
      ['resolved', 'resolved'],
    ]);
    const rules = await testApp.http().get(`/api/v1/alert-rules/${rule.id}`).expect(200);
    expect(rules.body).toMatchObject({ lastEvaluatedAt: '2031-03-01T12:23:00.000Z', lastValue: 0.95 });
  });

  it('fires at once with forMinutes 0, resolves at once without keep-firing, acknowledged alerts included', async () => {
    const model = await createModel(testApp);
    const rule = await createRule(testApp, model.id, {
      comparator: 'gt',
      threshold: 400,
      metricName: 'latency_ms',
      aggregation: 'max',
      windowMinutes: 15,
    });
    await recordMetric(testApp, model.id, 500, { metricName: 'latency_ms' });
    const firing = await onlyAlert(rule.id);
    expect(firing).toMatchObject({ status: 'firing', value: 500 });
    await testApp.http().post(`/api/v1/alerts/${firing.id}/acknowledge`).send({ by: 'oncall' }).expect(200);
    await recordMetric(testApp, model.id, 600, { metricName: 'latency_ms' });
    expect(await onlyAlert(rule.id)).toMatchObject({ status: 'acknowledged', occurrences: 2, value: 600 });
    testApp.clock.advanceMinutes(16); // the old points leave the 15-minute window
    await recordMetric(testApp, model.id, 100, { metricName: 'latency_ms' });
    expect(await onlyAlert(rule.id)).toMatchObject({ status: 'resolved', resolvedBy: 'modelwatch', acknowledgedBy: 'oncall' });
    await recordMetric(testApp, model.id, 450, { metricName: 'latency_ms' });
    const alerts = await ruleAlerts(rule.id);
    expect(alerts.map((alert) => alert.status)).toEqual(['firing', 'resolved']); // a new alert after the resolve
  });

  it('resolves a pending alert whose condition clears without notifying anyone, and leaves alerts alone without data', async () => {
    const model = await createModel(testApp);
    const listener = await startReceiver();
    try {
      await createChannel(testApp, listener.url, { modelId: model.id });
      const rule = await createRule(testApp, model.id, { forMinutes: 30, windowMinutes: 5 });
      await recordMetric(testApp, model.id, 0.5);
      expect(await onlyAlert(rule.id)).toMatchObject({ status: 'pending' });
      await recordMetric(testApp, model.id, 0.85);
      expect(await onlyAlert(rule.id)).toMatchObject({ status: 'resolved', resolvedBy: 'modelwatch' });

      const steady = await createRule(testApp, model.id, { windowMinutes: 5, metricName: 'recall' });
      await recordMetric(testApp, model.id, 0.1, { metricName: 'recall' });
      expect(await onlyAlert(steady.id)).toMatchObject({ status: 'firing' });
      testApp.clock.advanceMinutes(30); // the window is empty now: no data neither fires nor resolves
      expect(await evaluateAll()).toMatchObject({ skipped: false });
      expect(await onlyAlert(steady.id)).toMatchObject({ status: 'firing', occurrences: 1 });
      const detail = await testApp.http().get(`/api/v1/alert-rules/${steady.id}`).expect(200);
      expect(detail.body.lastValue).toBeNull();

      await testApp.get(WebhookDeliveryWorker).deliverDue();
      expect(listener.received.map((request) => [request.json.event, request.json.alert.ruleId])).toEqual([['firing', steady.id]]);
    } finally {
      await listener.close();
    }
  });

  it('evaluates only the rules of the recorded model, metrics and environments on metrics.recorded', async () => {
    const model = await createModel(testApp);
    const other = await createModel(testApp);
    const accuracy = await createRule(testApp, model.id);
    const staging = await createRule(testApp, model.id, { environment: 'staging' });
    const recall = await createRule(testApp, model.id, { metricName: 'recall' });
    const otherModel = await createRule(testApp, other.id);
    await recordMetric(testApp, model.id, 0.5);
    const evaluated = async (ruleId: string) =>
      (await testApp.http().get(`/api/v1/alert-rules/${ruleId}`).expect(200)).body.lastEvaluatedAt;
    expect(await evaluated(accuracy.id)).not.toBeNull();
    expect([await evaluated(staging.id), await evaluated(recall.id), await evaluated(otherModel.id)]).toEqual([null, null, null]);
  });

  it('follows its rule: disabling, redefining or deleting it resolves its open alert', async () => {
    const model = await createModel(testApp);
    const disabled = await createRule(testApp, model.id);
    const redefined = await createRule(testApp, model.id, { labels: { team: 'a' } });
    const retuned = await createRule(testApp, model.id);
    const deleted = await createRule(testApp, model.id);
    await recordMetric(testApp, model.id, 0.5);
    for (const rule of [disabled, redefined, retuned, deleted]) expect(await onlyAlert(rule.id)).toMatchObject({ status: 'firing' });

    const patched = await testApp.http().patch(`/api/v1/alert-rules/${disabled.id}`).send({ enabled: false }).expect(200);
    expect(patched.body.enabled).toBe(false);
    const relabelled = await testApp
      .http()
      .patch(`/api/v1/alert-rules/${redefined.id}`)
      .send({ labels: { squad: 'b' } })
      .expect(200);
    expect(relabelled.body.labels).toEqual({ squad: 'b' }); // replaced, not merged
    const tuned = await testApp.http().patch(`/api/v1/alert-rules/${retuned.id}`).send({ threshold: 0.6, name: 'tuned' }).expect(200);
    expect(tuned.body).toMatchObject({ threshold: 0.6, name: 'tuned', labels: {} });
    const firingAlert = await onlyAlert(deleted.id);
    await testApp.http().delete(`/api/v1/alert-rules/${deleted.id}`).expect(204);

    expect(await onlyAlert(disabled.id)).toMatchObject({ status: 'resolved', resolutionNote: 'The rule was disabled.' });
    expect(await onlyAlert(redefined.id)).toMatchObject({ status: 'resolved', resolutionNote: 'The rule was changed.' });
    expect(await onlyAlert(retuned.id)).toMatchObject({ status: 'firing' });
    const orphan = await testApp.http().get(`/api/v1/alerts/${firingAlert.id}`).expect(200);
    expect(orphan.body).toMatchObject({ status: 'resolved', resolutionNote: 'The rule was deleted.', ruleId: null });
    expectProblem(await testApp.http().get(`/api/v1/alert-rules/${deleted.id}`), 404, 'ALERT_RULE_NOT_FOUND');

    testApp.clock.advanceMinutes(1);
    await recordMetric(testApp, model.id, 0.7); // retuned: 0.7 ≥ 0.6 clears; redefined fires again under its new labels
    expect(await onlyAlert(retuned.id)).toMatchObject({ status: 'resolved' });
    const redefinedAlerts = await ruleAlerts(redefined.id);
    expect(redefinedAlerts.map((alert) => [alert.status, alert.labels.team ?? alert.labels.squad])).toEqual([
      ['firing', 'b'],
      ['resolved', 'a'],
    ]);
    expect(await ruleAlerts(disabled.id)).toHaveLength(1);
  });

  it('creates, lists and reads rules, and rejects bad ones with 4xx problem+json', async () => {
    const model = await createModel(testApp);
    const created = await createRule(testApp, model.id, { labels: { team: 'x' } });
    expect(created).toMatchObject({
      modelId: model.id,
      environment: 'production',
      forMinutes: 0,
      keepFiringForMinutes: 0,
      enabled: true,
      lastEvaluatedAt: null,
      lastValue: null,
    });
    testApp.clock.advanceMinutes(1);
    const second = await createRule(testApp, model.id, { metricName: 'f1' });
    const firstPage = await testApp.http().get('/api/v1/alert-rules').query({ modelId: model.id, limit: 1 }).expect(200);
    const secondPage = await testApp
      .http()
      .get('/api/v1/alert-rules')
      .query({ modelId: model.id, limit: 1, cursor: firstPage.body.nextCursor })
      .expect(200);
    expect([...firstPage.body.items, ...secondPage.body.items].map((rule: { id: string }) => rule.id)).toEqual([created.id, second.id]);
    expect(secondPage.body.nextCursor).toBeNull();
    const byMetric = await testApp.http().get('/api/v1/alert-rules').query({ modelId: model.id, metricName: 'f1' }).expect(200);
    expect(byMetric.body.items.map((rule: { id: string }) => rule.id)).toEqual([second.id]);

    const valid = {
      modelId: model.id,
      metricName: 'accuracy',
      aggregation: 'avg',
      windowMinutes: 60,
      comparator: 'lt',
      threshold: 0.8,
      severity: 'warning',
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, windowMinutes: 0 }, 'windowMinutes'],
      [{ ...valid, windowMinutes: 10_081 }, 'windowMinutes'],
      [{ ...valid, windowMinutes: 1.5 }, 'windowMinutes'],
      [{ ...valid, threshold: 'NaN' }, 'threshold'],
      [{ ...valid, threshold: 'Infinity' }, 'threshold'],
      [{ ...valid, threshold: null }, 'threshold'],
      [{ ...valid, aggregation: 'p99' }, 'aggregation'],
      [{ ...valid, comparator: 'eq' }, 'comparator'],
      [{ ...valid, severity: 'page' }, 'severity'],
      [{ ...valid, metricName: 'has space' }, 'metricName'],
      [{ ...valid, forMinutes: -1 }, 'forMinutes'],
      [{ ...valid, keepFiringForMinutes: null }, 'keepFiringForMinutes'],
      [{ ...valid, labels: { a: 1 } }, 'labels'],
    ];
    for (const [body, field] of cases) {
      const problem = expectProblem(await testApp.http().post('/api/v1/alert-rules').send(body), 400, 'VALIDATION_FAILED');
      expect({ field, fields: problem.errors!.map((error) => error.field) }).toEqual({ field, fields: expect.arrayContaining([field]) });
    }
    expectProblem(
      await testApp
        .http()
        .post('/api/v1/alert-rules')
        .send({ ...valid, modelId: '00000000-0000-4000-8000-000000000000' }),
      404,
      'MODEL_NOT_FOUND',
    );
    expectProblem(
      await testApp.http().patch(`/api/v1/alert-rules/${created.id}`).send({ windowMinutes: 20_000 }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await testApp.http().patch(`/api/v1/alert-rules/${created.id}`).send({ enabled: null }), 400, 'VALIDATION_FAILED');
    expectProblem(await testApp.http().patch(`/api/v1/alert-rules/${created.id}`).send({ modelId: model.id }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await testApp.http().patch('/api/v1/alert-rules/00000000-0000-4000-8000-000000000000').send({ threshold: 1 }),
      404,
      'ALERT_RULE_NOT_FOUND',
    );
    const list = await testApp.http().get('/api/v1/alert-rules').query({ modelId: model.id }).expect(200);
    expect(list.body.items).toHaveLength(2);
    expect((await testApp.http().get(`/api/v1/alert-rules/${created.id}`).expect(200)).body).toEqual(created);
  });
});

describe('alert rules: one evaluator across instances (e2e)', () => {
  it('fires once when two instances on one database evaluate at the same time', async () => {
    const database = await createTestDatabase();
    const hooks = await startReceiver();
    const first = await createTestApp({ database });
    const second = await createTestApp({ database });
    try {
      const model = await createModel(first);
      await createChannel(first, hooks.url, { modelId: model.id });
      await recordMetric(first, model.id, 0.5); // before the rule exists, so only the evaluators below see it
      const rule = await createRule(first, model.id);
      const summaries = await Promise.all([first.get(AlertRuleEvaluator).evaluateAll(), second.get(AlertRuleEvaluator).evaluateAll()]);
      expect(summaries.some((summary) => !summary.skipped && summary.raised === 1)).toBe(true);

      const alerts = await second.http().get('/api/v1/alerts').query({ modelId: model.id }).expect(200);
      expect(alerts.body.items).toHaveLength(1);
      expect(alerts.body.items[0]).toMatchObject({ ruleId: rule.id, status: 'firing' });
      await Promise.all([first.get(WebhookDeliveryWorker).deliverDue(), second.get(WebhookDeliveryWorker).deliverDue()]);
      expect(hooks.received.map((request) => request.json.event)).toEqual(['firing']);
    } finally {
      await second.close();
      await first.close();
      await hooks.close();
      await database.drop();
    }
  });

  // Holding the lock from another session needs a real server: on the embedded database an open transaction blocks every other connection.
  (process.env.DATABASE_URL ? it : it.skip)('skips the periodic evaluation while another instance holds the evaluation lock', async () => {
    const testApp = await createTestApp();
    const holder = new Client({ connectionString: testApp.database.url });
    await holder.connect();
    try {
      const model = await createModel(testApp);
      await recordMetric(testApp, model.id, 0.5);
      await createRule(testApp, model.id);
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(7346601)');
      expect(await testApp.get(AlertRuleEvaluator).evaluateAll()).toMatchObject({ skipped: true, evaluated: 0 });
      await holder.query('COMMIT');
      expect(await testApp.get(AlertRuleEvaluator).evaluateAll()).toMatchObject({ skipped: false, evaluated: 1, raised: 1 });
    } finally {
      await holder.end();
      await testApp.close();
    }
  });
});

describe('alerts: periodic jobs (e2e)', () => {
  it('evaluates rules and delivers notifications on their own timers once started, and stops them on shutdown', async () => {
    const hooks = await startReceiver();
    const testApp = await createTestApp({ jobs: { alertEvaluationIntervalSeconds: 1, outboxPollIntervalMs: 100 } });
    let open = true;
    try {
      const model = await createModel(testApp);
      await createChannel(testApp, hooks.url, { modelId: model.id });
      await recordMetric(testApp, model.id, 0.5);
      const rule = await createRule(testApp, model.id); // created after the point: only the periodic evaluator can fire it
      const delivered = await eventually(async () => hooks.received.find((request) => request.json.alert.ruleId === rule.id));
      expect(delivered.json).toMatchObject({ event: 'firing', alert: { status: 'firing', modelId: model.id } });
      const registry = testApp.get(SchedulerRegistry);
      expect(registry.getIntervals().sort()).toEqual([
        'ab-test.rollout-evaluation',
        'alerts.alertmanager-resend',
        'alerts.outbox-pruning',
        'alerts.rule-evaluation',
        'alerts.suppression-review',
        'alerts.webhook-delivery',
        'data-quality.evaluation',
        'retrain.lease-expiry',
      ]);
      await testApp.close();
      open = false;
      expect(registry.getIntervals()).toEqual([]);
    } finally {
      if (open) await testApp.close();
      await hooks.close();
    }
  });
});
