import { AlertRuleEvaluator } from 'src/alerts/alert-rule-evaluator.service';
import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

type Alert = { id: string; status: string; type: string; ruleId: string; [key: string]: any };

/**
 * Alert rules on computed metrics (realized.*, labels.*): evaluated on the bucket values GET /metrics/trend serves,
 * after prediction/label ingest and by the periodic evaluation, with the lag and no-data behaviour of the
 * "labels stopped arriving" recipe (docs/predictions.md). Values by hand: accuracy = correct / labelled per hour.
 */
describe('alert rules on computed metrics (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const evaluateAll = () => testApp.get(AlertRuleEvaluator).evaluateAll();
  const hour = (h: number, minute = 0) => new Date(Date.UTC(2031, 4, 1, h, minute)).toISOString();
  const ruleAlerts = async (ruleId: string, type = 'metric_threshold'): Promise<Alert[]> => {
    const page = await testApp.http().get('/api/v1/alerts').query({ type, limit: 500 }).expect(200);
    return page.body.items.filter((alert: Alert) => alert.ruleId === ruleId);
  };
  const createRule = async (body: Record<string, unknown>) =>
    (await testApp.http().post('/api/v1/alert-rules').send(body).expect(201)).body as { id: string; [key: string]: any };
  /** `n` predictions at minute 0..n-1 of hour h, score 0.9 (predicted 1). */
  const logHour = (modelId: string, h: number, n: number) =>
    testApp
      .http()
      .post('/api/v1/predictions')
      .send({
        predictions: Array.from({ length: n }, (_, i) => ({ modelId, predictionId: `h${h}-${i}`, score: 0.9, predictedAt: hour(h, i) })),
      })
      .expect(201);
  /** Labels for the predictions of hour h: the first `correct` are 1 (right), the rest 0 (wrong). */
  const labelHour = (modelId: string, h: number, n: number, correct: number) =>
    testApp
      .http()
      .post('/api/v1/labels')
      .send({ labels: Array.from({ length: n }, (_, i) => ({ modelId, predictionId: `h${h}-${i}`, label: i < correct ? 1 : 0 })) })
      .expect(201);

  it('fires a realized.accuracy rule when late labels show the accuracy dropped, and resolves it when it recovers', async () => {
    testApp.clock.set(hour(3, 10));
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    for (const h of [0, 1, 2]) await logHour(model.id, h, 10);
    const rule = await createRule({
      modelId: model.id,
      metricName: 'realized.accuracy',
      aggregation: 'last',
      windowMinutes: 60,
      bucket: '1h',
      comparator: 'lt',
      threshold: 0.8,
      severity: 'critical',
    });
    expect(rule).toMatchObject({ bucket: '1h', evaluationLagMinutes: 0 });
    // 03:10: late labels for 00:00; the ingest evaluates the rule, whose window (02:10, 03:10] holds the 02:00 bucket,
    // which has no labels yet: no value, nothing fires.
    await labelHour(model.id, 0, 10, 10);
    expect(await ruleAlerts(rule.id)).toEqual([]);
    // 03:11 (past the ingest debounce): the labels of 02:00 land, accuracy 0.5, and the ingest evaluates the rule again.
    testApp.clock.advanceMinutes(1);
    await labelHour(model.id, 2, 10, 5);
    const [firing] = await ruleAlerts(rule.id);
    expect(firing).toMatchObject({
      status: 'firing',
      severity: 'critical',
      value: 0.5,
      labels: { metric: 'realized.accuracy', environment: 'production', rule: rule.id },
      details: { metricName: 'realized.accuracy', aggregation: 'last', bucket: '1h', evaluationLagMinutes: 0, value: 0.5, count: 1 },
    });
    // The rule read the value GET /metrics/trend serves for that bucket.
    const trend = await testApp
      .http()
      .get('/api/v1/metrics/trend')
      .query({ modelId: model.id, metricName: 'realized.accuracy', bucket: '1h', from: hour(0), to: hour(3) })
      .expect(200);
    expect(trend.body.points.map((point: { bucketStart: string; value: number }) => [point.bucketStart, point.value])).toEqual([
      [hour(0), 1],
      [hour(2), 0.5],
    ]);
    expect((await testApp.http().get(`/api/v1/alert-rules/${rule.id}`).expect(200)).body).toMatchObject({ lastValue: 0.5 });

    // Evaluated again at once (same value): deduplicated into the same alert.
    testApp.clock.advanceMinutes(1);
    await evaluateAll();
    expect(await ruleAlerts(rule.id)).toEqual([expect.objectContaining({ id: firing.id, status: 'firing' })]);

    // 04:10: hour 03 is labelled all correct, accuracy 1: the label ingest resolves the alert.
    testApp.clock.set(hour(4, 5));
    await logHour(model.id, 3, 10);
    testApp.clock.set(hour(4, 10));
    await labelHour(model.id, 3, 10, 10);
    expect(await ruleAlerts(rule.id)).toEqual([expect.objectContaining({ id: firing.id, status: 'resolved' })]);

    // The backtest replays the same rule over the same bucket values, with today's labels: so the 02:00 bucket breaches
    // from 03:00 (when it ended) and 03:00's recovery resolves at 04:00.
    const preview = await testApp
      .http()
      .post('/api/v1/alert-rules/preview')
      .send({
        rule: {
          modelId: model.id,
          metricName: 'realized.accuracy',
          aggregation: 'last',
          windowMinutes: 60,
          comparator: 'lt',
          threshold: 0.8,
          severity: 'critical',
        },
        from: hour(3),
        to: hour(4, 30),
        intervalSeconds: 600,
      })
      .expect(200);
    expect(preview.body).toMatchObject({ evaluations: 9, breachingEvaluations: 6, noDataEvaluations: 0 });
    expect(preview.body.alerts).toEqual([{ type: 'metric_threshold', openedAt: hour(3), firedAt: hour(3), resolvedAt: hour(4) }]);
  });

  it('"labels stopped arriving": a labels.coverage rule with a lag fires for overdue buckets, not fresh ones, and no predictions at all is no_data', async () => {
    testApp.clock.set(hour(10, 5));
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    for (const h of [6, 7, 8, 9, 10]) await logHour(model.id, h, 4);
    for (const h of [6, 7]) await labelHour(model.id, h, 4, 4);
    const rule = await createRule({
      modelId: model.id,
      name: 'Labels stopped arriving',
      metricName: 'labels.coverage',
      aggregation: 'min',
      windowMinutes: 60,
      bucket: '1h',
      evaluationLagMinutes: 120,
      comparator: 'lt',
      threshold: 0.5,
      severity: 'warning',
      noDataMinutes: 120,
    });
    // 10:05: the window ends at 08:05 and holds the 07:00 bucket (coverage 1); 08:00–10:00 are unlabelled by design.
    await evaluateAll();
    expect(await ruleAlerts(rule.id)).toEqual([]);

    // 11:05: the 08:00 bucket is overdue and still unlabelled.
    testApp.clock.set(hour(11, 5));
    await logHour(model.id, 11, 4);
    await evaluateAll();
    const [stopped] = await ruleAlerts(rule.id);
    expect(stopped).toMatchObject({
      status: 'firing',
      severity: 'warning',
      value: 0,
      title: expect.stringContaining('Labels stopped arriving'),
    });

    // Its labels arrive late (11:07): the ingest re-evaluates and the alert resolves.
    testApp.clock.set(hour(11, 7));
    await labelHour(model.id, 8, 4, 2);
    expect(await ruleAlerts(rule.id)).toEqual([expect.objectContaining({ id: stopped.id, status: 'resolved' })]);

    // 14:00: no prediction since 11:00 (the last bucket with data starts then) for more than 120 minutes: no_data.
    testApp.clock.set(hour(14));
    await evaluateAll();
    expect(await ruleAlerts(rule.id, 'no_data')).toEqual([expect.objectContaining({ status: 'firing' })]);
    expect(await ruleAlerts(rule.id)).toEqual([expect.objectContaining({ id: stopped.id, status: 'resolved' })]);
    testApp.clock.advanceMinutes(1);
    await logHour(model.id, 14, 1); // predictions again: the ingest resolves it
    expect(await ruleAlerts(rule.id, 'no_data')).toEqual([expect.objectContaining({ status: 'resolved' })]);
  });

  it('flags anomalies and forecasts a computed series in GET /metrics/trend as for a pushed one', async () => {
    testApp.clock.set(hour(12));
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    // Hours 0–8: accuracy 1, 0.8, 1, … (five 1s, four 0.8s: median 1, MAD 0); hour 9: 0. A bucket is judged against
    // ≥ 8 earlier ones and, with MAD 0, any value other than the median is flagged (anomaly.stats.ts): hour 9 only.
    for (let h = 0; h < 10; h++) {
      await logHour(model.id, h, 5);
      await labelHour(model.id, h, 5, h === 9 ? 0 : h % 2 === 0 ? 5 : 4);
    }
    const trend = await testApp
      .http()
      .get('/api/v1/metrics/trend')
      .query({ modelId: model.id, metricName: 'realized.accuracy', bucket: '1h', from: hour(0), to: hour(10), forecastHorizon: 2 })
      .expect(200);
    expect(trend.body.points).toHaveLength(10);
    expect(trend.body.anomalies.map((anomaly: { bucketStart: string }) => anomaly.bucketStart)).toEqual([hour(9)]);
    expect(trend.body.forecast.map((point: { bucketStart: string }) => point.bucketStart)).toEqual([hour(10), hour(11)]);
  });

  it('sets a baseline from a computed series and checks degradation against its current bucket values', async () => {
    testApp.clock.set(hour(4));
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    for (const [h, correct] of [
      [0, 5],
      [1, 5],
      [2, 3],
      [3, 3],
    ]) {
      await logHour(model.id, h, 5);
      await labelHour(model.id, h, 5, correct);
    }
    const baseline = await testApp
      .http()
      .put(`/api/v1/models/${model.id}/baselines/realized.accuracy`)
      .send({ from: hour(0), to: hour(2) })
      .expect(200);
    expect(baseline.body).toMatchObject({ value: 1, computedCount: 2 });
    // Over the last 6 h the hourly accuracies are 1, 1, 0.6, 0.6: mean 0.8, 20 % below the baseline (tolerance 5 %).
    const degradation = await testApp.http().get('/api/v1/metrics/degradation').query({ modelId: model.id, window: '6h' }).expect(200);
    expect(degradation.body.items).toEqual([
      expect.objectContaining({ metricName: 'realized.accuracy', baseline: 1, count: 4, degraded: true }),
    ]);
    expect(degradation.body.items[0].current).toBeCloseTo(0.8, 12);
    const refused = await testApp.http().put(`/api/v1/models/${model.id}/baselines/realized.rmse`).send({ value: 1 });
    expectProblem(refused, 400);
    expect(refused.body.errors[0].field).toBe('metricName');
  });

  it('checks degradation of a computed name in each of its environments, and gives no current value to a name no longer served', async () => {
    testApp.clock.set(hour(4));
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    // production: every prediction right; staging: 3 of 5 right each hour
    for (const h of [0, 1, 2, 3]) {
      await logHour(model.id, h, 5);
      await labelHour(model.id, h, 5, 5);
      const staging = Array.from({ length: 5 }, (_, i) => ({ modelId: model.id, predictionId: `s${h}-${i}`, environment: 'staging' }));
      await testApp
        .http()
        .post('/api/v1/predictions')
        .send({ predictions: staging.map((prediction, i) => ({ ...prediction, score: 0.9, predictedAt: hour(h, i) })) })
        .expect(201);
      await testApp
        .http()
        .post('/api/v1/labels')
        .send({
          labels: staging.map((prediction, i) => ({ modelId: model.id, predictionId: prediction.predictionId, label: i < 3 ? 1 : 0 })),
        })
        .expect(201);
    }
    const expect200 = (path: string, body: Record<string, unknown>) => testApp.http().put(path).send(body).expect(200);
    const age = { name: 'age', type: 'numerical', min: 0, max: 100, nullable: true };
    await expect200(`/api/v1/models/${model.id}/data-quality-expectations`, { features: [age] });
    for (const environment of ['production', 'staging'])
      await expect200(`/api/v1/models/${model.id}/baselines/realized.accuracy`, { value: 1, environment });
    await expect200(`/api/v1/models/${model.id}/baselines/quality.missing_share.age`, { value: 0, direction: 'lower_is_better' });
    // the model stops serving quality.missing_share.age: its given expectations no longer hold the feature
    await expect200(`/api/v1/models/${model.id}/data-quality-expectations`, { features: [{ ...age, name: 'income' }] });
    const degradation = await testApp.http().get('/api/v1/metrics/degradation').query({ modelId: model.id, window: '6h' }).expect(200);
    expect(degradation.body.items).toHaveLength(3);
    expect(degradation.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ metricName: 'realized.accuracy', environment: 'production', current: 1, count: 4, degraded: false }),
        expect.objectContaining({ metricName: 'realized.accuracy', environment: 'staging', count: 4, degraded: true }),
        expect.objectContaining({ metricName: 'quality.missing_share.age', environment: 'production', current: null, count: 0 }),
      ]),
    );
    const staging = degradation.body.items.find((item: { environment: string }) => item.environment === 'staging');
    expect(staging.current).toBeCloseTo(0.6, 12);
  });

  it('refuses a computed metric the model does not serve, and bucket/lag settings that do not fit, naming the field; nothing written', async () => {
    const binary = await createModel(testApp, { taskType: 'binary_classification' });
    const base = { modelId: binary.id, aggregation: 'avg', windowMinutes: 60, comparator: 'gt', threshold: 1, severity: 'warning' };
    const cases: [Record<string, unknown>, string][] = [
      [{ metricName: 'realized.mae' }, 'metricName'],
      [{ metricName: 'estimated.nonsense' }, 'metricName'],
      [{ metricName: 'realized.accuracy', bucket: '6h' }, 'windowMinutes'],
      [{ metricName: 'accuracy', bucket: '1h' }, 'bucket'],
      [{ metricName: 'accuracy', evaluationLagMinutes: 30 }, 'evaluationLagMinutes'],
      [{ metricName: 'realized.accuracy', evaluationLagMinutes: 43_201 }, 'evaluationLagMinutes'],
    ];
    for (const [change, field] of cases) {
      const response = await testApp
        .http()
        .post('/api/v1/alert-rules')
        .send({ ...base, ...change });
      expectProblem(response, 400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
    }
    const preview = await testApp
      .http()
      .post('/api/v1/alert-rules/preview')
      .send({ rule: { ...base, metricName: 'realized.mae' }, from: hour(0), to: hour(1) });
    expectProblem(preview, 400);
    expect(preview.body.errors.map((error: { field: string }) => error.field)).toEqual(['metricName']);
    const other = await createModel(testApp, { taskType: 'other' });
    const onOther = await testApp
      .http()
      .post('/api/v1/alert-rules')
      .send({ ...base, modelId: other.id, metricName: 'labels.coverage' });
    expectProblem(onOther, 400);
    expect(onOther.body.errors[0].field).toBe('metricName');
    const listed = await testApp.http().get('/api/v1/alert-rules').query({ modelId: binary.id }).expect(200);
    expect(listed.body.items).toEqual([]);

    // A PATCH to a computed name is checked the same way; moving a computed rule to a pushed metric drops its bucket.
    const rule = await createRule({ ...base, metricName: 'realized.recall', evaluationLagMinutes: 60 });
    const patched = await testApp.http().patch(`/api/v1/alert-rules/${rule.id}`).send({ metricName: 'realized.rmse' });
    expectProblem(patched, 400);
    expect(patched.body.errors[0].field).toBe('metricName');
    const moved = await testApp.http().patch(`/api/v1/alert-rules/${rule.id}`).send({ metricName: 'accuracy' }).expect(200);
    expect(moved.body).toMatchObject({ metricName: 'accuracy', bucket: null, evaluationLagMinutes: 0 });
  });
});
