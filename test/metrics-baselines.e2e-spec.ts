import { MetricsService } from 'src/metrics/metrics.service';
import { createModel, expectProblem } from 'test/support/factories';
import { recordMetrics, series } from 'test/support/metrics-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('baselines and GET /metrics/degradation (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const baselines = (modelId: string) => `/api/v1/models/${modelId}/baselines`;

  it('sets a baseline from a value, replaces it on a second PUT, lists and deletes it', async () => {
    const model = await createModel(testApp);
    const created = await testApp
      .http()
      .put(`${baselines(model.id)}/accuracy`)
      .send({ value: 0.9 })
      .expect(200);
    expect(created.body).toEqual({
      modelId: model.id,
      metricName: 'accuracy',
      environment: 'production',
      value: 0.9,
      direction: 'higher_is_better',
      tolerance: 0.05,
      computedFrom: null,
      computedTo: null,
      computedAggregation: null,
      computedCount: null,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    const replaced = await testApp
      .http()
      .put(`${baselines(model.id)}/accuracy`)
      .send({ value: 0.92, tolerance: 0.1 })
      .expect(200);
    expect(replaced.body).toMatchObject({ value: 0.92, tolerance: 0.1, createdAt: created.body.createdAt });
    await testApp
      .http()
      .put(`${baselines(model.id)}/accuracy`)
      .send({ value: 0.8, environment: 'staging' })
      .expect(200);
    await testApp
      .http()
      .put(`${baselines(model.id)}/loss%2Fval`)
      .send({ value: 0.3, direction: 'lower_is_better' })
      .expect(200);

    const list = await testApp.http().get(baselines(model.id)).expect(200);
    expect(
      list.body.items.map((item: { metricName: string; environment: string; value: number }) => [
        item.metricName,
        item.environment,
        item.value,
      ]),
    ).toEqual([
      ['accuracy', 'production', 0.92],
      ['accuracy', 'staging', 0.8],
      ['loss/val', 'production', 0.3],
    ]);
    expect(list.body.nextCursor).toBeNull();
    const firstPage = await testApp.http().get(baselines(model.id)).query({ limit: 2 }).expect(200);
    expect(firstPage.body.items).toHaveLength(2);
    const secondPage = await testApp.http().get(baselines(model.id)).query({ limit: 2, cursor: firstPage.body.nextCursor }).expect(200);
    expect(secondPage.body.items.map((item: { metricName: string }) => item.metricName)).toEqual(['loss/val']);
    const staging = await testApp.http().get(baselines(model.id)).query({ environment: 'staging' }).expect(200);
    expect(staging.body.items).toHaveLength(1);

    await testApp
      .http()
      .delete(`${baselines(model.id)}/accuracy`)
      .query({ environment: 'staging' })
      .expect(204);
    expectProblem(
      await testApp
        .http()
        .delete(`${baselines(model.id)}/accuracy`)
        .query({ environment: 'staging' }),
      404,
      'METRIC_BASELINE_NOT_FOUND',
    );
    expect((await testApp.http().get(baselines(model.id)).expect(200)).body.items).toHaveLength(2);
  });

  it('computes a baseline from the points recorded in [from, to)', async () => {
    const model = await createModel(testApp);
    await recordMetrics(
      testApp,
      series({ modelId: model.id, metricName: 'latency' }, '2025-01-01T00:00:00Z', 60_000, [3, 10, 1, 4, 2, 100]),
    );
    const window = { from: '2025-01-01T00:00:00Z', to: '2025-01-01T00:05:00Z' };
    const average = await testApp
      .http()
      .put(`${baselines(model.id)}/latency`)
      .send(window)
      .expect(200);
    expect(average.body).toMatchObject({
      value: 4,
      computedFrom: '2025-01-01T00:00:00.000Z',
      computedTo: '2025-01-01T00:05:00.000Z',
      computedAggregation: 'avg',
      computedCount: 5,
    });
    const p95 = await testApp
      .http()
      .put(`${baselines(model.id)}/latency`)
      .send({ ...window, aggregation: 'p95', direction: 'lower_is_better' })
      .expect(200);
    expect(p95.body.value).toBeCloseTo(8.8, 10);
    expect(p95.body).toMatchObject({ computedAggregation: 'p95', direction: 'lower_is_better' });
    const empty = await testApp
      .http()
      .put(`${baselines(model.id)}/latency`)
      .send({ from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z' });
    expectProblem(empty, 422, 'METRIC_NO_DATA');
  });

  it.each([
    [{}, 'value'],
    [{ value: 1, from: '2025-01-01T00:00:00Z' }, 'from'],
    [{ from: '2025-01-01T00:00:00Z' }, 'to'],
    [{ from: '2025-01-02T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'from'],
    [{ value: 'NaN' }, 'value'],
    [{ value: 1, direction: 'up' }, 'direction'],
    [{ value: 1, tolerance: -0.1 }, 'tolerance'],
    [{ value: 1, aggregation: 'avg' }, 'aggregation'],
  ])('rejects %j naming %s', async (body, field) => {
    const model = await createModel(testApp);
    const problem = expectProblem(
      await testApp
        .http()
        .put(`${baselines(model.id)}/accuracy`)
        .send(body),
      400,
      'VALIDATION_FAILED',
    );
    expect(problem.errors!.map((error) => error.field)).toContain(field);
    expect((await testApp.http().get(baselines(model.id)).expect(200)).body.items).toEqual([]);
  });

  it('names a malformed metric name or model id, and answers 404 for an unknown model', async () => {
    const model = await createModel(testApp);
    const badName = expectProblem(
      await testApp
        .http()
        .put(`${baselines(model.id)}/has%20space`)
        .send({ value: 1 }),
      400,
      'VALIDATION_FAILED',
    );
    expect(badName.errors).toEqual([{ field: 'metricName', message: expect.any(String) }]);
    const badId = expectProblem(await testApp.http().get('/api/v1/models/nope/baselines'), 400, 'VALIDATION_FAILED');
    expect(badId.errors).toEqual([{ field: 'modelId', message: expect.any(String) }]);
    expectProblem(
      await testApp
        .http()
        .put(`${baselines(UNKNOWN)}/accuracy`)
        .send({ value: 1 }),
      404,
      'MODEL_NOT_FOUND',
    );
    expectProblem(await testApp.http().get(baselines(UNKNOWN)), 404, 'MODEL_NOT_FOUND');
  });

  describe('degradation', () => {
    it('compares the mean over the last window with each baseline, the bad way by more than the tolerance', async () => {
      testApp.clock.set('2025-03-10T12:00:00.000Z');
      const model = await createModel(testApp);
      const put = (metric: string, body: Record<string, unknown>) =>
        testApp
          .http()
          .put(`${baselines(model.id)}/${metric}`)
          .send(body)
          .expect(200);
      await put('accuracy', { value: 0.9 });
      await put('latency', { value: 100, direction: 'lower_is_better', tolerance: 0.1 });
      await put('recall', { value: 0.5 });
      await put('auc', { value: 0.8, environment: 'staging' });
      await put('silent', { value: 1 });
      await recordMetrics(testApp, [
        // accuracy: mean of the last day (0.8 + 0.82)/2 = 0.81 → (0.81 − 0.9)/0.9 = −0.1 → degraded.
        { modelId: model.id, metricName: 'accuracy', value: 0.8, recordedAt: '2025-03-10T01:00:00Z' },
        { modelId: model.id, metricName: 'accuracy', value: 0.82, recordedAt: '2025-03-10T11:00:00Z' },
        { modelId: model.id, metricName: 'accuracy', value: 0.1, recordedAt: '2025-03-09T11:59:59Z' }, // before the window
        // latency: 108 → +0.08, within the 0.1 tolerance.
        { modelId: model.id, metricName: 'latency', value: 108, recordedAt: '2025-03-10T06:00:00Z' },
        // recall: 0.6 → +0.2, better.
        { modelId: model.id, metricName: 'recall', value: 0.6, recordedAt: '2025-03-10T06:00:00Z' },
        // auc in staging: 0.7 → −0.125, degraded; the production point does not count.
        { modelId: model.id, metricName: 'auc', value: 0.7, recordedAt: '2025-03-10T06:00:00Z', environment: 'staging' },
        { modelId: model.id, metricName: 'auc', value: 0.1, recordedAt: '2025-03-10T06:00:00Z' },
      ]);
      const { body } = await testApp.http().get('/api/v1/metrics/degradation').query({ modelId: model.id }).expect(200);
      expect(body.from).toBe('2025-03-09T12:00:00.000Z');
      expect(body.to).toBe('2025-03-10T12:00:00.000Z');
      const rows = body.items.map((item: Record<string, unknown>) => [
        item.metricName,
        item.environment,
        item.current,
        item.count,
        item.degraded,
      ]);
      expect(rows).toEqual([
        ['accuracy', 'production', expect.closeTo(0.81, 12), 2, true],
        ['auc', 'staging', 0.7, 1, true],
        ['latency', 'production', 108, 1, false],
        ['recall', 'production', 0.6, 1, false],
        ['silent', 'production', null, 0, false],
      ]);
      expect(body.items[0]).toMatchObject({ baseline: 0.9, direction: 'higher_is_better', tolerance: 0.05 });
      expect(body.items[0].relativeChange).toBeCloseTo(-0.1, 12);
      expect(body.items[2]).toMatchObject({
        baseline: 100,
        direction: 'lower_is_better',
        tolerance: 0.1,
        relativeChange: expect.closeTo(0.08, 12),
      });
      expect(body.items[4].relativeChange).toBeNull();

      // One hour back only the 11:00 accuracy point counts: (0.82 − 0.9)/0.9 = −0.0889 → degraded.
      const hour = await testApp.http().get('/api/v1/metrics/degradation').query({ modelId: model.id, window: '1h' }).expect(200);
      expect(hour.body.items[0]).toMatchObject({ metricName: 'accuracy', current: 0.82, count: 1, degraded: true });

      // The service gives other modules the same items.
      expect(await testApp.get(MetricsService).checkDegradation(model.id, '1d')).toEqual(body.items);
    });

    it('rejects an unknown window and answers 404 for an unknown model', async () => {
      const model = await createModel(testApp);
      const problem = expectProblem(
        await testApp.http().get('/api/v1/metrics/degradation').query({ modelId: model.id, window: '2d' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(problem.errors!.map((error) => error.field)).toContain('window');
      expectProblem(await testApp.http().get('/api/v1/metrics/degradation').query({ modelId: UNKNOWN }), 404, 'MODEL_NOT_FOUND');
      expect((await testApp.http().get('/api/v1/metrics/degradation').query({ modelId: model.id }).expect(200)).body.items).toEqual([]);
    });
  });
});
