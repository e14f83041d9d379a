import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { TransactionRunner } from 'src/database/transaction';
import type { MetricsRecordedEvent } from 'src/metrics/metrics.events';
import { MetricsService } from 'src/metrics/metrics.service';
import { createModel, expectProblem } from 'test/support/factories';
import { recordMetrics } from 'test/support/metrics-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('POST /metrics/record and MetricsService.recordPoints (e2e)', () => {
  let testApp: TestApp;
  const received: MetricsRecordedEvent[] = [];

  beforeAll(async () => {
    testApp = await createTestApp();
    testApp.get(EventEmitter2).on('metrics.recorded', (event: MetricsRecordedEvent) => received.push(event));
  });
  afterAll(() => testApp.close());

  const countRows = async (modelId: string) => {
    const [{ count }] = await testApp
      .get(DataSource)
      .query('SELECT count(*)::int AS count FROM model_performance_metrics WHERE model_id = $1', [modelId]);
    return count as number;
  };
  const eventsFor = (modelId: string) => received.filter((event) => event.modelId === modelId);

  it('records a batch with defaults and emits one metrics.recorded event per model', async () => {
    testApp.clock.set('2025-03-01T12:00:00.000Z');
    const first = await createModel(testApp);
    const second = await createModel(testApp);
    const result = await recordMetrics(testApp, [
      { modelId: first.id, metricName: 'accuracy', value: 0.91, recordedAt: '2025-03-01T10:00:00Z' },
      { modelId: first.id, metricName: 'latency.p95_ms', value: 120, recordedAt: '2025-03-01T11:00:00+01:00', environment: 'staging' },
      { modelId: second.id, metricName: 'accuracy', value: 0.8, segment: { region: 'eu' }, sampleSize: 1000, modelVersion: 'v2' },
    ]);
    expect(result).toEqual({ recorded: 3, duplicates: 0 });

    const [row] = await testApp.get(DataSource).query('SELECT * FROM model_performance_metrics WHERE model_id = $1', [second.id]);
    expect(row).toMatchObject({
      environment: 'production',
      segment: { region: 'eu' },
      sample_size: 1000,
      model_version: 'v2',
      idempotency_key: null,
    });
    expect(row.recorded_at.toISOString()).toBe('2025-03-01T12:00:00.000Z');

    expect(eventsFor(first.id)).toEqual([
      {
        modelId: first.id,
        metricNames: ['accuracy', 'latency.p95_ms'],
        environments: ['production', 'staging'],
        from: new Date('2025-03-01T10:00:00Z'),
        to: new Date('2025-03-01T10:00:00Z'),
        count: 2,
      },
    ]);
    expect(eventsFor(second.id)).toHaveLength(1);
  });

  it('skips points whose idempotency key was already recorded, also within one batch (safe retries)', async () => {
    const model = await createModel(testApp);
    const points = [
      { modelId: model.id, metricName: 'auc', value: 0.7, idempotencyKey: 'k1' },
      { modelId: model.id, metricName: 'auc', value: 0.71, idempotencyKey: 'k2' },
      { modelId: model.id, metricName: 'auc', value: 0.72 },
    ];
    expect(await recordMetrics(testApp, points)).toEqual({ recorded: 3, duplicates: 0 });
    expect(await recordMetrics(testApp, points)).toEqual({ recorded: 1, duplicates: 2 });
    expect(
      await recordMetrics(testApp, [
        { modelId: model.id, metricName: 'auc', value: 0.8, idempotencyKey: 'k3' },
        { modelId: model.id, metricName: 'auc', value: 0.9, idempotencyKey: 'k3' },
      ]),
    ).toEqual({ recorded: 1, duplicates: 1 });
    expect(await countRows(model.id)).toBe(5);
    const [kept] = await testApp
      .get(DataSource)
      .query(`SELECT value FROM model_performance_metrics WHERE model_id = $1 AND idempotency_key = 'k3'`, [model.id]);
    expect(kept.value).toBe(0.8); // the first occurrence in the batch
    // The same key under another model is another point.
    const other = await createModel(testApp);
    expect(await recordMetrics(testApp, [{ modelId: other.id, metricName: 'auc', value: 0.7, idempotencyKey: 'k1' }])).toEqual({
      recorded: 1,
      duplicates: 0,
    });
  });

  it('records concurrent retries of overlapping keys exactly once, whatever their order', async () => {
    const model = await createModel(testApp);
    const points = Array.from({ length: 2000 }, (_, index) => ({
      modelId: model.id,
      metricName: 'auc',
      value: index,
      idempotencyKey: `key-${index}`,
    }));
    const send = (batch: typeof points) => testApp.http().post('/api/v1/metrics/record').send({ points: batch });
    const [forward, backward] = await Promise.all([send(points), send([...points].reverse())]);
    expect([forward.status, backward.status]).toEqual([201, 201]);
    expect(forward.body.recorded + backward.body.recorded).toBe(2000);
    expect(forward.body.duplicates + backward.body.duplicates).toBe(2000);
    expect(await countRows(model.id)).toBe(2000);
  });

  it('emits no event for a batch of duplicates only', async () => {
    const model = await createModel(testApp);
    const point = { modelId: model.id, metricName: 'auc', value: 0.5, idempotencyKey: 'only' };
    await recordMetrics(testApp, [point]);
    expect(await recordMetrics(testApp, [point])).toEqual({ recorded: 0, duplicates: 1 });
    expect(eventsFor(model.id)).toHaveLength(1);
  });

  it.each([
    [{ value: 'NaN' }, 'points[1].value'],
    [{ value: 'Infinity' }, 'points[1].value'],
    [{ value: '0.5' }, 'points[1].value'],
    [{ value: null }, 'points[1].value'],
    [{ metricName: 'bad name' }, 'points[1].metricName'],
    [{ metricName: 'x'.repeat(101) }, 'points[1].metricName'],
    [{ recordedAt: 'yesterday' }, 'points[1].recordedAt'],
    [{ recordedAt: '2025-03-01T10:00:00' }, 'points[1].recordedAt'],
    [{ recordedAt: '2025-02-30T10:00:00Z' }, 'points[1].recordedAt'],
    [{ segment: { region: 1 } }, 'points[1].segment'],
    [{ segment: { nested: { a: 'b' } } }, 'points[1].segment'],
    [{ segment: ['a'] }, 'points[1].segment'],
    [{ sampleSize: -1 }, 'points[1].sampleSize'],
    [{ sampleSize: 1.5 }, 'points[1].sampleSize'],
    [{ modelId: 'not-a-uuid' }, 'points[1].modelId'],
    [{ environment: '' }, 'points[1].environment'],
    [{ unexpected: true }, 'points[1].unexpected'],
  ])('rejects the whole batch when one point has %j, naming %s', async (override, field) => {
    const model = await createModel(testApp);
    const response = await testApp
      .http()
      .post('/api/v1/metrics/record')
      .send({
        points: [
          { modelId: model.id, metricName: 'ok', value: 1 },
          { modelId: model.id, metricName: 'ok', value: 2, ...override },
        ],
      });
    const problem = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(problem.errors!.map((error) => error.field)).toContain(field);
    expect(await countRows(model.id)).toBe(0);
  });

  it('rejects a recordedAt more than 5 minutes ahead of the clock, accepts one within', async () => {
    testApp.clock.set('2025-03-01T12:00:00.000Z');
    const model = await createModel(testApp);
    const send = (recordedAt: string) =>
      testApp
        .http()
        .post('/api/v1/metrics/record')
        .send({
          points: [
            { modelId: model.id, metricName: 'm', value: 1 },
            { modelId: model.id, metricName: 'm', value: 1, recordedAt },
          ],
        });
    const problem = expectProblem(await send('2025-03-01T12:05:00.001Z'), 400, 'VALIDATION_FAILED');
    expect(problem.errors).toEqual([{ field: 'points[1].recordedAt', message: expect.stringContaining('5 minutes') }]);
    expect(await countRows(model.id)).toBe(0);
    await send('2025-03-01T12:05:00.000Z').expect(201);
  });

  it('rejects empty, missing and oversized batches', async () => {
    const model = await createModel(testApp);
    for (const body of [{}, { points: [] }, { points: 'x' }]) {
      const problem = expectProblem(await testApp.http().post('/api/v1/metrics/record').send(body), 400, 'VALIDATION_FAILED');
      expect(problem.errors!.map((error) => error.field)).toContain('points');
    }
    const tooMany = Array.from({ length: 10_001 }, (_, index) => ({ modelId: model.id, metricName: 'm', value: index }));
    const problem = expectProblem(await testApp.http().post('/api/v1/metrics/record').send({ points: tooMany }), 400, 'VALIDATION_FAILED');
    expect(problem.errors!.map((error) => error.field)).toContain('points');
    expect(await countRows(model.id)).toBe(0);
  });

  it('accepts 10,000 points in one batch', async () => {
    const model = await createModel(testApp);
    const points = Array.from({ length: 10_000 }, (_, index) => ({
      modelId: model.id,
      metricName: 'm',
      value: index,
      idempotencyKey: `k${index}`,
    }));
    expect(await recordMetrics(testApp, points)).toEqual({ recorded: 10_000, duplicates: 0 });
    expect(await countRows(model.id)).toBe(10_000);
  });

  it('answers 404 naming the first point of an unknown model and writes nothing', async () => {
    const model = await createModel(testApp);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const response = await testApp
      .http()
      .post('/api/v1/metrics/record')
      .send({
        points: [
          { modelId: model.id, metricName: 'm', value: 1 },
          { modelId: unknown, metricName: 'm', value: 2 },
          { modelId: unknown, metricName: 'm', value: 3 },
        ],
      });
    const problem = expectProblem(response, 404, 'MODEL_NOT_FOUND');
    expect(problem.errors).toEqual([{ field: 'points[1].modelId', message: expect.stringContaining(unknown) }]);
    expect(await countRows(model.id)).toBe(0);
  });

  it('records inside a caller transaction without emitting; the caller publishes after commit', async () => {
    const model = await createModel(testApp);
    const service = testApp.get(MetricsService);
    const result = await testApp.get(TransactionRunner).run((transaction) =>
      service.recordPoints(
        [
          { modelId: model.id, metricName: 'loss', value: 0.3, recordedAt: new Date('2025-01-01T00:00:00Z') },
          { modelId: model.id, metricName: 'loss', value: 0.2, recordedAt: new Date('2025-01-02T00:00:00Z'), idempotencyKey: 'epoch-2' },
        ],
        transaction,
      ),
    );
    expect(result).toEqual({
      recorded: 2,
      duplicates: 0,
      events: [
        {
          modelId: model.id,
          metricNames: ['loss'],
          environments: ['production'],
          from: new Date('2025-01-01T00:00:00Z'),
          to: new Date('2025-01-02T00:00:00Z'),
          count: 2,
        },
      ],
    });
    expect(eventsFor(model.id)).toHaveLength(0);
    await service.publishRecorded(result.events);
    expect(eventsFor(model.id)).toEqual(result.events);
  });

  it('rolls back with the caller transaction', async () => {
    const model = await createModel(testApp);
    const service = testApp.get(MetricsService);
    await expect(
      testApp.get(TransactionRunner).run(async (transaction) => {
        await service.recordPoints([{ modelId: model.id, metricName: 'loss', value: 1 }], transaction);
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(await countRows(model.id)).toBe(0);
  });

  it('validates points from other modules the same way (field named, nothing written)', async () => {
    const model = await createModel(testApp);
    await expect(
      testApp.get(MetricsService).recordPoints([{ modelId: model.id, metricName: 'm', value: Number.NaN }]),
    ).rejects.toMatchObject({
      status: 400,
      errors: [{ field: 'points[0].value', message: expect.any(String) }],
    });
    expect(await countRows(model.id)).toBe(0);
  });
});
