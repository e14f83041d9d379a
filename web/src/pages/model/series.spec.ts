import type { Alert, MetricTrend, TrainingRun } from '@/api/types';
import { firingPeriods, rangeBounds, runMarkers, trendSeries, trendSummary, trendTable, versionsToCompare } from '@/pages/model/series';

const trend = {
  modelId: 'm',
  metricName: 'accuracy',
  bucket: '1h',
  aggregation: 'avg',
  from: '2026-12-01T00:00:00.000Z',
  to: '2026-12-01T03:00:00.000Z',
  points: [
    { bucketStart: '2026-12-01T00:00:00.000Z', value: 0.9, count: 4, p10: 0.85, p90: 0.95 },
    { bucketStart: '2026-12-01T01:00:00.000Z', value: 0.7, count: 3, p10: 0.6, p90: 0.8 },
    { bucketStart: '2026-12-01T02:00:00.000Z', value: 0.91, count: 5, p10: 0.88, p90: 0.93 },
  ],
  anomalies: [{ bucketStart: '2026-12-01T01:00:00.000Z', value: 0.7, median: 0.9, mad: 0.01, score: -13 }],
  forecast: [{ bucketStart: '2026-12-01T03:00:00.000Z', value: 0.92, lower: 0.88, upper: 0.96 }],
  summary: {
    count: 12,
    first: 0.9,
    last: 0.91,
    min: 0.7,
    max: 0.91,
    mean: 0.84,
    absoluteChange: 0.01,
    relativeChange: 0.011,
    slopePerDay: 0.08,
    direction: 'flat',
  },
} as unknown as MetricTrend;

const t = (iso: string) => Date.parse(iso);

describe('model page series', () => {
  it('one line point per API bucket, the band from p10/p90, anomalies as markers', () => {
    const s = trendSeries(trend);
    expect(s.line).toEqual([
      [t('2026-12-01T00:00:00Z'), 0.9],
      [t('2026-12-01T01:00:00Z'), 0.7],
      [t('2026-12-01T02:00:00Z'), 0.91],
    ]);
    expect(s.band[1]).toEqual([t('2026-12-01T01:00:00Z'), 0.6, 0.8]);
    expect(s.anomalies).toEqual([[t('2026-12-01T01:00:00Z'), 0.7]]);
  });

  it('the forecast starts at the last observed bucket so the dashed line joins the trend', () => {
    const s = trendSeries(trend);
    expect(s.forecast).toEqual([
      [t('2026-12-01T02:00:00Z'), 0.91],
      [t('2026-12-01T03:00:00Z'), 0.92],
    ]);
    expect(s.forecastBand[1]).toEqual([t('2026-12-01T03:00:00Z'), 0.88, 0.96]);
  });

  it('no band without p10/p90', () => {
    const bare = { ...trend, points: trend.points.map(({ bucketStart, value, count }) => ({ bucketStart, value, count })) } as MetricTrend;
    expect(trendSeries(bare).band).toEqual([]);
  });

  it('the table has the same rows as the chart, and the summary names the bucket count', () => {
    expect(trendTable(trend).rows).toEqual([
      ['2026-12-01 00:00 UTC', '0.9', 4],
      ['2026-12-01 01:00 UTC', '0.7', 3],
      ['2026-12-01 02:00 UTC', '0.91', 5],
    ]);
    expect(trendSummary(trend, 0.92)).toContain('3 1h buckets of avg accuracy');
    expect(trendSummary(trend, 0.92)).toContain('baseline 0.92');
  });

  it('firing periods run from firedAt to resolvedAt (or the end of the range) and are clipped', () => {
    const alerts = [
      {
        firedAt: '2026-11-30T23:00:00Z',
        firstSeenAt: '2026-11-30T23:00:00Z',
        resolvedAt: '2026-12-01T01:30:00Z',
        title: 'dip',
        type: 'metric_anomaly',
      },
      { firedAt: null, firstSeenAt: '2026-12-01T02:00:00Z', resolvedAt: null, title: 'open', type: 'custom' },
      {
        firedAt: '2026-11-20T00:00:00Z',
        firstSeenAt: '2026-11-20T00:00:00Z',
        resolvedAt: '2026-11-21T00:00:00Z',
        title: 'old',
        type: 'custom',
      },
    ] as unknown as Alert[];
    expect(firingPeriods(alerts, t(trend.from), t(trend.to))).toEqual([
      { from: t('2026-12-01T00:00:00Z'), to: t('2026-12-01T01:30:00Z'), label: 'dip' },
      { from: t('2026-12-01T02:00:00Z'), to: t('2026-12-01T03:00:00Z'), label: 'open' },
    ]);
  });

  it('training runs inside the range become markers; versions to compare are distinct, latest first', () => {
    const runs = [
      {
        id: 'r2',
        modelVersion: 'v2',
        trigger: 'data_drift',
        startedAt: '2026-12-01T01:00:00Z',
        queuedAt: '2026-12-01T00:59:00Z',
        createdAt: '2026-12-01T00:59:00Z',
      },
      {
        id: 'r1',
        modelVersion: 'v1',
        trigger: 'manual',
        startedAt: null,
        queuedAt: '2026-11-01T00:00:00Z',
        createdAt: '2026-11-01T00:00:00Z',
      },
    ] as unknown as TrainingRun[];
    expect(runMarkers(runs, t(trend.from), t(trend.to))).toEqual([{ at: t('2026-12-01T01:00:00Z'), id: 'r2', label: 'v2 · data_drift' }]);
    expect(versionsToCompare(runs, ['v2', null, 'v3'])).toEqual(['v2', 'v3', 'v1']);
  });

  it('named ranges end now', () => {
    const now = t('2026-12-08T00:00:00Z');
    expect(rangeBounds('7d', now)).toEqual({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-08T00:00:00.000Z' });
    expect(rangeBounds('bogus', now).from).toBe('2026-12-01T00:00:00.000Z');
  });
});
