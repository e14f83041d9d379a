import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { AlertRuleEvaluator } from 'src/alerts/alert-rule-evaluator.service';
import { createChannel, createRule, recordMetric, startReceiver, type WebhookReceiver } from 'test/support/alerts-factories';
import { checkDrift, currentWithDrift, listAlerts, putReference } from 'test/support/drift-factories';
import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

type Alert = { id: string; type: string; status: string; [key: string]: any };

const MINUTE_MS = 60_000;

describe('no-data rules and rule backtesting (e2e)', () => {
  let testApp: TestApp;
  let hooks: WebhookReceiver;
  const evaluateAll = () => testApp.get(AlertRuleEvaluator).evaluateAll();
  const modelAlerts = async (modelId: string): Promise<Alert[]> => {
    const page = await testApp.http().get('/api/v1/alerts').query({ modelId, limit: 500 }).expect(200);
    return page.body.items;
  };
  const ofType = async (modelId: string, type: string) => (await modelAlerts(modelId)).filter((alert) => alert.type === type);
  /** Breach from start to start + 29 min (a point a minute), then clear up to + 40 min, the clock left there; the rule that watches it. */
  const recordBreachThenClear = async (modelId: string, start: Date) => {
    const points = Array.from({ length: 40 }, (_, minute) => ({
      modelId,
      metricName: 'latency_ms',
      value: minute < 30 ? 900 : 100,
      recordedAt: new Date(start.getTime() + minute * MINUTE_MS).toISOString(),
    }));
    testApp.clock.set(new Date(start.getTime() + 40 * MINUTE_MS));
    await testApp.http().post('/api/v1/metrics/record').send({ points }).expect(201);
    return {
      modelId,
      metricName: 'latency_ms',
      aggregation: 'last',
      windowMinutes: 1,
      comparator: 'gt',
      threshold: 500,
      severity: 'critical',
      forMinutes: 5,
    };
  };

  beforeAll(async () => {
    testApp = await createTestApp();
    hooks = await startReceiver();
  });
  afterAll(async () => {
    await hooks.close();
    await testApp.close();
  });

  it('raises one no_data alert after noDataMinutes without points, treats no data as OK, and resolves it when points return', async () => {
    testApp.clock.set('2031-05-01T08:00:00Z');
    const model = await createModel(testApp);
    const rule = await createRule(testApp, model.id, { windowMinutes: 5, noData: 'ok', noDataMinutes: 10 });
    expect(rule).toMatchObject({ noData: 'ok', noDataMinutes: 10 });
    await recordMetric(testApp, model.id, 0.5);
    expect(await ofType(model.id, 'metric_threshold')).toMatchObject([{ status: 'firing' }]);

    testApp.clock.advanceMinutes(6); // the window is empty, but 10 minutes have not passed: nothing changes yet
    await evaluateAll();
    expect(await ofType(model.id, 'metric_threshold')).toMatchObject([{ status: 'firing' }]);
    expect(await ofType(model.id, 'no_data')).toEqual([]);

    testApp.clock.advanceMinutes(5); // 08:11: no point in [08:01, 08:11]
    await evaluateAll();
    testApp.clock.advanceMinutes(1);
    await evaluateAll(); // deduplicated: the same alert, one more occurrence
    const [noData] = await ofType(model.id, 'no_data');
    expect(await ofType(model.id, 'no_data')).toHaveLength(1);
    expect(noData).toMatchObject({
      status: 'firing',
      severity: 'critical',
      source: 'rule',
      ruleId: rule.id,
      occurrences: 2,
      title: 'No data: accuracy',
      labels: { metric: 'accuracy', environment: 'production', rule: rule.id },
      firedAt: '2031-05-01T08:11:00.000Z',
    });
    expect(await ofType(model.id, 'metric_threshold')).toMatchObject([
      { status: 'resolved', resolvedBy: 'modelwatch', resolutionNote: 'The rule has no data and treats no data as OK.' },
    ]);

    testApp.clock.advanceMinutes(1);
    await recordMetric(testApp, model.id, 0.95);
    expect(await ofType(model.id, 'no_data')).toMatchObject([
      { id: noData.id, status: 'resolved', resolvedBy: 'modelwatch', resolvedAt: '2031-05-01T08:13:00.000Z' },
    ]);

    const off = await testApp.http().patch(`/api/v1/alert-rules/${rule.id}`).send({ noDataMinutes: null }).expect(200);
    expect(off.body.noDataMinutes).toBeNull();
  });

  it('treats no data as a breach with noData: alerting (pending, then firing after forMinutes), without a no_data alert', async () => {
    testApp.clock.set('2031-05-02T08:00:00Z');
    const model = await createModel(testApp);
    await createRule(testApp, model.id, { windowMinutes: 5, noData: 'alerting', forMinutes: 2 });
    await evaluateAll();
    expect(await ofType(model.id, 'metric_threshold')).toMatchObject([{ status: 'pending', value: null }]);
    testApp.clock.advanceMinutes(2);
    await evaluateAll();
    const [alert] = await ofType(model.id, 'metric_threshold');
    expect(alert).toMatchObject({ status: 'firing', firedAt: '2031-05-02T08:02:00.000Z' });
    expect(alert.message).toContain('has no data');
    expect(await ofType(model.id, 'no_data')).toEqual([]);
  });

  it('refuses bad no-data options with 400 naming the field', async () => {
    const model = await createModel(testApp);
    const base = {
      modelId: model.id,
      metricName: 'accuracy',
      aggregation: 'avg',
      windowMinutes: 5,
      comparator: 'lt',
      threshold: 1,
      severity: 'info',
    };
    for (const [body, field] of [
      [{ ...base, noDataMinutes: 0 }, 'noDataMinutes'],
      [{ ...base, noDataMinutes: 10_081 }, 'noDataMinutes'],
      [{ ...base, noDataMinutes: 2.5 }, 'noDataMinutes'],
      [{ ...base, noData: 'no_data' }, 'noData'],
      [{ ...base, noData: null }, 'noData'],
    ] as const) {
      const response = await testApp.http().post('/api/v1/alert-rules').send(body);
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
  });

  /**
   * The property: the backtest of a rule over [t0, tEnd) equals the live evaluator fed the same points tick by tick with
   * the test clock (each tick: the points recorded in the minute before it arrive in one batch, then the periodic
   * evaluation runs) — same alerts (type, opened, fired, resolved) and the same notifications per channel.
   */
  it('previews exactly what the live evaluator does with the same points (fast-check)', async () => {
    const TICKS = 20;
    const ruleArbitrary = fc.record({
      aggregation: fc.constantFrom('avg', 'max', 'last'),
      windowMinutes: fc.constantFrom(1, 3, 5),
      comparator: fc.constantFrom('lt', 'gte'),
      threshold: fc.constantFrom(0.3, 0.5, 0.7),
      forMinutes: fc.constantFrom(0, 2, 5),
      keepFiringForMinutes: fc.constantFrom(0, 3),
      noData: fc.constantFrom('ok', 'alerting', 'keep-last'),
      noDataMinutes: fc.constantFrom(null, 2, 7),
    });
    // per tick, 0–2 points at 0–59 s before the tick (so each tick's points are the ones recorded since the previous tick)
    const pointsArbitrary = fc.array(
      fc.oneof(
        { weight: 2, arbitrary: fc.constant([] as { value: number; secondsBefore: number }[]) },
        {
          weight: 3,
          arbitrary: fc.array(
            fc.record({
              value: fc.integer({ min: 0, max: 100 }).map((percent) => percent / 100),
              secondsBefore: fc.integer({ min: 0, max: 59 }),
            }),
            { minLength: 1, maxLength: 2 },
          ),
        },
      ),
      { minLength: TICKS, maxLength: TICKS },
    );
    let run = 0;
    const seen = { alerts: 0, noDataAlerts: 0, notifications: 0 };
    await fc.assert(
      fc.asyncProperty(ruleArbitrary, pointsArbitrary, fc.constantFrom(1, 4), async (ruleFields, pointsByTick, repeatIntervalMinutes) => {
        const start = new Date(Date.UTC(2032, 0, 1) + run++ * 86_400_000);
        testApp.clock.set(start);
        const model = await createModel(testApp);
        const loud = await createChannel(testApp, hooks.url, { modelId: model.id, repeatIntervalMinutes });
        const quiet = await createChannel(testApp, hooks.url, { modelId: model.id, repeatIntervalMinutes: 60, sendResolved: false });
        const body = { ...ruleFields, modelId: model.id, metricName: 'accuracy', severity: 'warning', labels: { run: String(run) } };
        const rule = await createRule(testApp, model.id, body);

        for (const [index, points] of pointsByTick.entries()) {
          const at = start.getTime() + index * MINUTE_MS;
          testApp.clock.set(new Date(at));
          if (points.length > 0) {
            const batch = points.map((point, position) => ({
              modelId: model.id,
              metricName: 'accuracy',
              value: point.value,
              recordedAt: new Date(at - point.secondsBefore * 1000 - position).toISOString(),
            }));
            await testApp.http().post('/api/v1/metrics/record').send({ points: batch }).expect(201);
          }
          await evaluateAll();
        }
        const end = new Date(start.getTime() + TICKS * MINUTE_MS);
        const preview = await testApp
          .http()
          .post('/api/v1/alert-rules/preview')
          .send({ rule: body, from: start.toISOString(), to: end.toISOString(), intervalSeconds: 60 })
          .expect(200);
        testApp.clock.set(end);
        await testApp.http().patch(`/api/v1/alert-rules/${rule.id}`).send({ enabled: false }).expect(200);

        const live = (await modelAlerts(model.id))
          .map((alert) => ({
            type: alert.type,
            openedAt: alert.firstSeenAt,
            firedAt: alert.firedAt,
            // disabling the rule at `end` resolved what was still open
            resolvedAt: alert.resolvedAt !== null && Date.parse(alert.resolvedAt) < end.getTime() ? alert.resolvedAt : null,
          }))
          .sort((left, right) => left.openedAt.localeCompare(right.openedAt) || left.type.localeCompare(right.type));
        const previewed = [...preview.body.alerts].sort(
          (left: Alert, right: Alert) => left.openedAt.localeCompare(right.openedAt) || left.type.localeCompare(right.type),
        );
        expect(previewed).toEqual(live);
        seen.alerts += live.length;
        seen.noDataAlerts += live.filter((alert) => alert.type === 'no_data').length;

        const rows: { channel_id: string; event: string; count: number }[] = await testApp.get(DataSource).query(
          `SELECT channel_id, event, count(*)::int AS count FROM model_alert_outbox
           WHERE model_id = $1 AND created_at < $2 GROUP BY 1, 2`,
          [model.id, end],
        );
        const sent = (channelId: string, event: string) =>
          rows.find((row) => row.channel_id === channelId && row.event === event)?.count ?? 0;
        for (const channel of [loud, quiet]) {
          const counts = preview.body.channels.find((entry: { channelId: string }) => entry.channelId === channel.id);
          expect({ firing: counts.firing + counts.repeats, resolved: counts.resolved, silenced: counts.silenced }).toEqual({
            firing: sent(channel.id, 'firing'),
            resolved: sent(channel.id, 'resolved'),
            silenced: 0,
          });
        }
        expect(preview.body.evaluations).toBe(TICKS);
        seen.notifications += rows.reduce((total, row) => total + row.count, 0);
      }),
      { numRuns: 12, endOnFailure: true },
    );
    // the runs did exercise the state machine, not only quiet rules
    expect(seen.alerts).toBeGreaterThan(0);
    expect(seen.noDataAlerts).toBeGreaterThan(0);
    expect(seen.notifications).toBeGreaterThan(0);
  }, 600_000); // a few hundred requests: minutes on the embedded database of a loaded machine

  it('reports firing intervals, time in breach and notifications per channel, honouring the repeat interval', async () => {
    const start = new Date('2031-06-01T00:00:00Z');
    testApp.clock.set(start);
    const model = await createModel(testApp);
    const channel = await createChannel(testApp, hooks.url, { modelId: model.id, repeatIntervalMinutes: 10 });
    const rule = await recordBreachThenClear(model.id, start);
    const response = await testApp
      .http()
      .post('/api/v1/alert-rules/preview')
      .send({ rule, from: start.toISOString(), to: new Date(start.getTime() + 40 * MINUTE_MS).toISOString(), intervalSeconds: 60 })
      .expect(200);
    expect(response.body).toMatchObject({
      evaluations: 40,
      breachingEvaluations: 30,
      timeInBreachSeconds: 1800,
      firingSeconds: 25 * 60, // fires at 00:05 (forMinutes), resolves at 00:30
      firingIntervals: [{ type: 'metric_threshold', start: '2031-06-01T00:05:00.000Z', end: '2031-06-01T00:30:00.000Z' }],
      alerts: [
        {
          type: 'metric_threshold',
          openedAt: '2031-06-01T00:00:00.000Z',
          firedAt: '2031-06-01T00:05:00.000Z',
          resolvedAt: '2031-06-01T00:30:00.000Z',
        },
      ],
    });
    // firing at 00:05, repeats at 00:15 and 00:25 (every 10 minutes while firing), resolved at 00:30
    expect(response.body.channels).toEqual([
      { channelId: channel.id, name: channel.name, notifications: 4, firing: 1, repeats: 2, resolved: 1, silenced: 0 },
    ]);
    expect(await modelAlerts(model.id)).toEqual([]); // nothing was saved or raised
  });

  it('counts notifications a stored silence would have muted (the live matcher, at each notification time)', async () => {
    const start = new Date('2031-07-01T00:00:00Z');
    testApp.clock.set(start);
    const model = await createModel(testApp);
    const channel = await createChannel(testApp, hooks.url, { modelId: model.id, repeatIntervalMinutes: 10 });
    const silence = await testApp
      .http()
      .post('/api/v1/silences')
      .send({
        matchers: [{ name: 'model_id', operator: '=', value: model.id }],
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 20 * MINUTE_MS).toISOString(),
        createdBy: 'e2e',
        comment: 'maintenance',
      })
      .expect(201);
    const rule = await recordBreachThenClear(model.id, start);
    const preview = await testApp
      .http()
      .post('/api/v1/alert-rules/preview')
      .send({ rule, from: start.toISOString(), to: new Date(start.getTime() + 40 * MINUTE_MS).toISOString(), intervalSeconds: 60 })
      .expect(200);
    const counts = preview.body.channels.find((entry: { channelId: string }) => entry.channelId === channel.id);
    // the firing notice at 00:05 and the repeat at 00:15 fall inside the silence [00:00, 00:20)
    expect(silence.body.id).toEqual(expect.any(String));
    expect(counts.silenced).toBeGreaterThanOrEqual(2);
    expect(counts.firing + counts.repeats).toBeGreaterThanOrEqual(1);
  });

  it('refuses unbounded or malformed previews with 4xx problem+json naming the field', async () => {
    const model = await createModel(testApp);
    const rule = {
      modelId: model.id,
      metricName: 'accuracy',
      aggregation: 'avg',
      windowMinutes: 5,
      comparator: 'lt',
      threshold: 1,
      severity: 'info',
    };
    const years = await testApp
      .http()
      .post('/api/v1/alert-rules/preview')
      .send({ rule, from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', intervalSeconds: 60 });
    expectProblem(years, 400, 'VALIDATION_FAILED');
    expect(years.body.errors).toEqual([{ field: 'to', message: expect.stringContaining('at most 50000') }]);
    // few evaluations, but each reads a week of points: 12 points × 604,800 one-second evaluations per window > 5,000,000
    testApp.clock.set('2031-03-01T00:00:00Z');
    await testApp
      .http()
      .post('/api/v1/metrics/record')
      .send({
        points: Array.from({ length: 12 }, (_, index) => ({
          modelId: model.id,
          metricName: 'accuracy',
          value: 0.5,
          recordedAt: `2031-02-27T${String(index).padStart(2, '0')}:00:00Z`,
        })),
      })
      .expect(201);
    const heavy = await testApp
      .http()
      .post('/api/v1/alert-rules/preview')
      .send({ rule: { ...rule, windowMinutes: 10_080 }, from: '2031-02-28T00:00:00Z', to: '2031-02-28T13:00:00Z', intervalSeconds: 1 });
    expectProblem(heavy, 400, 'VALIDATION_FAILED');
    expect(heavy.body.errors).toEqual([{ field: 'from', message: expect.stringContaining('at most 5000000') }]);
    const cases: [Record<string, unknown>, string][] = [
      [{ rule, from: '2031-01-02T00:00:00Z', to: '2031-01-01T00:00:00Z' }, 'to'],
      [{ rule: { ...rule, threshold: 'x' }, from: '2031-01-01T00:00:00Z', to: '2031-01-02T00:00:00Z' }, 'rule.threshold'],
      [{ rule: { ...rule, noDataMinutes: 0 }, from: '2031-01-01T00:00:00Z', to: '2031-01-02T00:00:00Z' }, 'rule.noDataMinutes'],
      [{ rule, from: 'yesterday', to: '2031-01-02T00:00:00Z' }, 'from'],
      [{ rule, from: '2031-01-01T00:00:00Z', to: '2031-01-02T00:00:00Z', intervalSeconds: 0 }, 'intervalSeconds'],
      [{ rule: [], from: '2031-01-01T00:00:00Z', to: '2031-01-02T00:00:00Z' }, 'rule'],
    ];
    for (const [body, field] of cases) {
      const response = await testApp.http().post('/api/v1/alert-rules/preview').send(body);
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    const unknown = await testApp
      .http()
      .post('/api/v1/alert-rules/preview')
      .send({
        rule: { ...rule, modelId: '00000000-0000-4000-8000-000000000000' },
        from: '2031-01-01T00:00:00Z',
        to: '2031-01-02T00:00:00Z',
      });
    expectProblem(unknown, 404, 'MODEL_NOT_FOUND');
  });
  it('re-decides stored drift checks with other thresholds: the alerts a live check with those thresholds raises', async () => {
    const stored = await createModel(testApp);
    const retuned = await createModel(testApp);
    await putReference(testApp, stored.id);
    await putReference(testApp, retuned.id);
    const sequence = [0, 2, 2, 0, 3] as const;
    const first = [];
    for (const drifted of sequence) {
      testApp.clock.advanceMinutes(1);
      first.push(
        await checkDrift(testApp, { modelId: stored.id, current: { features: currentWithDrift(drifted) }, triggerRetrain: false }),
      );
    }
    const incomeScore = first[1].features.find((feature: { name: string }) => feature.name === 'income').score;
    const thresholds = { income: incomeScore / 2 }; // a stricter p-value: income no longer drifts
    for (const drifted of sequence) {
      testApp.clock.advanceMinutes(1);
      await checkDrift(testApp, {
        modelId: retuned.id,
        current: { features: currentWithDrift(drifted) },
        perFeature: { income: { threshold: thresholds.income } },
        triggerRetrain: false,
      });
    }
    const preview = async (body: Record<string, unknown>) =>
      (
        await testApp
          .http()
          .post('/api/v1/drift/thresholds/preview')
          .send({ modelId: stored.id, ...body })
          .expect(200)
      ).body;

    const same = await preview({ thresholds: {} });
    const storedAlerts = await listAlerts(testApp, { modelId: stored.id, type: 'data_drift' });
    expect(same.stored).toEqual({ driftedChecks: 3, alerts: storedAlerts.length });
    expect(same.preview).toEqual(same.stored);

    const stricter = await preview({ thresholds });
    const retunedAlerts = await listAlerts(testApp, { modelId: retuned.id, type: 'data_drift' });
    const retunedChecks = (await testApp.http().get('/api/v1/drift/checks').query({ modelId: retuned.id }).expect(200)).body.items;
    expect(stricter).toMatchObject({
      modelId: stored.id,
      checks: 5,
      stored: same.stored,
      preview: {
        driftedChecks: retunedChecks.filter((check: { datasetDrift: boolean }) => check.datasetDrift).length,
        alerts: retunedAlerts.length,
      },
    });
    expect(stricter.preview).toEqual({ driftedChecks: 1, alerts: 1 }); // only the check where all three drift
    expect(stricter.features.find((feature: { name: string }) => feature.name === 'income')).toEqual({
      name: 'income',
      threshold: thresholds.income,
      checks: 5,
      storedDrifted: 3,
      previewDrifted: 0,
    });
    expect((await preview({ thresholds, driftShareThreshold: 0.3 })).preview).toEqual({ driftedChecks: 3, alerts: 2 });

    for (const [body, field] of [
      [{ thresholds: { salary: 0.1 } }, 'thresholds.salary'],
      [{ thresholds: { income: -1 } }, 'thresholds.income'],
      [{ thresholds: { income: 'x' } }, 'thresholds'],
      [{ thresholds: {}, driftShareThreshold: 2 }, 'driftShareThreshold'],
      [{ thresholds: {}, from: '2031-01-02T00:00:00Z', to: '2031-01-01T00:00:00Z' }, 'to'],
    ] as const) {
      const response = await testApp
        .http()
        .post('/api/v1/drift/thresholds/preview')
        .send({ modelId: stored.id, ...body });
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
  });
});
