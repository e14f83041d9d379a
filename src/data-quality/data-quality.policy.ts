/**
 * Data-quality rules that are not formulas: the computed metric names, checking given expectations, learning
 * expectations from a prediction window's summary, and which share breaches its threshold. Pure: no framework.
 */
import type { FieldError } from 'src/common/errors/domain-error';
import {
  type ExpectedType,
  type FeatureExpectation,
  QUALITY_CHECKS,
  type QualityCheck,
  type QualityShares,
  shareOf,
} from 'src/data-quality/data-quality.stats';
import { COMPUTED_METRIC_PREFIXES } from 'src/metrics/computed-metrics.policy';

/** Computed data-quality shares are named `quality.<check>.<feature>`. */
const [DATA_QUALITY_METRIC_PREFIX] = COMPUTED_METRIC_PREFIXES.dataQuality;
/** More distinct values than this in a reference window: the feature's categories are not kept (unseen share not checked). */
export const MAX_LEARNED_CATEGORIES = 1_000;
export const MAX_EXPECTED_FEATURES = 500;

/** Alert thresholds and the window the periodic evaluation looks at. */
export interface QualityThresholds {
  missingShare: number;
  outOfRangeShare: number;
  unseenCategoryShare: number;
  typeMismatchShare: number;
  /** The evaluation looks at predictions of the last this many minutes. */
  windowMinutes: number;
  /** Fewer predictions than this in the window: nothing is raised or resolved (too few to judge). */
  minCount: number;
}

/**
 * Defaults: out-of-range 10 % is Evidently's TestShareOfOutRangeValues default; a type mismatch is a bug in the caller,
 * so any is alerted; 5 % missing (nullable features only: a feature whose reference had no missing value alerts on any)
 * and 5 % unseen categories are looser than Evidently's "no more than the reference" / "none", so that a single odd row
 * in an hour of traffic does not page anyone.
 */
export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = {
  missingShare: 0.05,
  outOfRangeShare: 0.1,
  unseenCategoryShare: 0.05,
  typeMismatchShare: 0,
  windowMinutes: 60,
  minCount: 30,
};

/** `quality.missing_share.age` → { check: missing_share, feature: age } (the feature name may hold dots); null when malformed. */
export function parseDataQualityMetricName(name: string): { check: QualityCheck; feature: string } | null {
  const rest = name.slice(DATA_QUALITY_METRIC_PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot === rest.length - 1) return null;
  const check = rest.slice(0, dot) as QualityCheck;
  return QUALITY_CHECKS.includes(check) ? { check, feature: rest.slice(dot + 1) } : null;
}

/** A given expectation as the (class-validated) request carries it. */
export interface GivenExpectationInput {
  name: string;
  type: ExpectedType;
  min?: number | null;
  max?: number | null;
  categories?: string[] | null;
  nullable?: boolean;
}

/** Cross-field rules class-validator cannot state: unique names, min ≤ max, bounds only on numerical and categories only on categorical features. */
export function checkGivenExpectations(features: readonly GivenExpectationInput[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  features.forEach((feature, index) => {
    const at = `${path}[${index}]`;
    if (seen.has(feature.name)) errors.push({ field: `${at}.name`, message: `feature "${feature.name}" is given twice` });
    seen.add(feature.name);
    const hasBounds = feature.min != null || feature.max != null;
    if (feature.type === 'categorical' && hasBounds)
      errors.push({ field: `${at}.${feature.min != null ? 'min' : 'max'}`, message: 'min/max apply to numerical features only' });
    if (feature.type === 'numerical' && feature.categories != null)
      errors.push({ field: `${at}.categories`, message: 'categories apply to categorical features only' });
    if (feature.min != null && feature.max != null && feature.min > feature.max)
      errors.push({ field: `${at}.max`, message: 'must be ≥ min' });
  });
  return errors;
}

export function givenExpectation(input: GivenExpectationInput): FeatureExpectation {
  return {
    name: input.name,
    type: input.type,
    min: input.min ?? null,
    max: input.max ?? null,
    categories: input.categories == null ? null : [...new Set(input.categories)].sort(),
    nullable: input.nullable ?? true,
  };
}

/** One feature of a reference window as SQL summarised it. */
export interface FeatureWindowSummary {
  name: string;
  /** Predictions in the window (the feature absent counts as missing). */
  rows: number;
  present: number;
  numbers: number;
  min: number | null;
  max: number | null;
  /** Distinct present values (text), up to MAX_LEARNED_CATEGORIES + 1; only read for categorical features. */
  categories: string[];
}

/**
 * The expectation a reference window implies. Type as the drift module infers it (every present value a number →
 * numerical); range = the window's [min, max], Evidently's default, rather than a quantile range: every reference
 * value is then in range, so the share measures new traffic only and a tuned quantile is not needed (a user who
 * wants a narrower or wider range gives min/max). Nullable when the window had a missing value. Null for a
 * feature with no present value (no type to learn).
 */
export function learnedExpectation(summary: FeatureWindowSummary): FeatureExpectation | null {
  if (summary.present === 0) return null;
  const nullable = summary.rows > summary.present;
  if (summary.numbers === summary.present)
    return { name: summary.name, type: 'numerical', min: summary.min, max: summary.max, categories: null, nullable };
  const categories = summary.categories.length > MAX_LEARNED_CATEGORIES ? null : [...summary.categories].sort();
  return { name: summary.name, type: 'categorical', min: null, max: null, categories, nullable };
}

/** The threshold a share is compared with: a non-nullable feature tolerates no missing value. */
export function thresholdFor(check: QualityCheck, expectation: FeatureExpectation, thresholds: QualityThresholds): number {
  switch (check) {
    case 'missing_share':
      return expectation.nullable ? thresholds.missingShare : 0;
    case 'out_of_range_share':
      return thresholds.outOfRangeShare;
    case 'unseen_category_share':
      return thresholds.unseenCategoryShare;
    case 'type_mismatch_share':
      return thresholds.typeMismatchShare;
  }
}

export interface CheckVerdict {
  check: QualityCheck;
  share: number;
  threshold: number;
  /** share > threshold. */
  breached: boolean;
}

/** Every defined share of one feature against its threshold (undefined shares give no verdict: nothing changes). */
export function judgeShares(shares: QualityShares, expectation: FeatureExpectation, thresholds: QualityThresholds): CheckVerdict[] {
  return QUALITY_CHECKS.flatMap((check) => {
    const value = shareOf(shares, check);
    if (value === null) return [];
    const threshold = thresholdFor(check, expectation, thresholds);
    return [{ check, share: value, threshold, breached: value > threshold }];
  });
}

/** Given expectations win over learned ones for the same feature; sorted by name. */
export function effectiveExpectations<T extends FeatureExpectation>(learned: readonly T[], given: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const expectation of learned) byName.set(expectation.name, expectation);
  for (const expectation of given) byName.set(expectation.name, expectation);
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
