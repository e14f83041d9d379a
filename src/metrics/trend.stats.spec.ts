import {
  chooseBucket,
  detectAnomalies,
  forecastHolt,
  leastSquaresSlope,
  mean,
  relativeChange,
  summarizeTrend,
  TrendPoint,
  trendDirection,
} from 'src/metrics/trend.stats';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

function series(offsetsMs: number[], values: number[], counts: number[]): TrendPoint[] {
  return values.map((value, i) => ({ bucketStart: new Date(T0 + offsetsMs[i]), value, count: counts[i] }));
}

describe('summarizeTrend', () => {
  it('summarises a small daily series with a gap (computed by hand)', () => {
    // days 0, 1, 2, 4 (day 3 empty); values 10, 12, 11, 15; counts 3, 5, 2, 4
    const s = summarizeTrend(series([0, DAY, 2 * DAY, 4 * DAY], [10, 12, 11, 15], [3, 5, 2, 4]));
    // count = 3+5+2+4 = 14; mean of bucket values = (10+12+11+15)/4 = 48/4 = 12 (unweighted)
    // absoluteChange = 15 − 10 = 5; relativeChange = 5/|10| = 0.5
    // slope: x̄ = 7/4, ȳ = 12, Σdx·dy = (−1.75)(−2) + (−0.75)(0) + (0.25)(−1) + (2.25)(3) = 10,
    //        Σdx² = 3.0625 + 0.5625 + 0.0625 + 5.0625 = 8.75 → 10/8.75 = 8/7
    // numpy.polyfit([0,1,2,4], [10,12,11,15], 1) → [1.14285714, 10.]
    expect(s).toEqual({
      count: 14,
      first: 10,
      last: 15,
      min: 10,
      max: 15,
      mean: 12,
      absoluteChange: 5,
      relativeChange: 0.5,
      slopePerDay: expect.any(Number),
      direction: 'up',
    });
    expect(s.slopePerDay).toBeCloseTo(8 / 7, 12);
  });

  it('measures the slope per day on hourly buckets, from epoch-ms starts', () => {
    // values 1, 2, 3, 4 one hour apart: +1 per hour = +24 per day
    // numpy.polyfit([0, 1/24, 2/24, 3/24], [1, 2, 3, 4], 1) → [24., 1.]
    const pts = [1, 2, 3, 4].map((v, i) => ({ bucketStart: T0 + i * HOUR, value: v, count: 1 }));
    const s = summarizeTrend(pts);
    expect(s.slopePerDay).toBeCloseTo(24, 9);
    // min 1, max 4, mean 10/4 = 2.5; rel = 3/1 = 3
    expect([s.min, s.max, s.mean, s.relativeChange, s.direction]).toEqual([1, 4, 2.5, 3, 'up']);
  });

  it('decides direction with the 1 % flat band', () => {
    const two = (a: number, b: number) => summarizeTrend(series([0, DAY], [a, b], [1, 1]));
    // (100.5 − 100)/100 = 0.005 < 0.01 → flat
    expect(two(100, 100.5).direction).toBe('flat');
    // (99 − 100)/100 = −0.01, |−0.01| is not < 0.01 → down
    expect(two(100, 99)).toMatchObject({ relativeChange: -0.01, direction: 'down' });
    // negative start: (−2 − (−4))/|−4| = 0.5 → up
    expect(two(-4, -2)).toMatchObject({ absoluteChange: 2, relativeChange: 0.5, direction: 'up' });
    // first = 0: relativeChange null, sign of absoluteChange
    expect(two(0, -2)).toMatchObject({ relativeChange: null, absoluteChange: -2, direction: 'down' });
    expect(two(0, 3)).toMatchObject({ relativeChange: null, direction: 'up' });
    expect(two(0, 0)).toMatchObject({ relativeChange: null, absoluteChange: 0, direction: 'flat' });
  });

  it('has no slope for a single bucket', () => {
    expect(summarizeTrend(series([0], [0.9], [7]))).toEqual({
      count: 7,
      first: 0.9,
      last: 0.9,
      min: 0.9,
      max: 0.9,
      mean: 0.9,
      absoluteChange: 0,
      relativeChange: 0,
      slopePerDay: null,
      direction: 'flat',
    });
  });

  it('returns nulls, count 0 and flat for an empty series (valid JSON)', () => {
    const s = summarizeTrend([]);
    expect(s).toEqual({
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
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe('summary building blocks', () => {
  it('mean, relativeChange, leastSquaresSlope, trendDirection', () => {
    expect(mean([])).toBeNull();
    // (1+2+6)/3 = 3
    expect(mean([1, 2, 6])).toBe(3);
    expect(relativeChange(0, 5)).toBeNull();
    // (3 − 4)/4 = −0.25
    expect(relativeChange(4, 3)).toBe(-0.25);
    expect(leastSquaresSlope([1], [1])).toBeNull();
    expect(leastSquaresSlope([2, 2], [1, 5])).toBeNull();
    // two points: (5 − 1)/(3 − 1) = 2
    expect(leastSquaresSlope([1, 3], [1, 5])).toBe(2);
    expect(trendDirection(null, null)).toBe('flat');
    expect(trendDirection(-0.001, -0.009)).toBe('flat');
  });
});

describe('trend.stats barrel', () => {
  it('re-exports the bucket, anomaly and forecast functions', () => {
    expect(typeof chooseBucket).toBe('function');
    expect(typeof detectAnomalies).toBe('function');
    expect(typeof forecastHolt).toBe('function');
  });
});
