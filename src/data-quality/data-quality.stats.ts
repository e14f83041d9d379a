/**
 * Data-quality shares of one feature against its expectation: each share written once, over counts that either a SQL
 * GROUP BY (logged predictions, data-quality.repository.ts) or countSampleQuality (a drift-check sample) produces.
 * Pure: no framework. Definitions after Evidently's data-quality metrics (`ColumnSummaryMetric` missing share,
 * `ColumnValueRangeMetric` share_not_in_range, `ColumnValueListMetric` share_not_in_list; the metrics behind
 * TestShareOfMissingValues, TestShareOfOutRangeValues and TestShareOfOutListValues of its test presets).
 */

export type ExpectedType = 'numerical' | 'categorical';

/** What a feature's values should look like: learned from a reference, or given. */
export interface FeatureExpectation {
  name: string;
  type: ExpectedType;
  /** Numerical: the accepted range, bounds inclusive; null on a side = unbounded there. */
  min: number | null;
  max: number | null;
  /** Categorical: the allowed categories (their text); null = not checked. */
  categories: readonly string[] | null;
  /** false: any missing value is a violation (its alert threshold is 0). */
  nullable: boolean;
}

/** One feature over a set of rows (a bucket of predictions, or a drift-check sample). */
export interface QualityCounts {
  /** Rows. */
  count: number;
  /** Rows where the feature is absent, null (or, in drift samples, NaN/±Infinity). */
  missing: number;
  /** Present values whose kind is not the feature's (a numerical feature takes numbers only). */
  typeMismatched: number;
  /** Present numbers (numerical features): the out-of-range share's denominator. */
  numbers: number;
  /** Numbers outside [min, max]. */
  outOfRange: number;
  /** Present values of a categorical feature that are not among its categories. */
  unseen: number;
}

export interface QualityShares {
  missingShare: number | null;
  outOfRangeShare: number | null;
  unseenCategoryShare: number | null;
  typeMismatchShare: number | null;
}

export const QUALITY_CHECKS = ['missing_share', 'out_of_range_share', 'unseen_category_share', 'type_mismatch_share'] as const;
export type QualityCheck = (typeof QUALITY_CHECKS)[number];

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Missing / rows (Evidently ColumnSummaryMetric: missing count / number of rows); null without rows. */
export function missingShare(counts: QualityCounts): number | null {
  return share(counts.missing, counts.count);
}

/**
 * Numbers outside [min, max] (bounds inclusive) / numbers present (Evidently ColumnValueRangeMetric.share_not_in_range:
 * nulls dropped, `between(left, right, inclusive="both")`); null for a categorical feature, without bounds or numbers.
 */
export function outOfRangeShare(counts: QualityCounts, expectation: FeatureExpectation): number | null {
  if (expectation.type !== 'numerical' || (expectation.min === null && expectation.max === null)) return null;
  return share(counts.outOfRange, counts.numbers);
}

/**
 * Values not among the categories / values present (Evidently ColumnValueListMetric.share_not_in_list with the list
 * from the reference's unique values; unlike Evidently, whose denominator counts null rows too, a missing value is
 * counted once, as missing, not also as "not in list"); null for a numerical feature, without categories or values.
 */
export function unseenCategoryShare(counts: QualityCounts, expectation: FeatureExpectation): number | null {
  if (expectation.type !== 'categorical' || expectation.categories === null) return null;
  return share(counts.unseen, counts.count - counts.missing);
}

/** Present values of the wrong kind / values present (a string in a numerical feature: pandas' "mixed" dtype); null without values. */
export function typeMismatchShare(counts: QualityCounts): number | null {
  return share(counts.typeMismatched, counts.count - counts.missing);
}

export function qualityShares(counts: QualityCounts, expectation: FeatureExpectation): QualityShares {
  return {
    missingShare: missingShare(counts),
    outOfRangeShare: outOfRangeShare(counts, expectation),
    unseenCategoryShare: unseenCategoryShare(counts, expectation),
    typeMismatchShare: typeMismatchShare(counts),
  };
}

export function shareOf(shares: QualityShares, check: QualityCheck): number | null {
  switch (check) {
    case 'missing_share':
      return shares.missingShare;
    case 'out_of_range_share':
      return shares.outOfRangeShare;
    case 'unseen_category_share':
      return shares.unseenCategoryShare;
    case 'type_mismatch_share':
      return shares.typeMismatchShare;
  }
}

/** A value as a category: its text (strings as they are, numbers and booleans as JSON writes them, the drift module's categoryKey). */
export function categoryText(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

const isAbsent = (value: unknown): boolean =>
  value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value));

/** Sorted numbers (a drift sample prepared by the parsing worker) with how many nulls were dropped from them. */
export interface SortedSample {
  sorted: Float64Array;
  missingCount: number;
}

/** The counts of one drift-check sample: its values as sent, or numbers already sorted with their missing count. */
export function countSampleQuality(values: readonly unknown[] | SortedSample, expectation: FeatureExpectation): QualityCounts {
  const counts: QualityCounts = { count: 0, missing: 0, typeMismatched: 0, numbers: 0, outOfRange: 0, unseen: 0 };
  const allowed = expectation.categories === null ? null : new Set(expectation.categories);
  const visit = (value: unknown) => {
    counts.count++;
    if (isAbsent(value)) {
      counts.missing++;
      return;
    }
    if (expectation.type === 'numerical') {
      if (typeof value !== 'number') {
        counts.typeMismatched++;
        return;
      }
      counts.numbers++;
      if ((expectation.min !== null && value < expectation.min) || (expectation.max !== null && value > expectation.max))
        counts.outOfRange++;
      return;
    }
    if (allowed !== null && !allowed.has(categoryText(value as string | number | boolean))) counts.unseen++;
  };
  if (Array.isArray(values)) {
    for (const value of values as readonly unknown[]) visit(value);
  } else {
    const sample = values as SortedSample;
    for (let i = 0; i < sample.sorted.length; i++) visit(sample.sorted[i]);
    counts.count += sample.missingCount;
    counts.missing += sample.missingCount;
  }
  return counts;
}

/**
 * The expectation a reference sample implies (Evidently's defaults when no condition is given): a numerical feature's
 * range is the reference's [min, max] (ColumnValueRangeMetric with left/right omitted), a categorical feature's
 * categories are the reference's distinct values (ColumnValueListMetric with values omitted).
 */
export function expectationFromSample(
  name: string,
  type: ExpectedType,
  values: readonly unknown[] | Float64Array,
  nullable: boolean,
): FeatureExpectation {
  if (type === 'numerical') {
    let min = Infinity;
    let max = -Infinity;
    for (const value of values) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    return { name, type, min: min === Infinity ? null : min, max: max === -Infinity ? null : max, categories: null, nullable };
  }
  const categories = new Set<string>();
  for (const value of values) if (!isAbsent(value)) categories.add(categoryText(value as string | number | boolean));
  return { name, type, min: null, max: null, categories: [...categories].sort(), nullable };
}
