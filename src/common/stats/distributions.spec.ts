import {
  chiSquareSurvival,
  normalTwoSidedPValue,
  standardNormalCdf,
  standardNormalQuantile,
  studentTQuantile,
  studentTTwoSidedPValue,
} from 'src/common/stats/distributions';

describe('distributions (expected values from scipy 1.x)', () => {
  it('normal CDF and quantile', () => {
    // scipy.stats.norm.cdf(1.0) = 0.8413447460685429
    expect(standardNormalCdf(1)).toBeCloseTo(0.8413447460685429, 12);
    // scipy.stats.norm.ppf(0.975) = 1.959963984540054
    expect(standardNormalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
    // 2*scipy.stats.norm.sf(8) = 1.244192114854348e-15
    expect(normalTwoSidedPValue(8) / 1.244192114854348e-15).toBeCloseTo(1, 8);
  });
  it('student t', () => {
    // 2*scipy.stats.t.sf(2.5, 13.7) = 0.025784656471373117
    expect(studentTTwoSidedPValue(2.5, 13.7)).toBeCloseTo(0.025784656471373117, 10);
    // scipy.stats.t.ppf(0.975, 10) = 2.228138851986274
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 10);
  });
  it('chi-square survival', () => {
    // scipy.stats.chi2.sf(3.84, 1) = 0.05004352124870519
    expect(chiSquareSurvival(3.84, 1)).toBeCloseTo(0.05004352124870519, 12);
    // scipy.stats.chi2.sf(100, 3) = 1.5541594313896026e-21
    expect(chiSquareSurvival(100, 3) / 1.5541594313896026e-21).toBeCloseTo(1, 8);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});
