import {
  computeOuterProbInsideMethod,
  computeProbOutsideSquare,
  ksStatisticSorted,
  ksTwoSamplePValue,
  ksTwoSampleSorted,
  roundHalfEven,
} from 'src/drift/ks.stats';

function expectRel(actual: number, expected: number, rel = 1e-9): void {
  if (actual === expected) return;
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

/**
 * Deterministic data both languages compute bit-identically:
 *   def seq(n, mul, mod, scale=None, shift=0.0):
 *       scale = mod if scale is None else scale
 *       return [((i * mul) % mod) / scale + shift for i in range(n)]
 * Expected values: python3, scipy 1.17.1, `from scipy.stats import ks_2samp`.
 */
function seq(n: number, mul: number, mod: number, scale = mod, shift = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * mul) % mod) / scale + shift;
  return out;
}
const sorted = (a: Float64Array): Float64Array => Float64Array.from(a).sort();
const ks = (a: Float64Array, b: Float64Array) => ksTwoSampleSorted(sorted(a), sorted(b));

describe('ks_2samp, exact path (both samples ≤ 10,000)', () => {
  it('equal sizes, no ties', () => {
    // ks_2samp(seq(40, 17, 41), seq(40, 13, 43, shift=0.1)) → statistic 0.15, pvalue 0.7659314523482239
    const r = ks(seq(40, 17, 41), seq(40, 13, 43, 43, 0.1));
    expect(r.method).toBe('exact');
    expect(r.statistic).toBe(0.15);
    expectRel(r.pValue, 0.7659314523482239);
  });

  it('equal sizes with ties (statistic taken after each tied block)', () => {
    // ks_2samp(seq(60, 7, 11, 10), seq(60, 5, 13, 10)) → statistic 0.15, pvalue 0.51301231282104
    const r = ks(seq(60, 7, 11, 10), seq(60, 5, 13, 10));
    expect(r.statistic).toBe(0.15);
    expectRel(r.pValue, 0.51301231282104);
  });

  it('unequal sizes, no ties', () => {
    // ks_2samp(seq(57, 17, 41), seq(91, 13, 43, shift=0.05)) → statistic 0.08000771158665895, pvalue 0.960010496174554
    const r = ks(seq(57, 17, 41), seq(91, 13, 43, 43, 0.05));
    expect(r.statistic).toBe(0.08000771158665895);
    expectRel(r.pValue, 0.960010496174554);
  });

  it('unequal sizes with ties', () => {
    // ks_2samp(seq(300, 7, 11, 10), seq(250, 5, 13, 10, 0.1)) → statistic 0.232, pvalue 6.426869906523228e-07
    const r = ks(seq(300, 7, 11, 10), seq(250, 5, 13, 10, 0.1));
    expect(r.statistic).toBe(0.232);
    expectRel(r.pValue, 6.426869906523228e-7);
  });

  it('largest exact case, 10,000 vs 9,999', () => {
    // ks_2samp(seq(10000, 7919, 10007), seq(9999, 104729, 10009, shift=0.02))
    //   → statistic 0.020163486348634862, pvalue 0.03343119735368024
    const r = ks(seq(10000, 7919, 10007), seq(9999, 104729, 10009, 10009, 0.02));
    expect(r.method).toBe('exact');
    expect(r.statistic).toBe(0.020163486348634862);
    expectRel(r.pValue, 0.03343119735368024);
  });

  it('falls back to the asymptotic path when the exact probability leaves [0, 1], like scipy', () => {
    // ks_2samp(seq(5000, 7919, 10007), seq(5000, 104729, 10009, shift=0.0005)) → statistic 0.002, pvalue 1.0
    //   with "RuntimeWarning: ks_2samp: Exact calculation unsuccessful" because
    //   scipy.stats._stats_py._compute_prob_outside_square(5000, 10) = 1.0000000000000002
    expect(computeProbOutsideSquare(5000, 10)).toBe(1.0000000000000002);
    const r = ks(seq(5000, 7919, 10007), seq(5000, 104729, 10009, 10009, 0.0005));
    expect(r).toEqual({ statistic: 0.002, pValue: 1, method: 'asymp' });
    // ks_2samp(seq(5000, 7919, 10007), seq(5000, 104729, 10009, shift=0.003)) → (0.0046, 0.9999999992035721), exact
    const e = ks(seq(5000, 7919, 10007), seq(5000, 104729, 10009, 10009, 0.003));
    expect(e.method).toBe('exact');
    expectRel(e.pValue, 0.9999999992035721);
  });

  it('identical samples and single values give p = 1', () => {
    // ks_2samp(seq(20, 3, 7), seq(20, 3, 7)) → (0.0, 1.0); ks_2samp([1.0], [2.0]) → (1.0, 1.0)
    expect(ks(seq(20, 3, 7), seq(20, 3, 7))).toEqual({ statistic: 0, pValue: 1, method: 'exact' });
    expect(ks(Float64Array.of(1), Float64Array.of(2))).toMatchObject({ statistic: 1, pValue: 1 });
  });

  it('lattice-path helpers', () => {
    // scipy.stats._stats_py._compute_prob_outside_square(40, 6) = 0.7659314523482239 (h = round(0.15·40))
    expectRel(computeProbOutsideSquare(40, 6), 0.7659314523482239);
    // scipy.stats._stats_pythran._compute_outer_prob_inside_method(57, 91, 1, 415) = 0.960010496174554
    //   (h = round(0.08000771158665895 · 57·91) = 415)
    expectRel(computeOuterProbInsideMethod(57, 91, 1, 415), 0.960010496174554);
  });
});

describe('ks_2samp, asymptotic path (a sample > 10,000): kstwo.sf(d, round(mn/(m+n)))', () => {
  it('Pelz–Good region', () => {
    // ks_2samp(seq(12000, 7919, 10007), seq(11000, 104729, 10009, shift=0.01))
    //   → statistic 0.010424242424242447, pvalue 0.5573927357580692
    const r = ks(seq(12000, 7919, 10007), seq(11000, 104729, 10009, 10009, 0.01));
    expect(r.method).toBe('asymp');
    expect(r.statistic).toBe(0.010424242424242447);
    expectRel(r.pValue, 0.5573927357580692);
  });

  it('Smirnov-sum region', () => {
    // ks_2samp(seq(12000, 7919, 10007), seq(11000, 104729, 10009, shift=0.03))
    //   → statistic 0.03040909090909094, pvalue 4.8074641806955794e-05
    const r = ks(seq(12000, 7919, 10007), seq(11000, 104729, 10009, 10009, 0.03));
    expect(r.statistic).toBe(0.03040909090909094);
    expectRel(r.pValue, 4.8074641806955794e-5);
  });

  it('large vs tiny sample (en rounds to 7)', () => {
    // ks_2samp(seq(20000, 7919, 10007), seq(7, 3, 11, shift=0.2)) → statistic 0.2001, pvalue 0.8940719827366046
    const r = ks(seq(20000, 7919, 10007), seq(7, 3, 11, 11, 0.2));
    expect(r.method).toBe('asymp');
    expect(r.statistic).toBe(0.2001);
    expectRel(r.pValue, 0.8940719827366046);
  });

  it('heavy ties', () => {
    // ks_2samp(seq(15000, 7, 101, 1.0), seq(14000, 3, 103, 1.0))
    //   → statistic 0.01942857142857146, pvalue 0.008340692276146672
    const r = ks(seq(15000, 7, 101, 1), seq(14000, 3, 103, 1));
    expect(r.statistic).toBe(0.01942857142857146);
    expectRel(r.pValue, 0.008340692276146672);
    // ks_2samp(seq(15000, 7, 11, 1.0), seq(14000, 3, 12, 1.0)) → pvalue 1.6423686718723162e-160
    expectRel(ks(seq(15000, 7, 11, 1), seq(14000, 3, 12, 1)).pValue, 1.6423686718723162e-160);
  });
});

describe('pieces', () => {
  it('statistic is symmetric and the p-value needs two non-empty samples', () => {
    const a = sorted(seq(57, 17, 41));
    const b = sorted(seq(91, 13, 43, 43, 0.05));
    expect(ksStatisticSorted(a, b)).toBe(ksStatisticSorted(b, a));
    expect(() => ksTwoSamplePValue(0, 5, 0.1)).toThrow(RangeError);
  });

  it('rounds half to even like np.round', () => {
    // [float(np.round(x)) for x in (0.5, 1.5, 2.5, -2.5, 2.4999)] = [0.0, 2.0, 2.0, -2.0, 2.0]
    expect([0.5, 1.5, 2.5, -2.5, 2.4999].map(roundHalfEven)).toEqual([0, 2, 2, -2, 2]);
  });
});
