/**
 * The data quality of one drift-check feature: its current sample against the model's given expectation for it, or
 * else the expectation its reference sample implies. Pure: no framework; samples are taken in any of the drift
 * module's forms (values as sent, a Float64Array, or a sorted numeric sample with its dropped-null count).
 */
import {
  countSampleQuality,
  type ExpectedType,
  expectationFromSample,
  type FeatureExpectation,
  qualityShares,
  type QualityShares,
  type SortedSample,
} from 'src/data-quality/data-quality.stats';

/** One feature of a drift check's current sample against its expectation (stored with the check as jsonb). */
export interface SampleFeatureQuality extends QualityShares {
  name: string;
  type: ExpectedType;
  /** `reference`: implied by the check's reference sample; `given`: the model's given expectation. */
  source: 'reference' | 'given';
  count: number;
}

const sortedOf = (sample: unknown): Float64Array | null =>
  typeof sample === 'object' && sample !== null && (sample as { sorted?: unknown }).sorted instanceof Float64Array
    ? (sample as { sorted: Float64Array }).sorted
    : null;

export function sampleFeatureQuality(
  name: string,
  type: ExpectedType,
  current: unknown,
  reference: unknown,
  given: FeatureExpectation | undefined,
): SampleFeatureQuality {
  const referenceValues = sortedOf(reference) ?? (reference as readonly unknown[] | Float64Array);
  const expectation = given ?? expectationFromSample(name, type, referenceValues, true);
  const currentSorted = sortedOf(current);
  const values: readonly unknown[] | SortedSample =
    currentSorted !== null
      ? { sorted: currentSorted, missingCount: (current as { missingCount?: number }).missingCount ?? 0 }
      : current instanceof Float64Array
        ? { sorted: current, missingCount: 0 }
        : (current as readonly unknown[]);
  const counts = countSampleQuality(values, expectation);
  return {
    name,
    type: expectation.type,
    source: given ? 'given' : 'reference',
    count: counts.count,
    ...qualityShares(counts, expectation),
  };
}
