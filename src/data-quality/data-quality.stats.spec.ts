import {
  checkGivenExpectations,
  DEFAULT_QUALITY_THRESHOLDS,
  effectiveExpectations,
  judgeShares,
  learnedExpectation,
  parseDataQualityMetricName,
} from 'src/data-quality/data-quality.policy';
import { countSampleQuality, expectationFromSample, type FeatureExpectation, qualityShares } from 'src/data-quality/data-quality.stats';
import { sampleFeatureQuality } from 'src/data-quality/sample-quality';

const AGE: FeatureExpectation = { name: 'age', type: 'numerical', min: 20, max: 65, categories: null, nullable: false };
const PLAN: FeatureExpectation = {
  name: 'plan',
  type: 'categorical',
  min: null,
  max: null,
  categories: ['basic', 'free', 'pro'],
  nullable: true,
};

describe('data-quality shares', () => {
  it('counts a sample as sent: missing over rows, range over numbers, type and unseen over present values', () => {
    // numpy: v = [18, None, 'x', 20, 65, 65.5, NaN]; missing 2/7 (None, NaN), mismatch 1/5, out of range (18, 65.5) 2/4
    const counts = countSampleQuality([18, null, 'x', 20, 65, 65.5, Number.NaN], AGE);
    expect(counts).toEqual({ count: 7, missing: 2, typeMismatched: 1, numbers: 4, outOfRange: 2, unseen: 0 });
    expect(qualityShares(counts, AGE)).toEqual({
      missingShare: 2 / 7,
      outOfRangeShare: 0.5,
      unseenCategoryShare: null,
      typeMismatchShare: 0.2,
    });
    const plan = countSampleQuality(['basic', 'gold', 7, null, 'pro'], PLAN);
    expect(qualityShares(plan, PLAN)).toEqual({ missingShare: 0.2, outOfRangeShare: null, unseenCategoryShare: 0.5, typeMismatchShare: 0 });
  });

  it('counts a sorted numeric sample with its dropped nulls the same way, and is null where a share is undefined', () => {
    const sorted = countSampleQuality({ sorted: Float64Array.from([10, 30, 70]), missingCount: 1 }, AGE);
    expect(qualityShares(sorted, AGE)).toEqual({
      missingShare: 0.25,
      outOfRangeShare: 2 / 3,
      unseenCategoryShare: null,
      typeMismatchShare: 0,
    });
    const empty = countSampleQuality([], AGE);
    expect(qualityShares(empty, AGE)).toEqual({
      missingShare: null,
      outOfRangeShare: null,
      unseenCategoryShare: null,
      typeMismatchShare: null,
    });
    expect(qualityShares(countSampleQuality([1], PLAN), { ...PLAN, categories: null }).unseenCategoryShare).toBeNull();
  });

  it('learns range and categories from a reference sample (Evidently: min/max, unique values)', () => {
    expect(expectationFromSample('age', 'numerical', Float64Array.from([3, -1, 8]), true)).toMatchObject({ min: -1, max: 8 });
    expect(expectationFromSample('plan', 'categorical', ['b', 'a', null, 'b', 1], true).categories).toEqual(['1', 'a', 'b']);
    expect(sampleFeatureQuality('age', 'numerical', [0, 5], { sorted: Float64Array.from([1, 4]) }, undefined)).toMatchObject({
      source: 'reference',
      outOfRangeShare: 1,
    });
  });
});

describe('data-quality policy', () => {
  it('parses quality.<check>.<feature>, feature names with dots included', () => {
    expect(parseDataQualityMetricName('quality.missing_share.user.age')).toEqual({ check: 'missing_share', feature: 'user.age' });
    expect(
      ['quality.missing_share', 'quality.bogus.age', 'quality..age', 'quality.missing_share.'].map(parseDataQualityMetricName),
    ).toEqual([null, null, null, null]);
  });

  it('learns numerical only when every present value is a number, nullable when the window had a missing value', () => {
    const base = { name: 'f', rows: 10, present: 9, numbers: 9, min: 1, max: 5, categories: [] };
    expect(learnedExpectation(base)).toEqual({ name: 'f', type: 'numerical', min: 1, max: 5, categories: null, nullable: true });
    expect(learnedExpectation({ ...base, rows: 9, numbers: 8, categories: ['b', 'a'] })).toMatchObject({
      type: 'categorical',
      categories: ['a', 'b'],
      nullable: false,
    });
    expect(learnedExpectation({ ...base, present: 0, numbers: 0 })).toBeNull();
    expect(learnedExpectation({ ...base, numbers: 0, categories: Array.from({ length: 1001 }, (_, i) => `c${i}`) })?.categories).toBeNull();
  });

  it('a non-nullable feature breaches on any missing value; shares at the threshold do not breach', () => {
    const shares = { missingShare: 0.01, outOfRangeShare: 0.1, unseenCategoryShare: null, typeMismatchShare: 0 };
    expect(judgeShares(shares, AGE, DEFAULT_QUALITY_THRESHOLDS)).toEqual([
      { check: 'missing_share', share: 0.01, threshold: 0, breached: true },
      { check: 'out_of_range_share', share: 0.1, threshold: 0.1, breached: false },
      { check: 'type_mismatch_share', share: 0, threshold: 0, breached: false },
    ]);
    expect(judgeShares(shares, { ...AGE, nullable: true }, DEFAULT_QUALITY_THRESHOLDS)[0].breached).toBe(false);
  });

  it('names each bad given expectation field; given wins over learned', () => {
    expect(
      checkGivenExpectations(
        [
          { name: 'a', type: 'numerical', min: 2, max: 1 },
          { name: 'a', type: 'categorical', max: 3 },
        ],
        'features',
      ).map((error) => error.field),
    ).toEqual(['features[0].max', 'features[1].name', 'features[1].max']);
    const learned = { ...AGE, source: 'learned' };
    const given = { ...AGE, min: 0, source: 'given' };
    expect(effectiveExpectations([learned, { ...PLAN, source: 'learned' }], [given]).map((e) => [e.name, e.source])).toEqual([
      ['age', 'given'],
      ['plan', 'learned'],
    ]);
  });
});
