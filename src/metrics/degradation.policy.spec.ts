import { assessDegradation, BaselineDirection } from 'src/metrics/degradation.policy';

describe('assessDegradation', () => {
  it('flags a higher-is-better metric that fell by more than the tolerance', () => {
    // (0.80 − 0.90) / 0.90 = −0.1111…
    const result = assessDegradation(0.9, 0.8, BaselineDirection.HigherIsBetter, 0.05);
    expect(result.relativeChange).toBeCloseTo(-0.111111111, 8);
    expect(result.degraded).toBe(true);
  });

  it('does not flag a fall within the tolerance, nor a rise', () => {
    // (0.88 − 0.90) / 0.90 = −0.0222…
    expect(assessDegradation(0.9, 0.88, BaselineDirection.HigherIsBetter, 0.05).degraded).toBe(false);
    expect(assessDegradation(0.9, 0.99, BaselineDirection.HigherIsBetter, 0.05).degraded).toBe(false);
  });

  it('flags a lower-is-better metric that rose by more than the tolerance', () => {
    // (120 − 100) / 100 = 0.2
    expect(assessDegradation(100, 120, BaselineDirection.LowerIsBetter, 0.1)).toEqual({ relativeChange: 0.2, degraded: true });
    // (80 − 100) / 100 = −0.2: better, not degraded
    expect(assessDegradation(100, 80, BaselineDirection.LowerIsBetter, 0.1)).toEqual({ relativeChange: -0.2, degraded: false });
  });

  it('measures the change against |baseline| for a negative baseline', () => {
    // (−1.5 − (−1)) / |−1| = −0.5: down, bad for higher_is_better
    expect(assessDegradation(-1, -1.5, BaselineDirection.HigherIsBetter, 0.05)).toEqual({ relativeChange: -0.5, degraded: true });
  });

  it('compares the absolute change with the tolerance when the baseline is zero', () => {
    expect(assessDegradation(0, 0.2, BaselineDirection.LowerIsBetter, 0.1)).toEqual({ relativeChange: null, degraded: true });
    expect(assessDegradation(0, 0.05, BaselineDirection.LowerIsBetter, 0.1)).toEqual({ relativeChange: null, degraded: false });
    expect(assessDegradation(0, -0.2, BaselineDirection.HigherIsBetter, 0.1)).toEqual({ relativeChange: null, degraded: true });
  });

  it('is not degraded without a current value', () => {
    expect(assessDegradation(0.9, null, BaselineDirection.HigherIsBetter, 0.05)).toEqual({ relativeChange: null, degraded: false });
  });
});
