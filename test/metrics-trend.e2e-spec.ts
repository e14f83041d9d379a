import { createModel, expectProblem } from 'test/support/factories';
import { recordMetrics, series } from 'test/support/metrics-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('GET /metrics/trend (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
    testApp.clock.set('2025-06-01T00:00:00.000Z');
  });
  afterAll(() => testApp.close());

  const trend = (query: Record<string, string | number>) => testApp.http().get('/api/v1/metrics/trend').query(query);

  it('aligns buckets to the Unix epoch in UTC, treats the range as [from, to) and omits empty buckets', async () => {
    const model = await createModel(testApp);
    const base = { modelId: model.id, metricName: 'accuracy' };
    await recordMetrics(testApp, [
      { ...base, value: 1, recordedAt: '2025-01-01T09:59:59.999Z' }, // before `from`
      { ...base, value: 2, recordedAt: '2025-01-01T10:00:00.000Z' },
      { ...base, value: 4, recordedAt: '2025-01-01T10:59:59.999Z' },
      { ...base, value: 8, recordedAt: '2025-01-01T13:30:00+02:00' }, // 11:30Z
      { ...base, value: 16, recordedAt: '2025-01-01T13:00:00.000Z' },
      { ...base, value: 32, recordedAt: '2025-01-01T14:00:00.000Z' }, // at `to`: excluded
    ]);
    const { body } = await trend({
      ...base,
      from: '2025-01-01T10:00:00Z',
      to: '2025-01-01T14:00:00Z',
      bucket: '1h',
      aggregation: 'sum',
    }).expect(200);
    expect(body).toMatchObject({
      modelId: model.id,
      metricName: 'accuracy',
      bucket: '1h',
      aggregation: 'sum',
      from: '2025-01-01T10:00:00.000Z',
      to: '2025-01-01T14:00:00.000Z',
    });
    expect(body.points).toEqual([
      { bucketStart: '2025-01-01T10:00:00.000Z', value: 6, count: 2 },
      { bucketStart: '2025-01-01T11:00:00.000Z', value: 8, count: 1 },
      { bucketStart: '2025-01-01T13:00:00.000Z', value: 16, count: 1 },
    ]);

    // A range not on a bucket edge still uses epoch-aligned buckets.
    const shifted = await trend({
      ...base,
      from: '2025-01-01T10:30:00Z',
      to: '2025-01-01T13:30:00Z',
      bucket: '1h',
      aggregation: 'sum',
    }).expect(200);
    expect(shifted.body.points.map((point: { bucketStart: string }) => point.bucketStart)).toEqual([
      '2025-01-01T10:00:00.000Z',
      '2025-01-01T11:00:00.000Z',
      '2025-01-01T13:00:00.000Z',
    ]);
  });

  it('starts weekly buckets on Thursday 00:00 UTC and daily ones at midnight UTC', async () => {
    const model = await createModel(testApp);
    const base = { modelId: model.id, metricName: 'auc' };
    await recordMetrics(testApp, [
      { ...base, value: 1, recordedAt: '2025-01-01T23:30:00Z' }, // Wednesday
      { ...base, value: 3, recordedAt: '2025-01-02T00:00:00Z' }, // Thursday
      { ...base, value: 5, recordedAt: '2025-01-08T23:59:59Z' }, // next Wednesday
    ]);
    const weekly = await trend({ ...base, from: '2024-12-20T00:00:00Z', to: '2025-01-20T00:00:00Z', bucket: '1w' }).expect(200);
    expect(weekly.body.points).toEqual([
      { bucketStart: '2024-12-26T00:00:00.000Z', value: 1, count: 1 },
      { bucketStart: '2025-01-02T00:00:00.000Z', value: 4, count: 2 },
    ]);
    const daily = await trend({ ...base, from: '2024-12-20T00:00:00Z', to: '2025-01-20T00:00:00Z', bucket: '1d' }).expect(200);
    expect(daily.body.points.map((point: { bucketStart: string }) => point.bucketStart)).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-01-02T00:00:00.000Z',
      '2025-01-08T00:00:00.000Z',
    ]);
  });

  describe('aggregations over one bucket of values recorded in the order 3, 10, 1, 4, 2', () => {
    let base: { modelId: string; metricName: string };
    beforeAll(async () => {
      const model = await createModel(testApp);
      base = { modelId: model.id, metricName: 'latency_ms' };
      await recordMetrics(testApp, series(base, '2025-02-01T00:10:00Z', 60_000, [3, 10, 1, 4, 2]));
    });

    // Sorted 1, 2, 3, 4, 10; percentile_cont(q) interpolates at position q·(n − 1):
    // p90 → 3.6 → 4 + 0.6·6 = 7.6; p95 → 3.8 → 4 + 0.8·6 = 8.8; p99 → 3.96 → 4 + 0.96·6 = 9.76.
    it.each([
      ['avg', 4],
      ['min', 1],
      ['max', 10],
      ['sum', 20],
      ['count', 5],
      ['p50', 3],
      ['p90', 7.6],
      ['p95', 8.8],
      ['p99', 9.76],
      ['last', 2],
    ])('%s = %d', async (aggregation, expected) => {
      const { body } = await trend({ ...base, from: '2025-02-01T00:00:00Z', to: '2025-02-01T01:00:00Z', bucket: '1h', aggregation }).expect(
        200,
      );
      expect(body.points).toHaveLength(1);
      expect(body.points[0].value).toBeCloseTo(expected, 10);
      expect(body.points[0].count).toBe(5);
    });

    it('defaults to avg', async () => {
      const { body } = await trend({ ...base, from: '2025-02-01T00:00:00Z', to: '2025-02-01T01:00:00Z', bucket: '1h' }).expect(200);
      expect(body).toMatchObject({ aggregation: 'avg', points: [{ value: 4 }] });
    });
  });

  it('breaks a tie on the latest recordedAt of `last` towards the greater value', async () => {
    const model = await createModel(testApp);
    const base = { modelId: model.id, metricName: 'm', recordedAt: '2025-02-01T00:30:00Z' };
    await recordMetrics(testApp, [
      { ...base, value: 7 },
      { ...base, value: 5 },
    ]);
    const { body } = await trend({
      modelId: model.id,
      metricName: 'm',
      from: '2025-02-01T00:00:00Z',
      to: '2025-02-01T01:00:00Z',
      aggregation: 'last',
    }).expect(200);
    expect(body.points[0].value).toBe(7);
  });

  it('picks the smallest bucket giving at most 500 buckets, and defaults the range to the last 30 days', async () => {
    const model = await createModel(testApp);
    const base = { modelId: model.id, metricName: 'm' };
    // 10 days: 1m → 14,400, 5m → 2,880, 15m → 960, 1h → 240 buckets.
    const tenDays = await trend({ ...base, from: '2025-01-01T00:00:00Z', to: '2025-01-11T00:00:00Z' }).expect(200);
    expect(tenDays.body.bucket).toBe('1h');
    // 30 days before the clock (2025-06-01): 1h → 720 buckets, 6h → 120.
    const defaults = await trend(base).expect(200);
    expect(defaults.body).toMatchObject({ bucket: '6h', from: '2025-05-02T00:00:00.000Z', to: '2025-06-01T00:00:00.000Z', points: [] });
    expect(defaults.body.summary).toEqual({
      count: 0,
      first: null,
      last: null,
      min: null,
      max: null,
      mean: null,
      absoluteChange: null,
      relativeChange: null,
      slopePerDay: null,
      direction: 'flat',
    });
  });

  it('filters by environment (default production), model version and segment', async () => {
    const model = await createModel(testApp);
    const base = { modelId: model.id, metricName: 'ctr', recordedAt: '2025-03-01T00:00:00Z' };
    await recordMetrics(testApp, [
      { ...base, value: 1 },
      { ...base, value: 2, environment: 'staging' },
      { ...base, value: 4, modelVersion: 'v2' },
      { ...base, value: 8, segment: { region: 'eu', team: 'ads' } },
      { ...base, value: 16, segment: { region: 'eu', team: 'search' } },
      { ...base, value: 32, segment: { region: 'us' } },
    ]);
    const range = {
      modelId: model.id,
      metricName: 'ctr',
      from: '2025-03-01T00:00:00Z',
      to: '2025-03-02T00:00:00Z',
      bucket: '1d',
      aggregation: 'sum',
    };
    const sum = async (query: Record<string, string>) => (await trend({ ...range, ...query }).expect(200)).body.points[0]?.value ?? null;
    expect(await sum({})).toBe(1 + 4 + 8 + 16 + 32);
    expect(await sum({ environment: 'staging' })).toBe(2);
    expect(await sum({ modelVersion: 'v2' })).toBe(4);
    expect(await sum({ 'segment.region': 'eu' })).toBe(8 + 16);
    expect(await sum({ 'segment.region': 'eu', 'segment.team': 'search' })).toBe(16);
    expect(await sum({ 'segment[region]': 'us' })).toBe(32);
    expect(await sum({ 'segment.region': 'asia' })).toBeNull();
  });

  it('summarises the bucket series', async () => {
    const model = await createModel(testApp);
    const base = { modelId: model.id, metricName: 'recall' };
    await recordMetrics(testApp, series(base, '2025-01-01T12:00:00Z', DAY, [10, 12, 14]));
    const { body } = await trend({ ...base, from: '2025-01-01T00:00:00Z', to: '2025-01-04T00:00:00Z', bucket: '1d' }).expect(200);
    // OLS slope of 10, 12, 14 against days 0, 1, 2 is 2 per day; relative change (14 − 10)/10 = 0.4.
    expect(body.summary).toEqual({
      count: 3,
      first: 10,
      last: 14,
      min: 10,
      max: 14,
      mean: 12,
      absoluteChange: 4,
      relativeChange: 0.4,
      slopePerDay: 2,
      direction: 'up',
    });
  });

  it('flags anomalies by the modified z-score against the preceding buckets', async () => {
    const model = await createModel(testApp);
    const base = { modelId: model.id, metricName: 'error_rate' };
    await recordMetrics(testApp, series(base, '2025-01-01T00:00:00Z', HOUR, [10, 11, 10, 12, 11, 10, 11, 12, 30, 11]));
    const query = { ...base, from: '2025-01-01T00:00:00Z', to: '2025-01-01T10:00:00Z', bucket: '1h' };
    const { body } = await trend(query).expect(200);
    // Bucket 8 against the 8 before it: sorted 10,10,10,11,11,11,12,12 → median 11; |x − 11| sorted
    // 0,0,0,1,1,1,1,1 → MAD 1; score 0.6745·(30 − 11)/1 = 12.8155. Bucket 9 (11) scores 0.
    expect(body.anomalies).toEqual([{ bucketStart: '2025-01-01T08:00:00.000Z', value: 30, median: 11, mad: 1, score: expect.any(Number) }]);
    expect(body.anomalies[0].score).toBeCloseTo(12.8155, 10);
    // Above the threshold nothing is flagged.
    expect((await trend({ ...query, anomalyThreshold: 13 }).expect(200)).body.anomalies).toEqual([]);
  });

  it('flags any departure from a constant history with a null score and mad 0', async () => {
    const model = await createModel(testApp);
    const base = { modelId: model.id, metricName: 'm' };
    await recordMetrics(testApp, series(base, '2025-01-01T00:00:00Z', HOUR, [5, 5, 5, 5, 5, 5, 5, 5, 6]));
    const { body } = await trend({ ...base, from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z', bucket: '1h' }).expect(200);
    expect(body.anomalies).toEqual([{ bucketStart: '2025-01-01T08:00:00.000Z', value: 6, median: 5, mad: 0, score: null }]);
  });

  it('forecasts with Holt smoothing on the bucket grid after the range', async () => {
    const model = await createModel(testApp);
    const base = { modelId: model.id, metricName: 'revenue' };
    await recordMetrics(testApp, series(base, '2025-01-01T06:00:00Z', DAY, [10, 12, 13, 15.5, 16, 18.5]));
    // The range ends 2025-01-09: its last bucket is 2025-01-08, so the forecast starts 2025-01-09.
    const { body } = await trend({
      ...base,
      from: '2025-01-01T00:00:00Z',
      to: '2025-01-09T00:00:00Z',
      bucket: '1d',
      forecastHorizon: 2,
    }).expect(200);
    // Grid search (python): best α = 0.4, β = 0.9, SSE = 2.48665822617600, RMSE = √(SSE/4) = 0.788457073367980,
    // level = 18.1953344, trend = 1.52846336; ŷ(h) = level + h·trend, interval ± 1.96·RMSE·√h.
    expect(body.forecast).toHaveLength(2);
    const [first, second] = body.forecast;
    expect(first.bucketStart).toBe('2025-01-09T00:00:00.000Z');
    expect(first.value).toBeCloseTo(19.72379776, 9);
    expect(first.lower).toBeCloseTo(18.17842189619876, 9);
    expect(first.upper).toBeCloseTo(21.26917362380124, 9);
    expect(second.bucketStart).toBe('2025-01-10T00:00:00.000Z');
    expect(second.value).toBeCloseTo(21.25226112, 9);
    expect(second.lower).toBeCloseTo(19.066769614448248, 9);
    expect(second.upper).toBeCloseTo(23.437752625551752, 9);
  });

  it('forecasts a straight line exactly, and nothing from fewer than 4 buckets', async () => {
    const model = await createModel(testApp);
    const base = { modelId: model.id, metricName: 'line' };
    await recordMetrics(testApp, series(base, '2025-01-01T00:00:00Z', DAY, [1, 2, 3, 4, 5]));
    const query = { ...base, from: '2025-01-01T00:00:00Z', to: '2025-01-06T00:00:00Z', bucket: '1d', forecastHorizon: 3 };
    const { body } = await trend(query).expect(200);
    expect(body.forecast).toEqual([
      { bucketStart: '2025-01-06T00:00:00.000Z', value: 6, lower: 6, upper: 6 },
      { bucketStart: '2025-01-07T00:00:00.000Z', value: 7, lower: 7, upper: 7 },
      { bucketStart: '2025-01-08T00:00:00.000Z', value: 8, lower: 8, upper: 8 },
    ]);
    const short = await trend({ ...query, from: '2025-01-03T00:00:00Z' }).expect(200);
    expect(short.body.points).toHaveLength(3);
    expect(short.body.forecast).toEqual([]);
  });

  it.each([
    [{ aggregation: 'median' }, 'aggregation'],
    [{ bucket: '2h' }, 'bucket'],
    [{ bucket: '1m', from: '2025-01-01T00:00:00Z', to: '2025-01-05T00:00:00Z' }, 'bucket'],
    [{ from: '2025-01-02T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'from'],
    [{ from: '2025-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'from'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '1900-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'from'],
    [{ metricName: 'has space' }, 'metricName'],
    [{ modelId: 'nope' }, 'modelId'],
    [{ anomalyWindow: 0 }, 'anomalyWindow'],
    [{ anomalyThreshold: 0 }, 'anomalyThreshold'],
    [{ anomalyThreshold: 'NaN' }, 'anomalyThreshold'],
    [{ forecastHorizon: 501 }, 'forecastHorizon'],
    [{ forecastHorizon: 1.5 }, 'forecastHorizon'],
    [{ segment: 'eu' }, 'segment'],
    [{ colour: 'blue' }, 'colour'],
  ])('rejects %j naming %s', async (override, field) => {
    const model = await createModel(testApp);
    const problem = expectProblem(await trend({ modelId: model.id, metricName: 'm', ...override }), 400, 'VALIDATION_FAILED');
    expect(problem.errors!.map((error) => error.field)).toContain(field);
  });

  it('answers 404 for an unknown model', async () => {
    expectProblem(await trend({ modelId: '00000000-0000-4000-8000-000000000000', metricName: 'm' }), 404, 'MODEL_NOT_FOUND');
  });
});
