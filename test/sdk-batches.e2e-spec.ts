import { ModelWatchError, type BatchError, type LabelDto, type PredictionDto, type RecordLabelsResultDto } from '@modelwatch/client';
import { uniqueName } from 'test/support/factories';
import { sdkFor } from 'test/support/sdk-app';
import { createTestApp, type TestApp } from 'test/support/test-app';

/** The SDK's batching helpers (clients/typescript/src/batches.ts) against the real app: totals, order, where a failure stops. */
describe('TypeScript SDK batching helpers (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('logs 12,000 predictions from a generator, labels them from an async iterable, and reports where a conflict stopped', async () => {
    const mw = await sdkFor(testApp);
    const name = uniqueName('sdk-batches');
    const model = await mw.putModelByName({ path: { name }, body: { taskType: 'binary_classification' } });
    testApp.clock.set('2030-06-01T12:00:00.000Z');
    const start = Date.parse('2030-06-01T08:00:00.000Z');
    // prediction i scores (i % 10) / 10, so it predicts 1 when i % 10 >= 5 (decision threshold 0.5)
    function* predictions(): Generator<PredictionDto> {
      for (let i = 0; i < 12_000; i++) {
        yield { modelName: name, predictionId: `p-${i}`, predictedAt: new Date(start + 250 * i).toISOString(), score: (i % 10) / 10 };
      }
    }
    expect(await mw.recordPredictionsInBatches(predictions(), { batchSize: 5_000 })).toEqual({
      recorded: 12_000,
      duplicates: 0,
      labelled: 0,
    });
    expect(await mw.recordPredictionsInBatches(predictions(), { batchSize: 10_000 })).toEqual({
      recorded: 0,
      duplicates: 12_000,
      labelled: 0,
    });

    // labels for the first 9,000: label 1 when i % 10 >= 3, so a prediction is right unless i % 10 is 3 or 4 (7,200 right)
    async function* labels(from: number, to: number): AsyncGenerator<LabelDto> {
      for (let i = from; i < to; i++) yield { modelName: name, predictionId: `p-${i}`, label: i % 10 >= 3 ? 1 : 0 };
    }
    expect(await mw.recordLabelsInBatches(labels(0, 9_000), { batchSize: 4_000 })).toEqual({
      recorded: 9_000,
      duplicates: 0,
      overwritten: 0,
      pending: 0,
    });
    const trend = await mw.getMetricTrend({
      query: {
        modelId: model.id,
        metricName: 'realized.accuracy',
        bucket: '1d',
        from: '2030-06-01T00:00:00.000Z',
        to: '2030-06-02T00:00:00.000Z',
      },
    });
    expect(trend.points).toEqual([expect.objectContaining({ count: 9_000, value: 0.8 })]);

    // the third call (items 200..299) carries a changed label for p-0: the first two calls stand, the error says so
    const changed: LabelDto[] = [];
    for await (const label of labels(9_000, 9_250)) changed.push(label);
    changed.splice(250, 0, { modelName: name, predictionId: 'p-0', label: 1 });
    const error = (await mw
      .recordLabelsInBatches(changed, { batchSize: 100 })
      .catch((caught: unknown) => caught)) as BatchError<RecordLabelsResultDto>;
    expect(error).toBeInstanceOf(ModelWatchError);
    expect(error).toMatchObject({
      status: 409,
      code: 'LABEL_CONFLICT',
      batch: { offset: 200, totals: { recorded: 200, duplicates: 0, overwritten: 0, pending: 0 } },
    });
    expect(error.fields).toEqual(['labels[50].label']);
    const resumed = await mw.recordLabelsInBatches(changed.slice(error.batch.offset), { overwrite: true });
    expect(resumed).toEqual({ recorded: 50, duplicates: 0, overwritten: 1, pending: 0 });
  });

  it('refuses a batch size outside 1–10,000 before sending anything, and records nothing for no items', async () => {
    const mw = await sdkFor(testApp);
    await expect(mw.recordMetricsInBatches([], { batchSize: 0 })).rejects.toThrow(RangeError);
    await expect(mw.recordMetricsInBatches([], { batchSize: 10_001 })).rejects.toThrow(RangeError);
    expect(await mw.recordMetricsInBatches([])).toEqual({ recorded: 0, duplicates: 0 });
    const name = uniqueName('sdk-batches-metrics');
    await mw.putModelByName({ path: { name }, body: {} });
    const points = Array.from({ length: 7 }, (_, i) => ({ modelName: name, metricName: 'auc', value: 0.9, idempotencyKey: `k-${i % 5}` }));
    expect(await mw.recordMetricsInBatches(points, { batchSize: 3 })).toEqual({ recorded: 5, duplicates: 2 });
  });
});
