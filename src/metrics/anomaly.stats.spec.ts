import { detectAnomalies, median, medianAbsoluteDeviation, modifiedZScore } from 'src/metrics/anomaly.stats';
import { TrendPoint } from 'src/metrics/buckets.policy';

const HOUR = 3_600_000;
const T0 = Date.parse('2024-01-01T00:00:00Z');

function hourly(values: number[]): TrendPoint[] {
  return values.map((value, i) => ({ bucketStart: T0 + i * HOUR, value, count: 1 }));
}
const at = (i: number) => new Date(T0 + i * HOUR);

const BASE = [10, 11, 9, 10, 12, 10, 9, 11];

describe('median / MAD / modified z-score', () => {
  it('computes them by hand', () => {
    // odd: sorted 1, 3, 7 → 3; even: sorted 1, 2, 4, 10 → (2+4)/2 = 3
    expect(median([7, 1, 3])).toBe(3);
    expect(median([10, 1, 4, 2])).toBe(3);
    expect(() => median([])).toThrow(RangeError);
    // |x − 3| for 7, 1, 3 = 4, 2, 0 → median 2
    expect(medianAbsoluteDeviation([7, 1, 3], 3)).toBe(2);
    // 0.6745·(13 − 3)/2 = 3.3725
    expect(modifiedZScore(13, 3, 2)).toBeCloseTo(3.3725, 12);
    expect(modifiedZScore(3, 3, 0)).toBe(0);
    expect(modifiedZScore(4, 3, 0)).toBe(Infinity);
  });
});

describe('detectAnomalies', () => {
  it('flags a known spike and a known dip, not the ordinary bucket', () => {
    // index 8 (value 10): window = BASE, sorted 9,9,10,10,10,11,11,12 → median (10+10)/2 = 10;
    //   |x−10| = 0,1,1,0,2,0,1,1 → sorted 0,0,0,1,1,1,1,2 → MAD (1+1)/2 = 1; score 0 → not flagged
    // index 9 (value 20): window = BASE + [10], sorted 9,9,10,10,10,10,11,11,12 → median 10;
    //   deviations sorted 0,0,0,0,1,1,1,1,2 → MAD 1; score = 0.6745·(20−10)/1 = 6.745 ≥ 3.5
    // index 10 (value 4): window = BASE + [10, 20], sorted 9,9,10,10,10,10,11,11,12,20 → median (10+10)/2 = 10;
    //   deviations sorted 0,0,0,0,1,1,1,1,2,10 → MAD (1+1)/2 = 1; score = 0.6745·(4−10)/1 = −4.047
    const out = detectAnomalies(hourly([...BASE, 10, 20, 4]));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ bucketStart: at(9), value: 20, median: 10, mad: 1 });
    expect(out[0].score).toBeCloseTo(6.745, 12);
    expect(out[1]).toMatchObject({ bucketStart: at(10), value: 4, median: 10, mad: 1 });
    expect(out[1].score).toBeCloseTo(-4.047, 12);
  });

  it('applies a custom threshold', () => {
    // index 9 (value 6): window BASE + [10] → median 10, MAD 1; score = 0.6745·(6−10) = −2.698
    expect(detectAnomalies(hourly([...BASE, 10, 6]))).toEqual([]);
    const out = detectAnomalies(hourly([...BASE, 10, 6]), { threshold: 2.5 });
    expect(out).toHaveLength(1);
    expect(out[0].score).toBeCloseTo(-2.698, 12);
  });

  it('MAD = 0: a different value is an anomaly with null score; an equal value is not', () => {
    // window of nine 5s (index 9): median 5, MAD 0; index 8 (value 5) equals the median → not flagged
    const out = detectAnomalies(hourly([5, 5, 5, 5, 5, 5, 5, 5, 5, 5.1]));
    expect(out).toEqual([{ bucketStart: at(9), value: 5.1, median: 5, mad: 0, score: null }]);
    expect(JSON.stringify(out)).not.toMatch(/Infinity|NaN/);
  });

  it('needs at least 8 earlier buckets', () => {
    // the spike at index 7 has only 7 earlier buckets → never judged
    expect(detectAnomalies(hourly([10, 11, 9, 10, 12, 10, 9, 1000]))).toEqual([]);
    // at index 8 it has exactly 8: window BASE → median 10, MAD 1; score = 0.6745·990 = 667.755
    const out = detectAnomalies(hourly([...BASE, 1000]));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ bucketStart: at(8), median: 10, mad: 1 });
    expect(out[0].score).toBeCloseTo(667.755, 9);
  });

  it('uses only the last `window` buckets when more history is available', () => {
    const high = [100, 101, 99, 100, 102, 100, 99, 101];
    const values = [...high, ...BASE, 30];
    // window 8 at index 16: previous 8 = BASE → median 10, MAD 1; score = 0.6745·20 = 13.49 → flagged
    const w8 = detectAnomalies(hourly(values), { window: 8 }).find((a) => a.bucketStart.getTime() === at(16).getTime());
    expect(w8).toMatchObject({ value: 30, median: 10, mad: 1 });
    expect(w8?.score).toBeCloseTo(13.49, 12);
    // default window 24 at index 16: all 16 earlier, sorted 9,9,10,10,10,11,11,12,99,99,100,100,100,101,101,102
    //   → median (12+99)/2 = 55.5; deviations: 43.5×3, 44.5×5, 45.5×5, 46.5×3 → MAD (44.5+45.5)/2 = 45;
    //   score = 0.6745·(30−55.5)/45 = −0.3822 → not flagged
    const w24 = detectAnomalies(hourly(values)).find((a) => a.bucketStart.getTime() === at(16).getTime());
    expect(w24).toBeUndefined();
  });

  it('rejects invalid options', () => {
    expect(() => detectAnomalies([], { window: 0 })).toThrow(RangeError);
    expect(() => detectAnomalies([], { window: 2.5 })).toThrow(RangeError);
    expect(() => detectAnomalies([], { threshold: 0 })).toThrow(RangeError);
    expect(detectAnomalies([])).toEqual([]);
  });
});

describe('detectAnomalies (sliding sorted window)', () => {
  /** The definition applied literally: sort each window from scratch. */
  function naive(values: number[], window: number, threshold: number) {
    const flagged: { index: number; median: number; mad: number; score: number }[] = [];
    for (let i = 8; i < values.length; i++) {
      const baseline = values.slice(Math.max(0, i - window), i);
      const m = median(baseline);
      const mad = medianAbsoluteDeviation(baseline, m);
      const score = modifiedZScore(values[i], m, mad);
      if (Math.abs(score) >= threshold) flagged.push({ index: i, median: m, mad, score });
    }
    return flagged;
  }

  it('gives exactly the results of re-sorting every window, ties and repeated values included', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const window of [1, 2, 5, 8, 9, 24, 100]) {
      // Rounded values repeat often, exercising equal elements on both sides of the median.
      const values = Array.from({ length: 300 }, (_, i) => Math.round(next() * 20) / 2 + (i % 50 === 49 ? 40 : 0));
      const expected = naive(values, window, 2);
      expect(expected.length).toBeGreaterThan(0);
      const actual = detectAnomalies(hourly(values), { window, threshold: 2 });
      expect(actual.map((anomaly) => [anomaly.bucketStart, anomaly.median, anomaly.mad, anomaly.score])).toEqual(
        expected.map((item) => [at(item.index), item.median, item.mad, Number.isFinite(item.score) ? item.score : null]),
      );
    }
  });
});
