import { AlertRuleEvaluator } from 'src/alerts/alert-rule-evaluator.service';
import { DataQualityAlerts } from 'src/data-quality/data-quality-alerts.service';
import { checkDrift, listAlerts, putReference } from 'test/support/drift-factories';
import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/**
 * Data-quality checks on logged prediction features and on drift-check samples. Expected values from numpy, beside
 * each (MISSING is an absent key; `shares` computes missing / rows, numbers outside [lo, hi] / numbers, non-numbers /
 * present and values not in the categories / present):
 *
 *   import numpy as np
 *   MISSING = object()
 *   def shares(values, kind, lo=None, hi=None, cats=None):
 *       n = len(values); missing = np.array([v is None or v is MISSING for v in values])
 *       present = [v for v, m in zip(values, missing) if not m]
 *       if kind == 'numerical':
 *           nums = np.array([v for v in present if isinstance(v, (int, float))], dtype=float)
 *           mismatch = sum(1 for v in present if not isinstance(v, (int, float)))
 *           return dict(count=n, missing=missing.mean(), out_of_range=np.mean((nums < lo) | (nums > hi)), type_mismatch=mismatch / len(present))
 *       return dict(count=n, missing=missing.mean(), type_mismatch=0.0, unseen=np.mean([str(v) not in cats for v in present]))
 *   ref_age = np.array([20, 25, 30, 35, 40, 45, 50, 55, 60, 65], dtype=float)
 *   ref_plan = ['basic', 'pro', 'basic', 'pro', 'free', 'basic', 'pro', 'free', 'basic', None]
 *   cats = set(p for p in ref_plan if p is not None)
 *   shares([18, 22, 70, None, 'forty', 30, 66, 64.9, 20, 65, MISSING, 40], 'numerical', ref_age.min(), ref_age.max())
 *     # count 12, missing 0.16666666666666666, out_of_range 0.3333333333333333, type_mismatch 0.1
 *   shares(['basic', 'enterprise', 'pro', None, 'trial', 'free', 'basic', 7, 'pro', 'basic', 'pro', MISSING], 'categorical', cats=cats)
 *     # count 12, missing 0.16666666666666666, type_mismatch 0.0, unseen 0.3
 *   shares([18, None, 30, 70, 40], 'numerical', 20, 65)          # count 5, missing 0.2, out_of_range 0.5, type_mismatch 0.0
 *   shares(['basic', 'gold', None, 'pro'], 'categorical', cats=cats)  # count 4, missing 0.25, unseen 0.3333333333333333
 *   shares([18, None, 30, 70, 40], 'numerical', 0, 100)           # out_of_range 0.0
 */
const REF_AGE = [20, 25, 30, 35, 40, 45, 50, 55, 60, 65];
const REF_PLAN = ['basic', 'pro', 'basic', 'pro', 'free', 'basic', 'pro', 'free', 'basic', null];
const ABSENT = Symbol('absent');
const AGE_10 = [18, 22, 70, null, 'forty', 30, 66, 64.9, 20, 65, ABSENT, 40];
const PLAN_10 = ['basic', 'enterprise', 'pro', null, 'trial', 'free', 'basic', 7, 'pro', 'basic', 'pro', ABSENT];

const at = (hour: number, minute: number) => new Date(Date.UTC(2026, 3, 1, hour, minute)).toISOString();
const H10 = '2026-04-01T10:00:00.000Z';
const H11 = '2026-04-01T11:00:00.000Z';

describe('data quality (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const features = (age: unknown, plan: unknown) => ({
    ...(age === ABSENT ? {} : { age }),
    ...(plan === ABSENT ? {} : { plan }),
  });

  /** Reference hour 09 (clean), messy hour 10, clean hour 11 (6 predictions). */
  async function seed() {
    testApp.clock.set('2026-04-01T11:00:00.000Z');
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    const predictions = [
      ...REF_AGE.map((age, i) => ({ predictionId: `ref-${i}`, predictedAt: at(9, i), features: features(age, REF_PLAN[i]) })),
      ...AGE_10.map((age, i) => ({ predictionId: `h10-${i}`, predictedAt: at(10, i), features: features(age, PLAN_10[i]) })),
      ...[21, 33, 44, 55, 60, 64].map((age, i) => ({ predictionId: `h11-${i}`, predictedAt: at(11, i), features: { age, plan: 'basic' } })),
    ].map((prediction) => ({ ...prediction, modelId: model.id, score: 0.5 }));
    await testApp.http().post('/api/v1/predictions').send({ predictions }).expect(201);
    return model;
  }

  const learn = (modelId: string) =>
    testApp
      .http()
      .put(`/api/v1/models/${modelId}/data-quality-reference`)
      .send({ from: at(9, 0), to: at(10, 0) });

  it('learns expectations from a reference window and serves the shares per bucket and as trend metrics', async () => {
    const model = await seed();
    const learned = await learn(model.id).expect(200);
    expect(learned.body).toMatchObject({
      modelId: model.id,
      reference: { from: at(9, 0), to: H10, environment: 'production' },
      features: [
        { name: 'age', type: 'numerical', min: 20, max: 65, categories: null, nullable: false, source: 'learned' },
        {
          name: 'plan',
          type: 'categorical',
          min: null,
          max: null,
          categories: ['basic', 'free', 'pro'],
          nullable: true,
          source: 'learned',
        },
      ],
      thresholds: {
        missingShare: 0.05,
        outOfRangeShare: 0.1,
        unseenCategoryShare: 0.05,
        typeMismatchShare: 0,
        windowMinutes: 60,
        minCount: 30,
      },
    });

    const quality = await testApp
      .http()
      .get(`/api/v1/models/${model.id}/data-quality`)
      .query({ from: at(10, 0), to: at(12, 0), bucket: '1h' })
      .expect(200);
    const [age, plan] = quality.body.features;
    expect(age).toMatchObject({ name: 'age', type: 'numerical', source: 'learned' });
    expect(age.buckets[0]).toEqual({
      bucketStart: H10,
      count: 12,
      missingShare: expect.closeTo(0.16666666666666666, 15),
      outOfRangeShare: expect.closeTo(0.3333333333333333, 15),
      unseenCategoryShare: null,
      typeMismatchShare: expect.closeTo(0.1, 15),
    });
    expect(age.buckets[1]).toEqual({
      bucketStart: H11,
      count: 6,
      missingShare: 0,
      outOfRangeShare: 0,
      unseenCategoryShare: null,
      typeMismatchShare: 0,
    });
    expect(plan.buckets[0]).toEqual({
      bucketStart: H10,
      count: 12,
      missingShare: expect.closeTo(0.16666666666666666, 15),
      outOfRangeShare: null,
      unseenCategoryShare: expect.closeTo(0.3, 15),
      typeMismatchShare: 0,
    });

    const trend = async (metricName: string) =>
      (
        await testApp
          .http()
          .get('/api/v1/metrics/trend')
          .query({ modelId: model.id, metricName, bucket: '1h', from: at(10, 0), to: at(12, 0) })
          .expect(200)
      ).body.points.map((point: { bucketStart: string; value: number; count: number }) => [point.bucketStart, point.value, point.count]);
    // count = the share's denominator: 9 numbers for the range, 10 present values for type and unseen, 12 rows for missing
    expect(await trend('quality.out_of_range_share.age')).toEqual([
      [H10, expect.closeTo(1 / 3, 15), 9],
      [H11, 0, 6],
    ]);
    expect(await trend('quality.type_mismatch_share.age')).toEqual([
      [H10, expect.closeTo(0.1, 15), 10],
      [H11, 0, 6],
    ]);
    expect(await trend('quality.missing_share.plan')).toEqual([
      [H10, expect.closeTo(1 / 6, 15), 12],
      [H11, 0, 6],
    ]);
    expect(await trend('quality.unseen_category_share.plan')).toEqual([
      [H10, expect.closeTo(0.3, 15), 10],
      [H11, 0, 6],
    ]);
    // a share undefined for the feature's type has no point
    expect(await trend('quality.unseen_category_share.age')).toEqual([]);
  });

  it('a threshold rule on a quality.* name fires on the share the trend serves and resolves when the next bucket is clean', async () => {
    const model = await seed();
    await learn(model.id).expect(200);
    const rules = testApp.http();
    const body = {
      modelId: model.id,
      aggregation: 'last',
      windowMinutes: 60,
      bucket: '1h',
      comparator: 'gt',
      threshold: 0.2,
      severity: 'warning',
    };
    // a feature without expectation, or a malformed name, is refused naming metricName; nothing written
    for (const metricName of ['quality.missing_share.income', 'quality.missing_share']) {
      const refused = await rules
        .post('/api/v1/alert-rules')
        .send({ ...body, metricName })
        .expect(400);
      expect(expectProblem(refused, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'metricName', message: expect.any(String) }]);
    }
    const rule = (
      await rules
        .post('/api/v1/alert-rules')
        .send({ ...body, metricName: 'quality.out_of_range_share.age' })
        .expect(201)
    ).body;
    const ruleAlerts = async () =>
      (
        (await rules.get('/api/v1/alerts').query({ type: 'metric_threshold', limit: 500 }).expect(200)).body.items as Array<{
          id: string;
          ruleId: string;
          status: string;
          value: number;
        }>
      ).filter((alert) => alert.ruleId === rule.id);
    // 11:00: the window [10:00, 11:00] holds the 10:00 bucket, out-of-range share 1/3 (numpy above) > 0.2
    await testApp.get(AlertRuleEvaluator).evaluateAll();
    const [firing] = await ruleAlerts();
    expect(firing).toMatchObject({ status: 'firing', value: expect.closeTo(1 / 3, 15) });
    // 12:30: the 11:00 bucket (share 0) ended inside the window: resolved
    testApp.clock.set(at(12, 30));
    await testApp.get(AlertRuleEvaluator).evaluateAll();
    expect(await ruleAlerts()).toEqual([expect.objectContaining({ id: firing.id, status: 'resolved' })]);
  });

  it('given expectations win over learned ones, and thresholds are kept per model', async () => {
    const model = await seed();
    await learn(model.id).expect(200);
    const set = await testApp
      .http()
      .put(`/api/v1/models/${model.id}/data-quality-expectations`)
      .send({
        features: [{ name: 'age', type: 'numerical', min: 0, max: 100, nullable: true }],
        thresholds: {
          missingShare: 0.2,
          outOfRangeShare: 0.2,
          unseenCategoryShare: 0.2,
          typeMismatchShare: 0.2,
          windowMinutes: 30,
          minCount: 5,
        },
      })
      .expect(200);
    expect(set.body.features).toEqual([
      { name: 'age', type: 'numerical', min: 0, max: 100, categories: null, nullable: true, source: 'given' },
      expect.objectContaining({ name: 'plan', source: 'learned' }),
    ]);
    expect(set.body.thresholds).toMatchObject({ missingShare: 0.2, windowMinutes: 30, minCount: 5 });
    // relearning replaces learned rows only
    const relearned = await learn(model.id).expect(200);
    expect(relearned.body.features[0]).toMatchObject({ name: 'age', source: 'given', min: 0, max: 100 });
    expect(relearned.body.thresholds).toMatchObject({ missingShare: 0.2 });
    const quality = await testApp
      .http()
      .get(`/api/v1/models/${model.id}/data-quality`)
      .query({ from: at(10, 0), to: at(11, 0), bucket: '1h', feature: 'age' })
      .expect(200);
    expect(quality.body.features).toHaveLength(1);
    // every number of hour 10 (18 … 70) is inside the given [0, 100], though three are outside the learned [20, 65]
    expect(quality.body.features[0].buckets[0]).toMatchObject({ count: 12, outOfRangeShare: 0 });
  });

  it('the drift check reports its current sample against the reference sample, or the given expectation', async () => {
    const model = await createModel(testApp);
    await putReference(testApp, model.id, [
      { name: 'age', values: REF_AGE },
      { name: 'plan', values: REF_PLAN },
    ]);
    const current = {
      features: [
        { name: 'age', values: [18, null, 30, 70, 40] },
        { name: 'plan', values: ['basic', 'gold', null, 'pro'] },
      ],
    };
    const result = await checkDrift(testApp, { modelId: model.id, current });
    expect(result.features).toHaveLength(2);
    expect(result.dataQuality).toEqual([
      {
        name: 'age',
        type: 'numerical',
        source: 'reference',
        count: 5,
        missingShare: expect.closeTo(0.2, 15),
        outOfRangeShare: 0.5,
        unseenCategoryShare: null,
        typeMismatchShare: 0,
      },
      {
        name: 'plan',
        type: 'categorical',
        source: 'reference',
        count: 4,
        missingShare: 0.25,
        outOfRangeShare: null,
        unseenCategoryShare: expect.closeTo(1 / 3, 15),
        typeMismatchShare: 0,
      },
    ]);
    await testApp
      .http()
      .put(`/api/v1/models/${model.id}/data-quality-expectations`)
      .send({ features: [{ name: 'age', type: 'numerical', min: 0, max: 100 }] })
      .expect(200);
    const withGiven = await checkDrift(testApp, { modelId: model.id, current });
    expect(withGiven.dataQuality[0]).toMatchObject({ name: 'age', source: 'given', outOfRangeShare: 0 });
    expect(withGiven.dataQuality[1]).toMatchObject({ name: 'plan', source: 'reference' });
    // stored with the check: GET returns what POST did
    const stored = await testApp.http().get(`/api/v1/drift/checks/${withGiven.checkId}`).expect(200);
    expect(stored.body.dataQuality).toEqual(withGiven.dataQuality);
  });

  it('raises one data_quality alert per feature and check while a share is above its threshold, and resolves it when it clears', async () => {
    const model = await seed();
    await learn(model.id).expect(200);
    await testApp
      .http()
      .put(`/api/v1/models/${model.id}/data-quality-expectations`)
      .send({
        thresholds: {
          missingShare: 0.05,
          outOfRangeShare: 0.1,
          unseenCategoryShare: 0.05,
          typeMismatchShare: 0,
          windowMinutes: 60,
          minCount: 5,
        },
      })
      .expect(200);
    const alerts = testApp.get(DataQualityAlerts);
    // window [10:00, 11:00): age missing 1/6 > 0 (not nullable), out of range 1/3 > 0.1, type mismatch 0.1 > 0;
    // plan missing 1/6 > 0.05, unseen 0.3 > 0.05
    expect(await alerts.evaluateModel(model.id)).toEqual({ models: 1, raised: 5, resolved: 0 });
    expect(await alerts.evaluateModel(model.id)).toEqual({ models: 1, raised: 5, resolved: 0 });
    const open = await listAlerts(testApp, { modelId: model.id, type: 'data_quality' });
    expect(open.map((alert) => `${alert.labels.feature}/${alert.labels.check}/${alert.status}`).sort()).toEqual([
      'age/missing_share/firing',
      'age/out_of_range_share/firing',
      'age/type_mismatch_share/firing',
      'plan/missing_share/firing',
      'plan/unseen_category_share/firing',
    ]);
    const outOfRange = open.find((alert) => alert.labels.check === 'out_of_range_share')!;
    expect(outOfRange).toMatchObject({ severity: 'warning', value: expect.closeTo(1 / 3, 15), occurrences: 2 });

    testApp.clock.set('2026-04-01T12:00:00.000Z'); // window [11:00, 12:00): six clean predictions
    expect(await alerts.evaluateModel(model.id)).toEqual({ models: 1, raised: 0, resolved: 5 });
    const after = await listAlerts(testApp, { modelId: model.id, type: 'data_quality' });
    expect(after.map((alert) => alert.status)).toEqual(Array(5).fill('resolved'));

    testApp.clock.set('2026-04-01T13:00:00.000Z'); // an empty window (fewer than minCount predictions) changes nothing
    expect(await alerts.evaluateModel(model.id)).toEqual({ models: 1, raised: 0, resolved: 0 });
  });

  describe('bad input', () => {
    it('refuses a bad reference window, naming the field, and writes nothing', async () => {
      const model = await seed();
      const path = `/api/v1/models/${model.id}/data-quality-reference`;
      const cases: [Record<string, unknown>, string][] = [
        [{ from: at(10, 0), to: at(9, 0) }, 'from'],
        [{ from: at(9, 0) }, 'to'],
        [{ from: 'yesterday', to: at(9, 0) }, 'from'],
        [{ from: at(0, 0), to: at(1, 0) }, 'from'], // no prediction in the window
        [{ from: at(9, 0), to: at(10, 0), environment: '' }, 'environment'],
        [{ from: at(9, 0), to: at(10, 0), extra: 1 }, 'extra'],
      ];
      for (const [body, field] of cases) {
        const response = await testApp.http().put(path).send(body);
        expectProblem(response, 400);
        expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      }
      const stored = await testApp.http().get(`/api/v1/models/${model.id}/data-quality-expectations`).expect(200);
      expect(stored.body).toMatchObject({ reference: null, features: [] });
    });

    it('refuses bad given expectations and thresholds, naming each field, and writes nothing', async () => {
      const model = await createModel(testApp);
      const response = await testApp
        .http()
        .put(`/api/v1/models/${model.id}/data-quality-expectations`)
        .send({
          features: [
            { name: 'age', type: 'numerical', min: 10, max: 1 },
            { name: 'plan', type: 'numerical', categories: ['a'] },
            { name: 'age', type: 'categorical', min: 3 },
          ],
        });
      expectProblem(response, 400);
      expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'features[0].max',
        'features[1].categories',
        'features[2].min',
        'features[2].name',
      ]);
      const typed = await testApp
        .http()
        .put(`/api/v1/models/${model.id}/data-quality-expectations`)
        .send({
          features: [{ name: 'x', type: 'text' }],
          thresholds: {
            missingShare: 2,
            outOfRangeShare: 0.1,
            unseenCategoryShare: 0.1,
            typeMismatchShare: 0,
            windowMinutes: 0,
            minCount: 1,
          },
        });
      expectProblem(typed, 400);
      expect(typed.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'features[0].type',
        'thresholds.missingShare',
        'thresholds.windowMinutes',
      ]);
      const stored = await testApp.http().get(`/api/v1/models/${model.id}/data-quality-expectations`).expect(200);
      expect(stored.body.features).toEqual([]);
    });

    it('refuses unknown features and malformed quality metric names; quality.* cannot be pushed', async () => {
      const model = await seed();
      await learn(model.id).expect(200);
      const unknownFeature = await testApp.http().get(`/api/v1/models/${model.id}/data-quality`).query({ feature: 'nope' });
      expectProblem(unknownFeature, 400);
      expect(unknownFeature.body.errors[0].field).toBe('feature');
      for (const metricName of ['quality.bogus.age', 'quality.missing_share', 'quality.missing_share.nope']) {
        const response = await testApp.http().get('/api/v1/metrics/trend').query({ modelId: model.id, metricName });
        expectProblem(response, 400);
        expect(response.body.errors[0].field).toBe('metricName');
      }
      const pushed = await testApp
        .http()
        .post('/api/v1/metrics/record')
        .send({ points: [{ modelId: model.id, metricName: 'quality.missing_share.age', value: 0.5 }] });
      expectProblem(pushed, 400);
      expect(pushed.body.errors[0].field).toBe('points[0].metricName');
    });

    it('answers 404 for an unknown model and 400 for a malformed id', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      expectProblem(await testApp.http().get(`/api/v1/models/${unknown}/data-quality-expectations`), 404);
      expectProblem(await testApp.http().get(`/api/v1/models/${unknown}/data-quality`), 404);
      expectProblem(
        await testApp
          .http()
          .put(`/api/v1/models/${unknown}/data-quality-reference`)
          .send({ from: at(9, 0), to: at(10, 0) }),
        404,
      );
      expectProblem(await testApp.http().get('/api/v1/models/not-a-uuid/data-quality'), 400);
    });
  });
});
