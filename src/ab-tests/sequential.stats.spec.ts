import {
  DEFAULT_SEQUENTIAL_TUNING_PARAMETER,
  sequentialHalfWidth,
  sequentialPValue,
  sequentialRho,
  sequentialTest,
} from 'src/ab-tests/sequential.stats';
import { standardNormalQuantile } from 'src/common/stats/distributions';

/*
 * Expected values: python3 + numpy, transcribing GrowthBook gbstats SequentialTwoSidedTTest
 * (packages/stats/gbstats/frequentist/tests.py):
 *
 *   import numpy as np
 *   def rho(alpha, N): return np.sqrt((-2*np.log(alpha) + np.log(-2*np.log(alpha) + 1)) / N)
 *   def hw(var, n, alpha, r):
 *       return np.sqrt(var*n) * np.sqrt(2*(n*r**2+1)*np.log(np.sqrt(n*r**2+1)/alpha)/(n*r)**2)
 *   def pv(est, var, n, r):
 *       st2 = est**2*n/var; tr2p1 = n*r**2+1
 *       return min(1/(np.exp(r**2*st2/(2*tr2p1))/np.sqrt(tr2p1)), 1)
 */

/** |actual − expected| ≤ 1e-10·|expected| (relative tolerance). */
function expectRelativeClose(actual: number, expected: number, tolerance = 1e-10): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

describe('sequentialRho', () => {
  it('matches gbstats (Waudby-Smith et al. eq. 161)', () => {
    expect(DEFAULT_SEQUENTIAL_TUNING_PARAMETER).toBe(5000);
    expectRelativeClose(sequentialRho(0.05), 0.03984006677137368); // rho(0.05, 5000)
    expectRelativeClose(sequentialRho(0.1, 1000), 0.07955413003292938); // rho(0.1, 1000)
    expectRelativeClose(sequentialRho(0.01, 20000), 0.02401430963062984); // rho(0.01, 20000)
  });
});

describe('sequentialHalfWidth', () => {
  it('matches gbstats (Waudby-Smith et al. eq. 9)', () => {
    const rho = sequentialRho(0.05);
    // hw(0.0096631070164712, 4000, 0.05, rho(0.05, 5000))
    expectRelativeClose(sequentialHalfWidth(0.0096631070164712, 4000, 0.05, rho), 0.2988720920259119);
    // hw(0.0001, 10000, 0.05, rho(0.05, 5000))
    expectRelativeClose(sequentialHalfWidth(0.0001, 10000, 0.05, rho), 0.030614772188674165);
    // hw(2.5e-5, 250, 0.1, rho(0.1, 1000))
    expectRelativeClose(sequentialHalfWidth(2.5e-5, 250, 0.1, sequentialRho(0.1, 1000)), 0.015053215222734465);
  });

  it('is wider than the fixed-horizon normal interval at every n', () => {
    for (const alpha of [0.01, 0.05, 0.1, 0.2]) {
      const rho = sequentialRho(alpha);
      const z = standardNormalQuantile(1 - alpha / 2);
      for (const n of [2, 10, 100, 1000, 5000, 10000, 100000, 10000000]) {
        const variance = 1 / n;
        expect(sequentialHalfWidth(variance, n, alpha, rho)).toBeGreaterThan(z * Math.sqrt(variance));
      }
    }
  });
});

describe('sequentialPValue', () => {
  it('matches gbstats (Waudby-Smith et al. eq. 155)', () => {
    const rho = sequentialRho(0.05);
    // pv(0.2083333333333333, 0.0096631070164712, 4000, rho(0.05, 5000))
    expectRelativeClose(sequentialPValue(0.2083333333333333, 0.0096631070164712, 4000, rho), 0.3894866105960959);
    // pv(0.05, 0.0001, 10000, rho(0.05, 5000))
    expectRelativeClose(sequentialPValue(0.05, 0.0001, 10000, rho), 3.2111246171002824e-5);
    // pv(0.02, 0.0001, 10000, rho(0.05, 5000))
    expectRelativeClose(sequentialPValue(0.02, 0.0001, 10000, rho), 0.6258618022543226);
    // pv(-0.03, 2.5e-5, 250, rho(0.1, 1000))
    expectRelativeClose(sequentialPValue(-0.03, 2.5e-5, 250, sequentialRho(0.1, 1000)), 2.6065019957653628e-5);
  });

  it('is capped at 1 and is 1 for a zero estimate', () => {
    expect(sequentialPValue(0, 0.01, 1000, sequentialRho(0.05))).toBe(1);
    expect(sequentialPValue(0.001, 0.01, 1000, sequentialRho(0.05))).toBe(1);
  });

  it('underflows to 0, not NaN, for overwhelming evidence', () => {
    expect(sequentialPValue(10, 1e-6, 1e6, sequentialRho(0.05))).toBe(0);
  });
});

describe('sequentialTest', () => {
  it("reproduces gbstats' own published test (test_sequential_test_runs, N* = 1000)", () => {
    // gbstats tests/frequentist/test_tests.py: SampleMeanStatistic(sum=1396.87, sum_squares=52377.9767, n=3000) vs
    // (sum=2422.7, sum_squares=134698.29, n=3461) -> expected 0.50336, ci [-0.55844, 1.56516], stddev 0.33341, p 1.
    // Full precision: est = 0.5033610858562358, sqrt(var) = 0.3334122146400735 (delta method, ddof=1 variances),
    // hw(var, 6461, 0.05, rho(0.05, 1000)) -> ci (-0.5584405051077315, 1.5651626768202032), pv(...) == 1.
    const controlMean = 1396.87 / 3000;
    const treatmentMean = 2422.7 / 3461;
    const controlVariance = (52377.9767 - (1396.87 * 1396.87) / 3000) / 2999;
    const treatmentVariance = (134698.29 - (2422.7 * 2422.7) / 3461) / 3460;
    const estimate = (treatmentMean - controlMean) / controlMean;
    const variance = treatmentVariance / (controlMean ** 2 * 3461) + (controlVariance * treatmentMean ** 2) / (controlMean ** 4 * 3000);
    expectRelativeClose(estimate, 0.5033610858562358);
    expectRelativeClose(Math.sqrt(variance), 0.3334122146400735);
    const result = sequentialTest(estimate, variance, 6461, 0.05, 1000);
    expect(result).not.toBeNull();
    expectRelativeClose(result!.ciLow, -0.5584405051077315);
    expectRelativeClose(result!.ciHigh, 1.5651626768202032);
    expect(result!.pValue).toBe(1);
    expect(result!.ciLow.toFixed(5)).toBe('-0.55844');
    expect(result!.ciHigh.toFixed(5)).toBe('1.56516');
  });

  it('returns null when the variance is not positive or n < 1', () => {
    expect(sequentialTest(0.1, 0, 100, 0.05)).toBeNull();
    expect(sequentialTest(0.1, -1, 100, 0.05)).toBeNull();
    expect(sequentialTest(0.1, 0.01, 0, 0.05)).toBeNull();
    expect(sequentialTest(Number.NaN, 0.01, 100, 0.05)).toBeNull();
  });
});
