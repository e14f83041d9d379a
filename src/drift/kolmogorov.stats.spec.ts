import { kolmogornSf, kstwoSf, modNX, smirnovSf } from 'src/drift/kolmogorov.stats';

/** |actual − expected| ≤ 1e-9·|expected| (or both exactly equal). */
function expectRel(actual: number, expected: number, rel = 1e-9): void {
  if (actual === expected) return;
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

// Expected values: python3 with scipy 1.17.1, `from scipy.stats import kstwo; from scipy.special import smirnov`.
describe('kstwoSf = scipy.stats.kstwo.sf(x, n), every branch of Simard & L’Ecuyer', () => {
  it.each([
    // [n, x, expected, branch]  — each expected is repr(kstwo.sf(x, n))
    [5, 0.05, 1.0, 'x ≤ 1/(2n)'],
    [5, 0.15, 0.9988, 'Ruben–Gambino nx ≤ 1'],
    [30, 0.98, 2.1474836480000572e-51, 'Ruben–Gambino nx ≥ n−1'],
    [30, 0.02, 1.0, 'x ≤ 1/(2n)'],
    [10, 0.25, 0.4841115325000003, 'Durbin matrix (n ≤ 140)'],
    [50, 0.1, 0.6623112704658186, 'Durbin matrix (n ≤ 140)'],
    [50, 0.2, 0.03143877776953241, 'Pomeranz'],
    [100, 0.15, 0.019839242125641813, 'Pomeranz'],
    [140, 0.1, 0.11353657290090946, 'Pomeranz'],
    [20, 0.3, 0.04306706665851623, 'Miller 2·smirnov (n ≤ 140, nx² > 4)'],
    [50, 0.6, 9.634070456142374e-18, 'x ≥ 0.5: 2·smirnov'],
    [100, 0.5, 1.2131434371817858e-23, 'x ≥ 0.5: 2·smirnov'],
    [1000, 0.006, 0.9999999999999065, 'Durbin matrix (n > 140)'],
    [20000, 0.0008, 1.0, 'Durbin matrix (n > 140)'],
    [100000, 0.0002, 1.0, 'Durbin matrix (n > 140)'],
    [1000, 0.03, 0.3226902143914636, 'Pelz–Good'],
    [20000, 0.004, 0.9048968240702959, 'Pelz–Good'],
    [1000, 0.05, 0.013012074781090332, '2·smirnov (nx² ≥ 2.2)'],
    [20000, 0.02, 2.2181270070049744e-7, '2·smirnov (nx² ≥ 2.2)'],
  ])('n=%p x=%p → %p (%s)', (n, x, expected) => {
    expectRel(kstwoSf(x, n), expected);
  });

  it('is 0 beyond the support, 1 below it, NaN for a non-integer n', () => {
    // kstwo.sf(1.0, 10) = 0.0; kstwo.sf(0.0, 10) = 1.0; kstwo.sf(0.3, 2.5) = nan
    expect(kstwoSf(1.0, 10)).toBe(0);
    expect(kstwoSf(0.0, 10)).toBe(1);
    expect(kstwoSf(0.3, 2.5)).toBeNaN();
    // scipy.stats._ksstats._kolmogn(10, 0.25, cdf=False) = 0.4841115325000003
    expectRel(kolmogornSf(10, 0.25), 0.4841115325000003);
    // nx² ≥ 370 → 0 without summing: kstwo.sf(0.2, 10000) = 0.0
    expect(kstwoSf(0.2, 10000)).toBe(0);
  });
});

describe('smirnovSf = scipy.special.smirnov(n, x)', () => {
  it.each([
    // [n, x, repr(smirnov(n, x))]
    [1, 0.3, 0.7],
    [5, 0.1, 0.85359],
    [5, 0.5, 0.056],
    [10, 0.95, 9.765625000000086e-14],
    [100, 0.1, 0.1265906584562817],
    [1000, 0.05, 0.006506037390545166],
    [50000, 0.01, 4.509024405921801e-5],
  ])('smirnov(%p, %p) = %p', (n, x, expected) => {
    expectRel(smirnovSf(n, x), expected);
  });
});

describe('modNX', () => {
  it('splits n·x into an exact floor and remainder', () => {
    // 3 × 0.1 = 0.30000000000000001665 exactly (fractions.Fraction(0.1)*3), so floor 0, remainder ≈ 0.3
    expect(modNX(3, 0.1).floor).toBe(0);
    // 10 × 0.1 exceeds 1 by float(Fraction(0.1)*10 - 1) = 5.551115123125783e-17
    const r = modNX(10, 0.1);
    expect(r.floor).toBe(1);
    expect(r.alpha).toBe(5.551115123125783e-17);
  });
});
