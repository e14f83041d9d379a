/**
 * Turning uploaded values into the compact stored form of a reference feature, and a stored feature back into a
 * sample the drift statistics take. Pure (no Nest, no TypeORM); the statistics themselves live in *.stats.ts.
 */
import type { PackedNumbers } from 'src/common/http/sample-json';
import { DriftInputError, type FeatureType, type NumericSample, prepareNumericSample } from 'src/drift/drift-check.stats';
import { categoryKey, isMissing, isNumericSample } from 'src/drift/sample.stats';

/** A value as JSON can carry it; null (and, from other sources, NaN/±Infinity) is dropped before any statistic. */
export type SampleValue = number | string | boolean | null;

export const TOP_CATEGORIES = 10;

/**
 * A numbers-only feature of an upload as the body-parsing worker delivered it (src/common/http/sample-json.ts):
 * already cleaned and sorted, with what storing it needs. At run time a DTO's `values` may be one of these.
 */
export interface UploadedNumericSample extends NumericSample {
  /** Values dropped (null) before sorting. */
  readonly missingCount: number;
  /** The sorted values in PostgreSQL's binary float8[] format, built off the event loop for reference uploads. */
  readonly arraySend?: Uint8Array;
}

export function uploadedNumericSample(packed: PackedNumbers): UploadedNumericSample {
  // the worker summarised the values with numericSampleOfSorted already: the event loop does not walk them again
  return { ...numericSampleFromStored(packed.sorted, packed.summary), missingCount: packed.missingCount, arraySend: packed.arraySend };
}

export function isUploadedNumericSample(values: unknown): values is UploadedNumericSample {
  return isNumericSample(values) && typeof (values as UploadedNumericSample).missingCount === 'number';
}

/** An uploaded feature's values: as sent, or as the parsing worker prepared a numbers-only one. */
export type UploadedValues = readonly SampleValue[] | UploadedNumericSample;

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
  /** The sorted values in PostgreSQL's binary float8[] format when the parsing worker built it; else the repository encodes them. */
  arraySend?: Uint8Array;
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
export function prepareReferenceFeature(values: UploadedValues, type?: FeatureType): PreparedReferenceFeature {
  const plain = isUploadedNumericSample(values) ? null : values;
  const resolvedType =
    type ?? (plain === null || plain.every((value) => isMissing(value) || typeof value === 'number') ? 'numerical' : 'categorical');
  const prepared =
    resolvedType === 'numerical'
      ? prepareNumeric(values)
      : // the worker leaves features declared categorical as sent; one that was packed anyway is counted from its values
        prepareCategorical(
          plain ?? [
            ...(values as UploadedNumericSample).sorted,
            ...new Array<null>((values as UploadedNumericSample).missingCount).fill(null),
          ],
        );
  if (prepared.size === 0) throw new DriftInputError('no value left after dropping null/NaN/±Infinity', 'EMPTY_SAMPLE');
  return prepared;
}

function prepareNumeric(values: UploadedValues): PreparedNumericFeature {
  const sample = prepareNumericSample(values);
  const sorted = sample.sorted;
  const size = sorted.length;
  const uploaded = isUploadedNumericSample(values) ? values : null;
  return {
    type: 'numerical',
    sorted,
    arraySend: uploaded?.arraySend,
    size,
    missingCount: uploaded ? uploaded.missingCount : (values as readonly SampleValue[]).length - size,
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

/** Sorted values and their summary (stored, or from the parsing worker) as the statistics' prepared sample: nothing is sorted or summed again. */
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
