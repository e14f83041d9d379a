import { DataSource } from 'typeorm';
import { MetricRollupWorker } from 'src/metrics/metric-rollup-worker.service';
import { MetricsService } from 'src/metrics/metrics.service';
import { createModel, expectProblem } from 'test/support/factories';
import { recordMetrics, series } from 'test/support/metrics-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('GET /metrics/latest, GET /metrics/compare, MetricsService.aggregateWindow (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
    testApp.clock.set('2025-06-01T00:00:00.000Z');
  });
  afterAll(() => testApp.close());

  describe('latest', () => {
    it('returns the latest point of each version, environment and metric (v_latest_model_performance)', async () => {
      const model = await createModel(testApp);
      const base = { modelId: model.id };
      await recordMetrics(testApp, [
        { ...base, metricName: 'accuracy', value: 0.8, recordedAt: '2025-05-01T00:00:00Z' },
        { ...base, metricName: 'accuracy', value: 0.85, recordedAt: '2025-05-02T00:00:00Z' },
        { ...base, metricName: 'accuracy', value: 0.7, recordedAt: '2025-04-01T00:00:00Z' }, // recorded last, older
        { ...base, metricName: 'accuracy', value: 0.9, recordedAt: '2025-05-03T00:00:00Z', modelVersion: 'v2' },
        { ...base, metricName: 'accuracy', value: 0.6, recordedAt: '2025-05-04T00:00:00Z', environment: 'staging' },
        { ...base, metricName: 'latency', value: 120, recordedAt: '2025-05-05T00:00:00Z' },
      ]);
      const { body } = await testApp.http().get('/api/v1/metrics/latest').query({ modelId: model.id }).expect(200);
      expect(body.items).toEqual([
        {
          modelId: model.id,
          modelVersion: null,
          environment: 'production',
          metricName: 'accuracy',
          value: 0.85,
          recordedAt: '2025-05-02T00:00:00.000Z',
        },
        {
          modelId: model.id,
          modelVersion: 'v2',
          environment: 'production',
          metricName: 'accuracy',
          value: 0.9,
          recordedAt: '2025-05-03T00:00:00.000Z',
        },
        {
          modelId: model.id,
          modelVersion: null,
          environment: 'staging',
          metricName: 'accuracy',
          value: 0.6,
          recordedAt: '2025-05-04T00:00:00.000Z',
        },
        {
          modelId: model.id,
          modelVersion: null,
          environment: 'production',
          metricName: 'latency',
          value: 120,
          recordedAt: '2025-05-05T00:00:00.000Z',
        },
      ]);
      const staging = await testApp.http().get('/api/v1/metrics/latest').query({ modelId: model.id, environment: 'staging' }).expect(200);
      expect(staging.body.items.map((item: { value: number }) => item.value)).toEqual([0.6]);
      const latency = await testApp.http().get('/api/v1/metrics/latest').query({ modelId: model.id, metricName: 'latency' }).expect(200);
      expect(latency.body.items.map((item: { value: number }) => item.value)).toEqual([120]);
    });

    it('breaks a tie on the latest recordedAt towards the greater value', async () => {
      const model = await createModel(testApp);
      const point = { modelId: model.id, metricName: 'm', recordedAt: '2025-05-01T00:00:00Z' };
      await recordMetrics(testApp, [
        { ...point, value: 0.5 },
        { ...point, value: 0.7 },
        { ...point, value: 0.6 },
      ]);
      const { body } = await testApp.http().get('/api/v1/metrics/latest').query({ modelId: model.id }).expect(200);
      expect(body.items.map((item: { value: number }) => item.value)).toEqual([0.7]);
    });

    it('is empty for a model without points; 404 for an unknown model; 400 without modelId', async () => {
      const model = await createModel(testApp);
      expect((await testApp.http().get('/api/v1/metrics/latest').query({ modelId: model.id }).expect(200)).body).toEqual({ items: [] });
      expectProblem(await testApp.http().get('/api/v1/metrics/latest').query({ modelId: UNKNOWN }), 404, 'MODEL_NOT_FOUND');
      const problem = expectProblem(await testApp.http().get('/api/v1/metrics/latest'), 400, 'VALIDATION_FAILED');
      expect(problem.errors!.map((error) => error.field)).toContain('modelId');
    });
  });

  describe('compare', () => {
    it('summarises one series per model, in the order asked, with empty series for models without points', async () => {
      const [a, b, empty] = [await createModel(testApp), await createModel(testApp), await createModel(testApp)];
      await recordMetrics(testApp, [
        ...series({ modelId: a.id, metricName: 'f1' }, '2025-05-10T00:00:00Z', 3_600_000, [2, 4, 4, 4, 5, 5, 7, 9]),
        ...series({ modelId: b.id, metricName: 'f1' }, '2025-05-10T00:00:00Z', 3_600_000, [1, 3]),
        { modelId: b.id, metricName: 'f1', value: 100, recordedAt: '2025-03-01T00:00:00Z' }, // before the 30-day default range
      ]);
      const { body } = await testApp
        .http()
        .get('/api/v1/metrics/compare')
        .query({ metricName: 'f1', modelIds: `${b.id},${a.id},${empty.id}` })
        .expect(200);
      // a: mean 5, sample variance Σ(x − 5)²/7 = 32/7, stdDev = 2.138089935299395; median (4 + 5)/2 = 4.5.
      expect(body.series).toEqual([
        {
          modelId: b.id,
          modelVersion: null,
          count: 2,
          mean: 2,
          stdDev: Math.SQRT2,
          min: 1,
          p50: 2,
          max: 3,
          last: 3,
          lastRecordedAt: '2025-05-10T01:00:00.000Z',
        },
        {
          modelId: a.id,
          modelVersion: null,
          count: 8,
          mean: 5,
          stdDev: expect.any(Number),
          min: 2,
          p50: 4.5,
          max: 9,
          last: 9,
          lastRecordedAt: '2025-05-10T07:00:00.000Z',
        },
        {
          modelId: empty.id,
          modelVersion: null,
          count: 0,
          mean: null,
          stdDev: null,
          min: null,
          p50: null,
          max: null,
          last: null,
          lastRecordedAt: null,
        },
      ]);
      expect(body.series[1].stdDev).toBeCloseTo(2.138089935299395, 12);
    });

    it('compares versions of one model within from/to and an environment', async () => {
      const model = await createModel(testApp);
      await recordMetrics(testApp, [
        { modelId: model.id, metricName: 'auc', value: 0.7, modelVersion: 'v1', recordedAt: '2025-01-01T00:00:00Z' },
        { modelId: model.id, metricName: 'auc', value: 0.72, modelVersion: 'v1', recordedAt: '2025-01-02T00:00:00Z' },
        { modelId: model.id, metricName: 'auc', value: 0.8, modelVersion: 'v2', recordedAt: '2025-01-02T00:00:00Z' },
        { modelId: model.id, metricName: 'auc', value: 0.1, modelVersion: 'v2', recordedAt: '2025-01-02T00:00:00Z', environment: 'shadow' },
      ]);
      const query = {
        metricName: 'auc',
        modelId: model.id,
        modelVersions: 'v2,v1,v3',
        from: '2025-01-01T00:00:00Z',
        to: '2025-01-03T00:00:00Z',
      };
      const { body } = await testApp.http().get('/api/v1/metrics/compare').query(query).expect(200);
      expect(
        body.series.map((item: { modelVersion: string; count: number; last: number | null }) => [item.modelVersion, item.count, item.last]),
      ).toEqual([
        ['v2', 1, 0.8],
        ['v1', 2, 0.72],
        ['v3', 0, null],
      ]);
      expect(body.series[0].stdDev).toBeNull();
      const shadow = await testApp
        .http()
        .get('/api/v1/metrics/compare')
        .query({ ...query, environment: 'shadow' })
        .expect(200);
      expect(shadow.body.series[0]).toMatchObject({ modelVersion: 'v2', count: 1, mean: 0.1 });
    });

    it.each([
      [{ metricName: 'm' }, 'modelId'],
      [{ metricName: 'm', modelIds: 'MODEL', modelId: 'MODEL' }, 'modelId'],
      [{ metricName: 'm', modelId: 'MODEL' }, 'modelVersions'],
      [{ metricName: 'm', modelIds: 'not-a-uuid' }, 'modelIds'],
      [{ modelIds: 'MODEL' }, 'metricName'],
      [{ metricName: 'm', modelIds: 'MODEL', from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'from'],
    ])('rejects %j naming %s', async (query, field) => {
      const model = await createModel(testApp);
      const resolved = Object.fromEntries(Object.entries(query).map(([key, value]) => [key, value.replace('MODEL', model.id)]));
      const problem = expectProblem(await testApp.http().get('/api/v1/metrics/compare').query(resolved), 400, 'VALIDATION_FAILED');
      expect(problem.errors!.map((error) => error.field)).toContain(field);
    });

    it('answers 404 for an unknown model', async () => {
      const model = await createModel(testApp);
      expectProblem(
        await testApp
          .http()
          .get('/api/v1/metrics/compare')
          .query({ metricName: 'm', modelIds: `${model.id},${UNKNOWN}` }),
        404,
        'MODEL_NOT_FOUND',
      );
    });
  });

  describe('MetricsService.aggregateWindow', () => {
    it('aggregates [from, to) of one series; value null when empty', async () => {
      const model = await createModel(testApp);
      await recordMetrics(testApp, [
        ...series({ modelId: model.id, metricName: 'lat' }, '2025-05-01T00:00:00Z', 60_000, [3, 10, 1, 4, 2]),
        { modelId: model.id, metricName: 'lat', value: 1000, recordedAt: '2025-05-01T00:05:00Z' }, // at `to`
        { modelId: model.id, metricName: 'lat', value: 1000, recordedAt: '2025-05-01T00:01:00Z', environment: 'staging' },
      ]);
      const metrics = testApp.get(MetricsService);
      const window = {
        modelId: model.id,
        metricName: 'lat',
        environment: 'production',
        from: new Date('2025-05-01T00:00:00Z'),
        to: new Date('2025-05-01T00:05:00Z'),
      };
      const results: Record<string, unknown> = {};
      for (const aggregation of ['avg', 'min', 'max', 'p50', 'p95', 'last'] as const)
        results[aggregation] = await metrics.aggregateWindow({ ...window, aggregation });
      expect(results).toEqual({
        avg: { value: 4, count: 5 },
        min: { value: 1, count: 5 },
        max: { value: 10, count: 5 },
        p50: { value: 3, count: 5 },
        p95: { value: expect.closeTo(8.8, 10), count: 5 },
        last: { value: 2, count: 5 },
      });
      expect(
        await metrics.aggregateWindow({
          ...window,
          aggregation: 'avg',
          from: new Date('2025-05-02T00:00:00Z'),
          to: new Date('2025-05-03T00:00:00Z'),
        }),
      ).toEqual({
        value: null,
        count: 0,
      });
    });
  });

  it('keeps points until the model is deleted with force (409 without), then removes them', async () => {
    const model = await createModel(testApp);
    await recordMetrics(testApp, [{ modelId: model.id, metricName: 'm', value: 1 }]);
    await testApp.http().put(`/api/v1/models/${model.id}/baselines/m`).send({ value: 1 }).expect(200);
    const worker = testApp.get(MetricRollupWorker);
    await worker.catchUp({ wait: true });
    const problem = expectProblem(await testApp.http().delete(`/api/v1/models/${model.id}`), 409, 'MODEL_HAS_DATA');
    expect(problem.tables).toEqual(['metric_latest', 'metric_rollups', 'model_metric_baselines', 'model_performance_metrics']);
    // A point the rollup worker has not folded when the model goes: the worker drops it (its model's rollups are gone).
    await recordMetrics(testApp, [{ modelId: model.id, metricName: 'm', value: 2 }]);
    await testApp.http().delete(`/api/v1/models/${model.id}`).query({ force: true }).expect(204);
    expect(await worker.catchUp({ wait: true })).toBe(1);
    const [rollups] = await testApp
      .get(DataSource)
      .query('SELECT count(*)::int AS count FROM metric_rollups WHERE model_id = $1', [model.id]);
    expect(rollups.count).toBe(0);
    const other = await createModel(testApp);
    expect((await testApp.http().get('/api/v1/metrics/latest').query({ modelId: other.id }).expect(200)).body.items).toEqual([]);
    expectProblem(await testApp.http().get('/api/v1/metrics/latest').query({ modelId: model.id }), 404, 'MODEL_NOT_FOUND');
  });
});
