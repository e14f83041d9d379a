import {
  datasetDrift,
  defaultStatTest,
  DriftInputError,
  FeatureDriftInput,
  isDrift,
  prepareNumericSample,
  testFeatureDrift,
} from 'src/drift/drift-check.stats';
import { cleanValues, inferFeatureType } from 'src/drift/sample.stats';

function expectRel(actual: number, expected: number, rel = 1e-9): void {
  if (actual === expected) return;
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

/**
 * Expected values: python3, numpy 2.4.6, scipy 1.17.1, with these helpers (Evidently's formulas):
 *   import numpy as np
 *   from scipy.stats import ks_2samp, chisquare, wasserstein_distance, entropy, norm
 *   from scipy.spatial.distance import jensenshannon
 *   def seq(n, mul, mod, scale=None, shift=0.0):
 *       scale = mod if scale is None else scale
 *       return [((i * mul) % mod) / scale + shift for i in range(n)]
 *   def binned(ref, cur, numerical, feel_zeroes=True):   # evidently utils.get_binned_data
 *       ref, cur = np.asarray(ref), np.asarray(cur)
 *       if numerical and len(np.unique(ref)) > 20:
 *           bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins='sturges')
 *           r = np.histogram(ref, bins)[0] / len(ref); c = np.histogram(cur, bins)[0] / len(cur)
 *       else:
 *           keys = sorted(set(ref.tolist()) | set(cur.tolist()))
 *           r = np.array([list(ref).count(k) / len(ref) for k in keys])
 *           c = np.array([list(cur).count(k) / len(cur) for k in keys])
 *       if feel_zeroes:
 *           for a in (r, c):
 *               m = min(a[a != 0]); np.place(a, a == 0, m / 10**6 if m <= 0.0001 else 0.0001)
 *       return r, c
 *   def chi(ref, cur):   # evidently chisquare_stattest
 *       keys = sorted(set(ref) | set(cur)); k = len(cur) / len(ref)
 *       return chisquare([cur.count(x) for x in keys], [ref.count(x) * k for x in keys])[1]
 *   def psi(ref, cur, num):
 *       r, c = binned(ref, cur, num); return np.sum((r - c) * np.log(r / c))
 */
function seq(n: number, mul: number, mod: number, scale = mod, shift = 0): number[] {
  return Array.from({ length: n }, (_, i) => ((i * mul) % mod) / scale + shift);
}
const rep = <T>(v: T, n: number): T[] => Array.from({ length: n }, () => v);

describe('testFeatureDrift: the default test ("auto") and its score', () => {
  it('reference ≤ 1000, numerical, > 5 distinct values → ks', () => {
    // ks_2samp(seq(200, 17, 41), seq(150, 13, 43, shift=0.1)).pvalue = 0.12764650152153392
    const r = testFeatureDrift({ reference: seq(200, 17, 41), current: seq(150, 13, 43, 43, 0.1), stattest: 'auto' });
    expect(r).toMatchObject({ type: 'numerical', stattest: 'ks', threshold: 0.05, drifted: false });
    expect(r).toMatchObject({ referenceSize: 200, currentSize: 150 });
    expectRel(r.score, 0.12764650152153392);
  });

  it('reference ≤ 1000, numerical, 3–5 distinct values → chisquare', () => {
    // chi(seq(300, 7, 5, 1.0), seq(200, 3, 4, 1.0)) = 3.610865404890647e-10
    const r = testFeatureDrift({ reference: seq(300, 7, 5, 1), current: seq(200, 3, 4, 1) });
    expect(r).toMatchObject({ stattest: 'chisquare', drifted: true });
    expectRel(r.score, 3.610865404890647e-10);
  });

  it('reference ≤ 1000, numerical, ≤ 2 distinct values → z', () => {
    // ref = seq(100, 1, 2, 1.0); cur = [0.0]*60 + [1.0]*30
    // p1 = float(sum(x != 0.0 for x in ref))/100; p2 = float(sum(x != 0.0 for x in cur))/90
    // P = float(p1*100 + p2*90)/190; z = (p1 - p2)/np.sqrt(P*(1 - P)*(1.0/100 + 1.0/90)); 2*(1 - norm.cdf(abs(z))) = 0.020162991192120394
    const r = testFeatureDrift({ reference: seq(100, 1, 2, 1), current: [...rep(0, 60), ...rep(1, 30)] });
    expect(r).toMatchObject({ stattest: 'z', drifted: true });
    expectRel(r.score, 0.020162991192120394);
  });

  it('categorical, > 2 categories → chisquare; a category only in current gives p = 0', () => {
    // ref = ['a']*50 + ['b']*30 + ['c']*20; cur = ['a']*40 + ['b']*30 + ['c']*20 + ['d']*10; chi(ref, cur) = 0.0
    const reference = [...rep('a', 50), ...rep('b', 30), ...rep('c', 20)];
    const current = [...rep('a', 40), ...rep('b', 30), ...rep('c', 20), ...rep('d', 10)];
    const r = testFeatureDrift({ reference, current });
    expect(r).toMatchObject({ type: 'categorical', stattest: 'chisquare', score: 0, drifted: true });
  });

  it('categorical, 2 categories → z (first sorted key "no")', () => {
    // ref = ['yes']*30 + ['no']*70; cur = ['yes']*45 + ['no']*55; p1 = float(ref.count('yes'))/100; p2 = float(cur.count('yes'))/100
    // P = float(p1*100 + p2*100)/200; z = (p1 - p2)/np.sqrt(P*(1 - P)*(1.0/100 + 1.0/100)); 2*(1 - norm.cdf(abs(z))) = 0.02845973691631065
    const r = testFeatureDrift({
      reference: [...rep('yes', 30), ...rep('no', 70)],
      current: [...rep('yes', 45), ...rep('no', 55)],
    });
    expect(r).toMatchObject({ type: 'categorical', stattest: 'z', drifted: true });
    expectRel(r.score, 0.02845973691631065);
  });

  it('the same single value on both sides: z with p = 1', () => {
    expect(testFeatureDrift({ reference: rep('x', 10), current: rep('x', 7) })).toMatchObject({
      stattest: 'z',
      score: 1,
      drifted: false,
    });
    expect(testFeatureDrift({ reference: rep(3, 10), current: rep(3, 4) })).toMatchObject({
      type: 'numerical',
      stattest: 'z',
      score: 1,
    });
  });

  it('reference > 1000, numerical, > 5 distinct values → wasserstein (normed)', () => {
    // ref = seq(1500, 7919, 10007); cur = seq(1200, 104729, 10009, shift=0.05)
    // wasserstein_distance(ref, cur) / max(np.std(ref), 0.001) = 0.17300357769426963
    const r = testFeatureDrift({ reference: seq(1500, 7919, 10007), current: seq(1200, 104729, 10009, 10009, 0.05) });
    expect(r).toMatchObject({ stattest: 'wasserstein', threshold: 0.1, drifted: true });
    expectRel(r.score, 0.17300357769426963);
  });

  it('reference > 1000, numerical, ≤ 5 distinct values → jensenshannon', () => {
    // r, c = binned(seq(1500, 7, 5, 1.0), seq(1100, 3, 4, 1.0), True, False); jensenshannon(r, c) = 0.27364532084863846
    const r = testFeatureDrift({ reference: seq(1500, 7, 5, 1), current: seq(1100, 3, 4, 1) });
    expect(r).toMatchObject({ stattest: 'jensenshannon', drifted: true });
    expectRel(r.score, 0.27364532084863846);
  });

  it('reference > 1000, categorical → jensenshannon', () => {
    // ref = ['c%d' % ((i*7) % 9) for i in range(1500)]; cur = ['c%d' % ((i*5) % 11) for i in range(1300)]
    // r, c = binned(ref, cur, False, False); jensenshannon(r, c) = 0.2597233497624079
    const reference = Array.from({ length: 1500 }, (_, i) => `c${(i * 7) % 9}`);
    const current = Array.from({ length: 1300 }, (_, i) => `c${(i * 5) % 11}`);
    const r = testFeatureDrift({ reference, current });
    expect(r).toMatchObject({ type: 'categorical', stattest: 'jensenshannon', drifted: true });
    expectRel(r.score, 0.2597233497624079);
  });

  it('defaultStatTest rule table', () => {
    expect(defaultStatTest('numerical', 1000, 6)).toBe('ks');
    expect(defaultStatTest('numerical', 1000, 5)).toBe('chisquare');
    expect(defaultStatTest('numerical', 1000, 2)).toBe('z');
    expect(defaultStatTest('categorical', 10, 40)).toBe('chisquare');
    expect(defaultStatTest('categorical', 10, 2)).toBe('z');
    expect(defaultStatTest('numerical', 1001, 6)).toBe('wasserstein');
    expect(defaultStatTest('numerical', 1001, 5)).toBe('jensenshannon');
    expect(defaultStatTest('categorical', 1001, 40)).toBe('jensenshannon');
  });
});

describe('testFeatureDrift: binned tests', () => {
  // ref = seq(500, 7, 41, 1.0) (41 distinct values, 0..40); cur = seq(300, 3, 10, 1.0) + [100.0]:
  // e = np.histogram_bin_edges(np.concatenate([ref, cur]), bins='sturges') has 11 bins,
  // np.histogram(ref, e)[0] = [124, 109, 109, 110, 48, 0, 0, 0, 0, 0, 0], np.histogram(cur, e)[0] = [300, 0, ..., 0, 1]
  // so bins 6–10 are empty in both samples and each side's zeros are replaced separately.
  const reference = seq(500, 7, 41, 1);
  const current = [...seq(300, 3, 10, 1), 100];

  it('psi with Sturges bins (> 20 distinct reference values) and empty bins', () => {
    // psi(ref, cur, True) = 6.7536637047290595
    const r = testFeatureDrift({ reference, current, stattest: 'psi' });
    expect(r).toMatchObject({ stattest: 'psi', threshold: 0.1, drifted: true });
    expectRel(r.score, 6.7536637047290595);
  });

  it('kl_div on the same bins', () => {
    // r, c = binned(ref, cur, True); entropy(r, c) = 5.3557278310169645
    expectRel(testFeatureDrift({ reference, current, stattest: 'kl_div' }).score, 5.3557278310169645);
  });

  it('jensenshannon on the same bins, no zero replacement', () => {
    // r, c = binned(ref, cur, True, False); jensenshannon(r, c) = 0.6183662942687506
    expectRel(testFeatureDrift({ reference, current, stattest: 'jensenshannon' }).score, 0.6183662942687506);
  });

  it('psi with one bin per distinct value when the reference has ≤ 20 distinct values', () => {
    // psi(seq(400, 7, 13, 1.0), seq(300, 7919, 10007, 1000.0), True) = 9.745289089579769 (312 bins)
    const r = testFeatureDrift({
      reference: seq(400, 7, 13, 1),
      current: seq(300, 7919, 10007, 1000),
      stattest: 'psi',
    });
    expectRel(r.score, 9.745289089579769);
  });

  it('psi on categories with one only in current (zero share replaced by 0.0001)', () => {
    // binned(ref, cur, False) = [0.5, 0.3, 0.2, 0.0001], [0.4, 0.3, 0.2, 0.1]; psi(ref, cur, False) = 0.7123991075017365
    const r = testFeatureDrift({
      reference: [...rep('a', 50), ...rep('b', 30), ...rep('c', 20)],
      current: [...rep('a', 40), ...rep('b', 30), ...rep('c', 20), ...rep('d', 10)],
      stattest: 'psi',
    });
    expectRel(r.score, 0.7123991075017365);
  });
});

describe('testFeatureDrift: cleaning, types, reuse, errors, thresholds', () => {
  it('drops null, undefined, NaN and ±Infinity before testing', () => {
    // ref = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]; cur = [2.0, 3.0, 4.0, 8.0, 9.0, 10.0]; ks_2samp(ref, cur).pvalue = 0.3327505827505828
    const r = testFeatureDrift({
      reference: [1.5, null, 2.5, NaN, 3.5, Infinity, 4.5, -Infinity, 5.5, 6.5, undefined, 7.5],
      current: [2.0, 3.0, null, 4.0, 8.0, 9.0, 10.0],
      stattest: 'ks',
    });
    expect(r).toMatchObject({ referenceSize: 7, currentSize: 6, type: 'numerical' });
    expectRel(r.score, 0.3327505827505828);
    expect(Array.from(cleanValues(Float64Array.of(1, NaN, Infinity, 2)))).toEqual([1, 2]);
  });

  it('infers numerical only when every value is a number; booleans and strings are categorical', () => {
    expect(inferFeatureType([1, 2, null], [3])).toBe('numerical');
    expect(inferFeatureType([1, '2'], [3])).toBe('categorical');
    expect(inferFeatureType([true, false], [true])).toBe('categorical');
    // numbers and strings share a canonical key: 1 and "1" are one category
    const r = testFeatureDrift({ reference: [1, 1, '2', 2], current: ['1', 2, 2, 2], stattest: 'chisquare' });
    expect(r.type).toBe('categorical');
    // chi(['1','1','2','2'], ['1','2','2','2']) = chisquare([1, 3], [2*1.0, 2*1.0])[1] = 0.31731050786291115
    expectRel(r.score, 0.31731050786291115);
  });

  it('a prepared (sorted once) reference gives the same result as raw values', () => {
    const refValues = seq(1500, 7919, 10007);
    const prepared = prepareNumericSample(refValues);
    expect(prepared.size).toBe(1500);
    for (const stattest of ['ks', 'wasserstein', 'psi', 'kl_div', 'jensenshannon', 'chisquare', 'z'] as const) {
      const cur = seq(1200, 104729, 10009, 10009, 0.05);
      const a = testFeatureDrift({ reference: refValues, current: cur, stattest });
      const b = testFeatureDrift({ reference: prepared, current: Float64Array.from(cur), stattest });
      const c = testFeatureDrift({ reference: prepared, current: prepareNumericSample(cur), stattest });
      expectRel(b.score, a.score, 1e-12);
      expectRel(c.score, a.score, 1e-12);
    }
  });

  it('throws DriftInputError for an empty side, a non-number in a numerical feature and inapplicable tests', () => {
    const code = (input: FeatureDriftInput): string | undefined => {
      try {
        testFeatureDrift(input);
        return undefined;
      } catch (e) {
        expect(e).toBeInstanceOf(DriftInputError);
        return (e as DriftInputError).code;
      }
    };
    expect(code({ reference: [null, NaN], current: [1, 2] })).toBe('EMPTY_SAMPLE');
    expect(code({ reference: [1, 2], current: new Float64Array(0) })).toBe('EMPTY_SAMPLE');
    expect(code({ reference: [1, 'a'], current: [1, 2], type: 'numerical' })).toBe('INVALID_VALUE');
    expect(code({ reference: ['a', 'b'], current: ['a'], stattest: 'ks' })).toBe('UNSUPPORTED_TEST');
    expect(code({ reference: ['a', 'b'], current: ['a'], stattest: 'wasserstein' })).toBe('UNSUPPORTED_TEST');
    expect(code({ reference: [1, 2], current: [1], stattest: 'nope' as never })).toBe('UNSUPPORTED_TEST');
    expect(code({ reference: [1, 2], current: [1], threshold: -1 })).toBe('INVALID_THRESHOLD');
    expect(code({ reference: [{}], current: ['a'] })).toBe('INVALID_VALUE');
  });

  it('threshold override and the decision rules (ks ≤, chisquare/z <, distances ≥)', () => {
    // ks_2samp(seq(200, 17, 41), seq(150, 13, 43, shift=0.1)).pvalue = 0.12764650152153392
    const r = testFeatureDrift({
      reference: seq(200, 17, 41),
      current: seq(150, 13, 43, 43, 0.1),
      stattest: 'ks',
      threshold: 0.2,
    });
    expect(r).toMatchObject({ threshold: 0.2, drifted: true });
    expect(isDrift('ks', 0.05, 0.05)).toBe(true);
    expect(isDrift('chisquare', 0.05, 0.05)).toBe(false);
    expect(isDrift('z', 0.05, 0.05)).toBe(false);
    expect(isDrift('psi', 0.1, 0.1)).toBe(true);
    expect(isDrift('wasserstein', 0.099, 0.1)).toBe(false);
  });
});

describe('datasetDrift', () => {
  it('share of drifted features against the threshold (default 0.5)', () => {
    const results = [{ drifted: true }, { drifted: false }, { drifted: true }, { drifted: false }];
    expect(datasetDrift(results)).toEqual({
      numberOfFeatures: 4,
      numberOfDriftedFeatures: 2,
      driftShare: 0.5,
      datasetDrift: true,
    });
    expect(datasetDrift(results, 0.6)).toMatchObject({ driftShare: 0.5, datasetDrift: false });
    expect(datasetDrift([{ drifted: false }, { drifted: false }, { drifted: true }]).driftShare).toBe(1 / 3);
    expect(datasetDrift([])).toEqual({
      numberOfFeatures: 0,
      numberOfDriftedFeatures: 0,
      driftShare: 0,
      datasetDrift: false,
    });
  });
});
