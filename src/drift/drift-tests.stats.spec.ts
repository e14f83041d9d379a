import {
  chiSquarePValue,
  jensenShannonDistance,
  klDivergence,
  normedWasserstein,
  psi,
  relEntr,
  wassersteinDistanceSorted,
  zTestPValue,
} from 'src/drift/drift-tests.stats';
import { meanAndStd } from 'src/drift/sample.stats';

function expectRel(actual: number, expected: number, rel = 1e-9): void {
  if (actual === expected) return;
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

/**
 * Expected values: python3, numpy 2.4.6, scipy 1.17.1
 * (`from scipy.stats import chisquare, wasserstein_distance, entropy, norm`,
 *  `from scipy.spatial.distance import jensenshannon`), data helper
 *   def seq(n, mul, mod, scale=None, shift=0.0):
 *       scale = mod if scale is None else scale
 *       return [((i * mul) % mod) / scale + shift for i in range(n)]
 */
function seq(n: number, mul: number, mod: number, scale = mod, shift = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * mul) % mod) / scale + shift;
  return out;
}

describe('chi-square (Evidently chisquare_stattest)', () => {
  it('expected = reference counts × n_cur/n_ref', () => {
    // chisquare([20, 70, 30], [30 * 1.2, 50 * 1.2, 20 * 1.2])[1] = 0.0058642018746589775
    expectRel(chiSquarePValue(Float64Array.of(30, 50, 20), Float64Array.of(20, 70, 30)), 0.0058642018746589775);
  });

  it('an expected count of 0 with observations gives p = 0', () => {
    // chisquare([5, 5], [10 * 1.0, 0 * 1.0])[1] = 0.0
    expect(chiSquarePValue(Float64Array.of(10, 0), Float64Array.of(5, 5))).toBe(0);
  });

  it('a single bin gives p = 1 (scipy returns nan: df = 0)', () => {
    expect(chiSquarePValue(Float64Array.of(7), Float64Array.of(3))).toBe(1);
  });
});

describe('z-test (Evidently z_stattest)', () => {
  it('pooled two-proportion z, p = 2(1 − Φ(|z|))', () => {
    // p1 = 60/100; p2 = 65/120; P = (p1*100 + p2*120)/220; z = (p1 - p2)/np.sqrt(P*(1-P)*(1.0/100 + 1.0/120))
    // 2*(1 - norm.cdf(abs(z))) = 0.38442881932820905   (hits = 100 − 60 and 120 − 65 of the first key)
    expectRel(zTestPValue(40, 100, 55, 120), 0.38442881932820905);
  });
});

describe('Wasserstein (scipy.stats.wasserstein_distance, Evidently normed by the reference std)', () => {
  const u = seq(300, 7, 11, 10);
  const v = seq(250, 5, 13, 10, 0.1);
  const sorted = (a: Float64Array): Float64Array => Float64Array.from(a).sort();

  it('W₁ with ties and its normed value', () => {
    // wasserstein_distance(u, v) = 0.20046666666666668 with u = seq(300, 7, 11, 10), v = seq(250, 5, 13, 10, 0.1)
    const wd = wassersteinDistanceSorted(sorted(u), sorted(v));
    expectRel(wd, 0.20046666666666668);
    // np.std(u) = 0.31638145050274713
    expectRel(meanAndStd(u).std, 0.31638145050274713);
    // wasserstein_distance(u, v) / max(np.std(u), 0.001) = 0.6336233250973291
    expectRel(normedWasserstein(wd, meanAndStd(u).std), 0.6336233250973291);
  });

  it('a constant reference is normed by 0.001', () => {
    // wasserstein_distance([2.0]*5, [2.5]*3) / max(np.std([2.0]*5), 0.001) = 500.0
    const wd = wassersteinDistanceSorted(Float64Array.of(2, 2, 2, 2, 2), Float64Array.of(2.5, 2.5, 2.5));
    expectRel(normedWasserstein(wd, 0), 500);
  });
});

describe('share-based distances', () => {
  const r = Float64Array.of(0.1, 0.2, 0.3, 0.4);
  const c = Float64Array.of(0.15, 0.15, 0.2, 0.5);

  it('PSI = Σ (r − c) ln(r/c)', () => {
    // r = np.array([0.1, 0.2, 0.3, 0.4]); c = np.array([0.15, 0.15, 0.2, 0.5]); np.sum((r - c)*np.log(r/c)) = 0.09751822497023466
    expectRel(psi(r, c), 0.09751822497023466);
  });

  it('KL divergence = scipy.stats.entropy(r, c), normalising both sides', () => {
    // entropy(r, c) = 0.04937201558630519
    expectRel(klDivergence(r, c), 0.04937201558630519);
    // entropy([0.5, 0.5, 0.0001], [0.4, 0.5, 0.1]) = 0.11076991813755954 (shares not summing to 1)
    expectRel(klDivergence(Float64Array.of(0.5, 0.5, 0.0001), Float64Array.of(0.4, 0.5, 0.1)), 0.11076991813755954);
  });

  it('Jensen–Shannon distance = scipy.spatial.distance.jensenshannon (natural log), zeros allowed', () => {
    // jensenshannon(r, c) = 0.11011892498610815
    expectRel(jensenShannonDistance(r, c), 0.11011892498610815);
    // jensenshannon([0.5, 0.5, 0.0], [0.4, 0.5, 0.1]) = 0.1934964620120408
    expectRel(jensenShannonDistance(Float64Array.of(0.5, 0.5, 0), Float64Array.of(0.4, 0.5, 0.1)), 0.1934964620120408);
  });

  it('rel_entr edge cases like scipy.special.rel_entr', () => {
    // rel_entr(0, 0) = 0.0; rel_entr(0, 1) = 0.0; rel_entr(1, 0) = inf
    expect(relEntr(0, 0)).toBe(0);
    expect(relEntr(0, 1)).toBe(0);
    expect(relEntr(1, 0)).toBe(Infinity);
  });
});
