import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/**
 * Realized metrics and label coverage/delay in GET /metrics/trend. Expected values by hand (scikit-learn definitions):
 * hour 10: scores 0.9, 0.8, 0.3, 0.2 labelled 1, 0, 1, 0 and 0.6 unlabelled; threshold 0.5 → TP = FP = FN = TN = 1;
 * AUC = 3 of 4 (positive, negative) pairs ordered = 0.75; log loss = mean(−ln 0.9, −ln 0.2, −ln 0.3, −ln 0.8);
 * Brier = (0.01 + 0.64 + 0.49 + 0.04)/4 = 0.295; delays 60, 120, 180, 240 s → p50 150, p95 = 180 + 0.85·60 = 231
 * (numpy.quantile, linear). Hour 11: two unlabelled predictions → coverage 0 and no realized point.
 */
describe('realized metrics in GET /metrics/trend (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const at = (minutes: number) => new Date(Date.parse('2026-04-01T10:00:00Z') + minutes * 60_000).toISOString();

  async function seed() {
    testApp.clock.set('2026-04-02T00:00:00.000Z');
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    const scores = [0.9, 0.8, 0.3, 0.2, 0.6];
    await testApp
      .http()
      .post('/api/v1/predictions')
      .send({
        predictions: [
          ...scores.map((score, i) => ({ modelId: model.id, predictionId: `h10-${i}`, score, predictedAt: at(i) })),
          { modelId: model.id, predictionId: 'h11-0', score: 0.7, predictedAt: at(65) },
          { modelId: model.id, predictionId: 'h11-1', score: 0.1, predictedAt: at(70), segment: { region: 'eu' } },
        ],
      })
      .expect(201);
    await testApp
      .http()
      .post('/api/v1/labels')
      .send({
        labels: [1, 0, 1, 0].map((label, i) => ({
          modelId: model.id,
          predictionId: `h10-${i}`,
          label,
          labelledAt: new Date(Date.parse(at(i)) + (i + 1) * 60_000).toISOString(),
        })),
      })
      .expect(201);
    return model;
  }

  const trend = (modelId: string, metricName: string) =>
    testApp
      .http()
      .get('/api/v1/metrics/trend')
      .query({ modelId, metricName, bucket: '1h', from: '2026-04-01T09:00:00Z', to: '2026-04-01T13:00:00Z' });

  it('serves realized binary metrics, coverage and label delay with the trend summary', async () => {
    const model = await seed();
    const values = async (metricName: string) => {
      const response = await trend(model.id, metricName).expect(200);
      return response.body.points.map((point: { bucketStart: string; value: number; count: number }) => [
        point.bucketStart,
        point.value,
        point.count,
      ]);
    };
    const h10 = '2026-04-01T10:00:00.000Z';
    const h11 = '2026-04-01T11:00:00.000Z';
    for (const metric of ['accuracy', 'precision', 'recall', 'f1', 'positive_rate'])
      expect(await values(`realized.${metric}`)).toEqual([[h10, 0.5, 4]]);
    expect(await values('realized.auc')).toEqual([[h10, 0.75, 4]]);
    const [[, logLoss]] = await values('realized.log_loss');
    expect(logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.2) + Math.log(0.3) + Math.log(0.8)) / 4, 12);
    const [[, brier]] = await values('realized.brier');
    expect(brier).toBeCloseTo(0.295, 12);
    expect(await values('labels.coverage')).toEqual([
      [h10, 0.8, 5],
      [h11, 0, 2],
    ]);
    expect(await values('labels.delay_p50')).toEqual([[h10, 150, 4]]);
    const [[, p95]] = await values('labels.delay_p95');
    expect(p95).toBeCloseTo(231, 9);
    const segmented = await testApp
      .http()
      .get('/api/v1/metrics/trend')
      .query({
        modelId: model.id,
        metricName: 'labels.coverage',
        bucket: '1h',
        from: '2026-04-01T09:00:00Z',
        to: '2026-04-01T13:00:00Z',
        'segment.region': 'eu',
      })
      .expect(200);
    expect(segmented.body.points.map((point: { value: number; count: number }) => [point.value, point.count])).toEqual([[0, 1]]);
  });

  it('multiclass and regression models get their own realized metrics', async () => {
    testApp.clock.set('2026-04-02T00:00:00.000Z');
    const multiclass = await createModel(testApp, { taskType: 'multiclass_classification' });
    const rows: [Record<string, number>, string][] = [
      [{ cat: 0.7, dog: 0.2, fox: 0.1 }, 'cat'],
      [{ cat: 0.1, dog: 0.6, fox: 0.3 }, 'fox'],
      [{ cat: 0.2, dog: 0.5, fox: 0.3 }, 'dog'],
      [{ cat: 0.4, dog: 0.4, fox: 0.2 }, 'dog'],
    ];
    const post = (path: string, body: object) => testApp.http().post(path).send(body).expect(201);
    await post('/api/v1/predictions', {
      predictions: rows.map(([probabilities], i) => ({ modelId: multiclass.id, predictionId: `m${i}`, probabilities, predictedAt: at(i) })),
    });
    await post('/api/v1/labels', { labels: rows.map(([, label], i) => ({ modelId: multiclass.id, predictionId: `m${i}`, label })) });
    const value = async (modelId: string, metricName: string) => {
      const response = await trend(modelId, metricName).expect(200);
      expect(response.body.points).toHaveLength(1);
      return response.body.points[0].value as number;
    };
    // predicted cat, dog, dog, cat (the 0.4/0.4 tie goes to cat); per-class F1 cat 2/3, dog 1/2, fox 0; supports 1, 2, 1
    expect(await value(multiclass.id, 'realized.accuracy')).toBe(0.5);
    expect(await value(multiclass.id, 'realized.macro_f1')).toBeCloseTo((2 / 3 + 0.5 + 0) / 3, 12);
    expect(await value(multiclass.id, 'realized.weighted_f1')).toBeCloseTo((2 / 3 + 0.5 * 2) / 4, 12);
    // precision cat 1/2, dog 1/2, fox never predicted: 0 (sklearn zero_division); recall cat 1, dog 1/2, fox 0
    expect(await value(multiclass.id, 'realized.macro_precision')).toBeCloseTo((0.5 + 0.5 + 0) / 3, 12);
    expect(await value(multiclass.id, 'realized.macro_recall')).toBeCloseTo((1 + 0.5 + 0) / 3, 12);
    // one-vs-rest AUC: cat 1 (0.7 above 0.1, 0.2, 0.4), dog 1/2 (0.5, 0.4 against 0.2, 0.6), fox 5/6 (0.3 against 0.1, 0.3 tie, 0.2)
    expect(await value(multiclass.id, 'realized.macro_auc')).toBeCloseTo((1 + 0.5 + 2.5 / 3) / 3, 12);
    expect(await value(multiclass.id, 'realized.log_loss')).toBeCloseTo(
      -(Math.log(0.7) + Math.log(0.3) + Math.log(0.5) + Math.log(0.4)) / 4,
      12,
    );

    const regression = await createModel(testApp, { taskType: 'regression' });
    const pairs = [
      [10, 12],
      [20, 18],
      [30, 33],
      [40, 40],
    ];
    await post('/api/v1/predictions', {
      predictions: pairs.map(([, prediction], i) => ({ modelId: regression.id, predictionId: `r${i}`, prediction, predictedAt: at(i) })),
    });
    await post('/api/v1/labels', { labels: pairs.map(([label], i) => ({ modelId: regression.id, predictionId: `r${i}`, label })) });
    // errors −2, 2, −3, 0: MAE 7/4, RMSE √(17/4), MAPE (0.2 + 0.1 + 0.1)/4, R² = 1 − 17/500
    expect(await value(regression.id, 'realized.mae')).toBe(1.75);
    expect(await value(regression.id, 'realized.rmse')).toBeCloseTo(Math.sqrt(17 / 4), 12);
    expect(await value(regression.id, 'realized.mape')).toBeCloseTo(0.1, 12);
    expect(await value(regression.id, 'realized.r2')).toBeCloseTo(1 - 17 / 500, 12);
    expect(await value(regression.id, 'labels.coverage')).toBe(1);
    expectProblem(await trend(regression.id, 'realized.auc'), 400);
  });

  it('refuses what is not computed: another task type, an unknown computed name, a band, and pushed points with those names', async () => {
    const other = await createModel(testApp, { taskType: 'ranking' });
    expect(expectProblem(await trend(other.id, 'realized.auc'), 400).errors!.map((error) => error.field)).toEqual(['metricName']);
    const binary = await createModel(testApp, { taskType: 'binary_classification' });
    expectProblem(await trend(binary.id, 'realized.mape'), 400);
    expectProblem(await trend(binary.id, 'realized.auc').query({ band: true }), 400);
    expectProblem(await trend('00000000-0000-4000-8000-000000000000', 'realized.auc'), 404);
    const pushed = await testApp
      .http()
      .post('/api/v1/metrics/record')
      .send({ points: [{ modelId: binary.id, metricName: 'labels.coverage', value: 1 }] });
    expect(expectProblem(pushed, 400).errors!.map((error) => error.field)).toEqual(['points[0].metricName']);
  });
});
