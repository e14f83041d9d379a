import { alignToBucket, BUCKET_MS, TrendPoint } from 'src/metrics/buckets.policy';
import { chooseHoltParameters, forecastHolt, HOLT_GRID, holtFit } from 'src/metrics/forecast.stats';

const HOUR = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

function hourly(values: number[]): TrendPoint[] {
  return values.map((value, i) => ({ bucketStart: new Date(T0 + i * HOUR), value, count: 1 }));
}

/*
 * Reference values: a transcription of the spec's loop in python3.
 *
 *   def holt(y, a, b):
 *       l, t, sse = y[0], y[1] - y[0], 0.0
 *       for i in range(1, len(y)):
 *           p = l + t
 *           if i >= 2: sse += (y[i] - p) ** 2
 *           pl = l
 *           l = a * y[i] + (1 - a) * p
 *           t = b * (l - pl) + (1 - b) * t
 *       return l, t, sse
 *   grid = [k / 10 for k in range(1, 10)]
 *   sorted((holt(y, a, b)[2], a, b) for a in grid for b in grid)[:2]
 *   rmse = math.sqrt(sse / (len(y) - 2)); value_h = l + h * t; value_h ± 1.96 * rmse * math.sqrt(h)
 */
describe('forecastHolt', () => {
  it('chooses alpha/beta and forecasts a 6-point series', () => {
    const y = [3, 5, 4, 7, 8, 10];
    // python: best (sse, a, b) = (9.366861, 0.5, 0.4); runner-up (9.391572515624999, 0.5, 0.3)
    // by hand at α = 0.5, β = 0.4 (ℓ₀ = 3, b₀ = 2):
    //   t=1: pred 5,     ℓ 5.0,   b 2.0
    //   t=2: pred 7.0,   e −3.0,  ℓ 5.5,    b 0.4·0.5 + 0.6·2 = 1.4
    //   t=3: pred 6.9,   e 0.1,   ℓ 6.95,   b 0.4·1.45 + 0.6·1.4 = 1.42
    //   t=4: pred 8.37,  e −0.37, ℓ 8.185,  b 0.4·1.235 + 0.6·1.42 = 1.346
    //   t=5: pred 9.531, e 0.469, ℓ 9.7655, b 0.4·1.5805 + 0.6·1.346 = 1.4398
    //   SSE = 9 + 0.01 + 0.1369 + 0.219961 = 9.366861; RMSE = √(9.366861/4) = 1.5302663983764395
    // python: h=1 → 11.2053 [8.205977859182179, 14.20462214081782]
    //         h=2 → 12.6451 [8.40341795052953, 16.88678204947047]
    //         h=3 → 14.084899999999998 [8.889921663837278, 19.279878336162717]
    const lastBucketStart = alignToBucket(T0 + 8 * HOUR - 1, '1h'); // range [T0, T0+8h): last bucket 07:00
    const f = forecastHolt(hourly(y), { horizon: 3, lastBucketStart, bucketMs: BUCKET_MS['1h'] });
    expect(f.alpha).toBe(0.5);
    expect(f.beta).toBe(0.4);
    expect(f.rmse).toBeCloseTo(1.5302663983764395, 12);
    const expected = [
      [11.2053, 8.205977859182179, 14.20462214081782],
      [12.6451, 8.40341795052953, 16.88678204947047],
      [14.084899999999998, 8.889921663837278, 19.279878336162717],
    ];
    expect(f.points).toHaveLength(3);
    f.points.forEach((p, i) => {
      // forecast buckets continue the grid after the last bucket of the range: 08:00, 09:00, 10:00
      expect(p.bucketStart).toEqual(new Date(T0 + (8 + i) * HOUR));
      expect(p.value).toBeCloseTo(expected[i][0], 10);
      expect(p.lower).toBeCloseTo(expected[i][1], 10);
      expect(p.upper).toBeCloseTo(expected[i][2], 10);
    });
    // holtFit exposes the same fit: SSE 9.366861 over n − 2 = 4 errors
    const fit = holtFit(y, 0.5, 0.4);
    expect(fit.sse).toBeCloseTo(9.366861, 12);
    expect(fit.errors).toBe(4);
  });

  it('breaks exact ties towards the smallest alpha then beta: a linear series has zero error everywhere', () => {
    // y = 2, 4, 6, 8, 10: every (α, β) predicts exactly → α = 0.1, β = 0.1; ℓ = 10, b = 2, RMSE 0
    // python: holt([2,4,6,8,10], 0.1, 0.1) = (10.0, 2.0, 0.0)
    const f = forecastHolt(hourly([2, 4, 6, 8, 10]), { horizon: 2, lastBucketStart: T0 + 4 * HOUR, bucketMs: HOUR });
    expect(f).toEqual({
      alpha: 0.1,
      beta: 0.1,
      rmse: 0,
      points: [
        { bucketStart: new Date(T0 + 5 * HOUR), value: 12, lower: 12, upper: 12 },
        { bucketStart: new Date(T0 + 6 * HOUR), value: 14, lower: 14, upper: 14 },
      ],
    });
  });

  it('treats rounding-noise SSEs as ties (tolerance), still choosing alpha = beta = 0.1', () => {
    // y = 0.1, 0.4, 0.7, 1.0, 1.3 is linear but not exact in binary floating point.
    // python: holt(y, 0.1, 0.1)[2] = 1.4791141972893971e-31 while holt(y, 0.3, 0.1)[2] = 0.0 —
    //   a strict minimum would pick α = 0.3; these are all rounding noise, so the tie rule gives 0.1, 0.1.
    // python at (0.1, 0.1): ℓ = 1.3000000000000003, b = 0.3000000000000001, RMSE = 2.220446049250313e-16
    const f = forecastHolt(hourly([0.1, 0.4, 0.7, 1.0, 1.3]), {
      horizon: 1,
      lastBucketStart: T0 + 4 * HOUR,
      bucketMs: HOUR,
    });
    expect([f.alpha, f.beta]).toEqual([0.1, 0.1]);
    expect(f.points[0].value).toBeCloseTo(1.6, 12);
    expect(f.points[0].upper! - f.points[0].lower!).toBeLessThan(1e-12);
  });

  it('builds the grid as k/10', () => {
    expect(HOLT_GRID).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(HOLT_GRID[2]).toBe(0.3);
    // python (second series): sorted(...)[:2] = [(13.708862568640978, 0.3, 0.9), (13.79080954246397, 0.3, 0.8)]
    const c = chooseHoltParameters([10, 12, 11, 15, 14, 17]);
    expect([c.alpha, c.beta]).toEqual([0.3, 0.9]);
    expect(c.fit.sse).toBeCloseTo(13.708862568640978, 12);
  });

  it('returns an empty forecast with fewer than 4 points', () => {
    const opts = { horizon: 5, lastBucketStart: T0, bucketMs: HOUR };
    expect(forecastHolt(hourly([1, 2, 3]), opts)).toEqual({ alpha: null, beta: null, rmse: null, points: [] });
    expect(forecastHolt([], opts)).toEqual({ alpha: null, beta: null, rmse: null, points: [] });
  });

  it('horizon 0 fits but forecasts nothing; out-of-range horizons are rejected', () => {
    const pts = hourly([3, 5, 4, 7, 8, 10]);
    const f = forecastHolt(pts, { horizon: 0, lastBucketStart: T0, bucketMs: HOUR });
    expect(f).toMatchObject({ alpha: 0.5, beta: 0.4, points: [] });
    expect(forecastHolt(pts, { horizon: 500, lastBucketStart: T0, bucketMs: HOUR }).points).toHaveLength(500);
    for (const horizon of [-1, 501, 1.5]) {
      expect(() => forecastHolt(pts, { horizon, lastBucketStart: T0, bucketMs: HOUR })).toThrow(RangeError);
    }
    expect(() => forecastHolt(pts, { horizon: 1, lastBucketStart: T0, bucketMs: 0 })).toThrow(RangeError);
  });
});
