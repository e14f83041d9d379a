import { fitIsotonic, predictIsotonic } from 'src/predictions/isotonic.stats';
import { trimCalibrator } from 'src/predictions/cbpe.stats';
import {
  cbpeMetricOf,
  estimationComparisons,
  estimationQuality,
  fitReferenceFromGroups,
  referenceShortfall,
} from 'src/predictions/estimation-buckets.policy';
import { Lcg } from 'test/support/prediction-vectors';

describe('estimation buckets policy', () => {
  it('trimming the calibrator keeps the same function with fewer points', () => {
    const generator = new Lcg(5);
    const x = Array.from({ length: 3000 }, () => Math.round(generator.next() * 1000) / 1000);
    const y = x.map((v) => (generator.next() < v ? 1 : 0));
    const fit = fitIsotonic(x, y);
    const trimmed = trimCalibrator(fit);
    expect(trimmed.x.length).toBeLessThan(fit.x.length / 2);
    for (let v = -0.01; v <= 1.01; v += 0.0005) expect(predictIsotonic(trimmed, v)).toBeCloseTo(predictIsotonic(fit, v), 14);
  });

  it('bias is the mean error, MAE the mean |error|, band coverage over the banded buckets', () => {
    expect(
      estimationQuality([
        { bucket: 1, value: 0.1, count: 10, estimate: 0.8, realized: 0.7, lower: 0.75, upper: 0.85 },
        { bucket: 2, value: -0.05, count: 10, estimate: 0.7, realized: 0.75, lower: 0.6, upper: 0.8 },
        { bucket: 3, value: 0.03, count: 10, estimate: 0.73, realized: 0.7 },
      ]),
    ).toEqual({ bucketsCompared: 3, bias: (0.1 - 0.05 + 0.03) / 3, meanAbsoluteError: (0.1 + 0.05 + 0.03) / 3, withinBandShare: 0.5 });
    expect(estimationQuality([])).toEqual({ bucketsCompared: 0, bias: null, meanAbsoluteError: null, withinBandShare: null });
  });

  it('a reference needs 100 labelled predictions with 10 of each label, at most 2,000,000', () => {
    expect(referenceShortfall(100, 10)).toBeNull();
    expect(referenceShortfall(100, 91)).toContain('at least 100, with at least 10 of each label');
    expect(referenceShortfall(99, 50)).toContain('99 labelled predictions');
    expect(referenceShortfall(2_000_001, 50)).toContain('at most 2000000');
  });

  it('compares only buckets at least 90 % labelled, estimate − realized', () => {
    const generator = new Lcg(11);
    const reference = fitReferenceFromGroups(
      Array.from({ length: 400 }, () => {
        const score = generator.next();
        return { score, predictedClass: score >= 0.5 ? '1' : '0', labelClass: generator.next() < score ? '1' : '0', count: 1 };
      }),
    );
    // bucket 1: 10 predictions, all labelled; bucket 2: 10 predictions, 8 labelled (coverage 0.8)
    const rows = [1, 2].flatMap((bucket) =>
      Array.from({ length: 10 }, (_, i) => ({
        bucket,
        score: (i + 0.5) / 10,
        predictedClass: i >= 5 ? '1' : '0',
        labelClass: bucket === 2 && i < 2 ? null : i % 3 === 0 ? '1' : '0',
        count: 1,
      })),
    );
    const comparisons = estimationComparisons(reference, 'accuracy', rows);
    expect(comparisons.map((c) => c.bucket)).toEqual([1]);
    // realized accuracy of bucket 1: labels 1 at i = 0, 3, 6, 9; predicted 1 at i ≥ 5 → correct at 1, 2, 4, 6, 9 → 0.5
    expect(comparisons[0].realized).toBe(0.5);
    expect(comparisons[0].value).toBeCloseTo(comparisons[0].estimate - 0.5, 15);
    expect(cbpeMetricOf('estimated.auc')).toBe('auc');
    expect(cbpeMetricOf('estimation_error.log_loss')).toBeNull();
  });
});
