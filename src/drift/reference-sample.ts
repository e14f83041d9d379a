/**
 * Turning uploaded values into the compact stored form of a reference feature, and a stored feature back into a
 * sample the drift statistics take. Pure (no Nest, no TypeORM); the statistics themselves live in *.stats.ts.
 */
import { DriftInputError, type FeatureType, type NumericSample, prepareNumericSample } from 'src/drift/drift-check.stats';
import { categoryKey, isMissing } from 'src/drift/sample.stats';

/** A value as JSON can carry it; null (and, from other sources, NaN/±Infinity) is dropped before any statistic. */
export type SampleValue = number | string | boolean | null;

export const TOP_CATEGORIES = 10;

export interface ReferenceFeatureDisplay {
  min?: number;
  max?: number;
  median?: number;
  topCategories?: { value: string; count: number }[];
}

interface PreparedCommon {
  size: number;
  missingCount: number;
  distinctCount: number;
  display: ReferenceFeatureDisplay;
}

export interface PreparedNumericFeature extends PreparedCommon {
  type: 'numerical';
  /** Cleaned values, ascending. */
  sorted: Float64Array;
  mean: number;
  std: number;
}

export interface PreparedCategoricalFeature extends PreparedCommon {
  type: 'categorical';
  categories: string[];
  counts: number[];
  /** Every category came from a number, so "first in sorted order" is numeric order (as for the raw values). */
  numericCategories: boolean;
}

export type PreparedReferenceFeature = PreparedNumericFeature | PreparedCategoricalFeature;

/**
 * Cleans, types and summarises one uploaded reference feature. The type is the given one or inferred (every value
 * a number → numerical). Throws DriftInputError when nothing is left after cleaning or a numerical feature holds a
 * non-number.
 */
export function prepareReferenceFeature(values: readonly SampleValue[], type?: FeatureType): PreparedReferenceFeature {
  const resolvedType = type ?? (values.every((value) => isMissing(value) || typeof value === 'number') ? 'numerical' : 'categorical');
  const prepared = resolvedType === 'numerical' ? prepareNumeric(values) : prepareCategorical(values);
  if (prepared.size === 0) throw new DriftInputError('no value left after dropping null/NaN/±Infinity', 'EMPTY_SAMPLE');
  return prepared;
}

function prepareNumeric(values: readonly SampleValue[]): PreparedNumericFeature {
  const sample = prepareNumericSample(values);
  const sorted = sample.sorted;
  const size = sorted.length;
  return {
    type: 'numerical',
    sorted,
    size,
    missingCount: values.length - size,
    distinctCount: sample.distinctCount,
    mean: sample.mean,
    std: sample.std,
    display: size === 0 ? {} : { min: sorted[0], max: sorted[size - 1], median: medianOfSorted(sorted) },
  };
}

/** numpy.median: the middle value, or the mean of the two middle values for an even count. */
export function medianOfSorted(sorted: Float64Array): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function prepareCategorical(values: readonly SampleValue[]): PreparedCategoricalFeature {
  const counts = new Map<string, number>();
  let size = 0;
  let numericCategories = true;
  for (const value of values) {
    if (isMissing(value)) continue;
    if (typeof value !== 'number') numericCategories = false;
    const key = categoryKey(value);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    size++;
  }
  const categories = [...counts.keys()];
  const top = [...counts.entries()]
    .sort(([keyA, countA], [keyB, countB]) => countB - countA || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0))
    .slice(0, TOP_CATEGORIES)
    .map(([value, count]) => ({ value, count }));
  return {
    type: 'categorical',
    categories,
    counts: categories.map((category) => counts.get(category)!),
    numericCategories: numericCategories && size > 0,
    size,
    missingCount: values.length - size,
    distinctCount: categories.length,
    display: { topCategories: top },
  };
}

/** A stored numerical feature as the statistics' prepared sample: already sorted, so nothing is sorted again. */
export function numericSampleFromStored(sorted: Float64Array, stored: { distinctCount: number; mean: number; std: number }): NumericSample {
  return { kind: 'numeric-sample', sorted, size: sorted.length, distinctCount: stored.distinctCount, mean: stored.mean, std: stored.std };
}

/** A stored categorical feature as a sample with the same counts (numbers again when every category was one). */
export function categoricalSampleFromStored(
  categories: readonly string[],
  counts: readonly number[],
  numericCategories: boolean,
): Float64Array | string[] {
  const size = counts.reduce((total, count) => total + count, 0);
  if (numericCategories) {
    const sample = new Float64Array(size);
    let offset = 0;
    categories.forEach((category, index) => {
      sample.fill(Number(category), offset, offset + counts[index]);
      offset += counts[index];
    });
    return sample;
  }
  const sample = new Array<string>(size);
  let offset = 0;
  categories.forEach((category, index) => {
    sample.fill(category, offset, offset + counts[index]);
    offset += counts[index];
  });
  return sample;
}
