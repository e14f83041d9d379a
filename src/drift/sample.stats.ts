/**
 * Cleaning, type inference and the numeric sample representation shared by every drift statistic.
 * A value that is null, undefined, NaN or ±Infinity is dropped before anything else; categorical values
 * (strings, numbers, booleans) are compared by a canonical string key.
 */

export type FeatureType = 'numerical' | 'categorical';
export type CategoricalValue = string | number | boolean;

/** Bad input to a drift check (empty side after cleaning, wrong value kinds, unknown test…): map to HTTP 400. */
export class DriftInputError extends Error {
  constructor(
    message: string,
    readonly code: 'EMPTY_SAMPLE' | 'INVALID_VALUE' | 'UNSUPPORTED_TEST' | 'INVALID_THRESHOLD' | 'BINNING',
  ) {
    super(message);
    this.name = 'DriftInputError';
  }
}

/**
 * A cleaned numeric sample sorted ascending, reusable across checks (the service stores references this way).
 * Build it with prepareNumericSample; testFeatureDrift accepts it for either side.
 */
export interface NumericSample {
  readonly kind: 'numeric-sample';
  /** Finite values, ascending. */
  readonly sorted: Float64Array;
  readonly size: number;
  /** Number of distinct values (−0 and 0 count as one). */
  readonly distinctCount: number;
  readonly mean: number;
  /** Population standard deviation (numpy's np.std, ddof = 0). */
  readonly std: number;
}

export function isNumericSample(x: unknown): x is NumericSample {
  return typeof x === 'object' && x !== null && (x as NumericSample).kind === 'numeric-sample';
}

/** A dropped value: null, undefined, NaN or ±Infinity. */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
}

/** Drops null/undefined/NaN/±Infinity. A Float64Array is returned as is when already all finite. */
export function cleanValues(values: readonly unknown[]): unknown[];
export function cleanValues(values: Float64Array): Float64Array;
export function cleanValues(values: readonly unknown[] | Float64Array): unknown[] | Float64Array;
export function cleanValues(values: readonly unknown[] | Float64Array): unknown[] | Float64Array {
  if (values instanceof Float64Array) {
    let bad = 0;
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) bad++;
    if (bad === 0) return values;
    const out = new Float64Array(values.length - bad);
    let k = 0;
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[k++] = values[i];
    return out;
  }
  const out: unknown[] = [];
  for (const v of values) if (!isMissing(v)) out.push(v);
  return out;
}

/** 'numerical' when every (cleaned) value is a number, else 'categorical'. */
export function inferFeatureType(...sides: ReadonlyArray<readonly unknown[] | Float64Array>): FeatureType {
  for (const side of sides) {
    if (side instanceof Float64Array) continue;
    for (const v of side) if (!isMissing(v) && typeof v !== 'number') return 'categorical';
  }
  return 'numerical';
}

/** Minimum, maximum and whether every value is finite, in one pass (min/max ignore NaN). */
export function finiteRange(values: Float64Array): { min: number; max: number; allFinite: boolean } {
  let min = Infinity;
  let max = -Infinity;
  let allFinite = true;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x < min) min = x;
    if (x > max) max = x;
    if (x - x !== 0) allFinite = false; // NaN or ±Infinity
  }
  return { min, max, allFinite };
}

/** Canonical category key: String(v) for strings, numbers (−0 → "0") and booleans. */
export function categoryKey(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new DriftInputError(`categorical values must be strings, numbers or booleans, got ${typeof v}`, 'INVALID_VALUE');
}

/** Cleaned numeric values of one side as a Float64Array; throws DriftInputError on a non-number. */
export function toFloat64(values: readonly unknown[] | Float64Array): Float64Array {
  if (values instanceof Float64Array) return cleanValues(values);
  const out = new Float64Array(values.length);
  let k = 0;
  for (const v of values) {
    if (isMissing(v)) continue;
    if (typeof v !== 'number') {
      throw new DriftInputError(`numerical feature has a non-number value (${typeof v})`, 'INVALID_VALUE');
    }
    out[k++] = v;
  }
  return k === out.length ? out : out.slice(0, k);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const RADIX_MIN_N = 1024;

/**
 * Ascending numeric sort of finite doubles into a new array. LSD radix sort on the IEEE-754 bit patterns
 * (11/11/10-bit digits per 32-bit half) for large arrays, Float64Array.prototype.sort otherwise.
 */
export function sortFloat64(src: Float64Array): Float64Array {
  const n = src.length;
  if (n < RADIX_MIN_N || !LITTLE_ENDIAN) return Float64Array.from(src).sort();
  let a = new Uint32Array(2 * n);
  let b = new Uint32Array(2 * n);
  const srcU = new Uint32Array(src.buffer, src.byteOffset, 2 * n);
  const counts = [
    new Uint32Array(2048),
    new Uint32Array(2048),
    new Uint32Array(1024),
    new Uint32Array(2048),
    new Uint32Array(2048),
    new Uint32Array(1024),
  ];
  const [c0, c1, c2, c3, c4, c5] = counts;
  for (let i = 0; i < n; i++) {
    let lo = srcU[2 * i];
    let hi = srcU[2 * i + 1];
    // Order-preserving map of the double's bits to an unsigned 64-bit key.
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else {
      hi = (hi | 0x80000000) >>> 0;
    }
    a[2 * i] = lo;
    a[2 * i + 1] = hi;
    c0[lo & 2047]++;
    c1[(lo >>> 11) & 2047]++;
    c2[lo >>> 22]++;
    c3[hi & 2047]++;
    c4[(hi >>> 11) & 2047]++;
    c5[hi >>> 22]++;
  }
  for (let p = 0; p < 6; p++) {
    const c = counts[p];
    let skip = false;
    let sum = 0;
    for (let d = 0; d < c.length; d++) {
      const v = c[d];
      if (v === n) skip = true;
      c[d] = sum;
      sum += v;
    }
    if (skip) continue;
    const word = p < 3 ? 0 : 1;
    const shift = (p % 3) * 11;
    const mask = c.length - 1;
    for (let i = 0; i < n; i++) {
      const lo = a[2 * i];
      const hi = a[2 * i + 1];
      const pos = c[((word ? hi : lo) >>> shift) & mask]++;
      b[2 * pos] = lo;
      b[2 * pos + 1] = hi;
    }
    const t = a;
    a = b;
    b = t;
  }
  for (let i = 0; i < n; i++) {
    const hi = a[2 * i + 1];
    if (hi & 0x80000000) {
      a[2 * i + 1] = hi & 0x7fffffff;
    } else {
      a[2 * i + 1] = ~hi >>> 0;
      a[2 * i] = ~a[2 * i] >>> 0;
    }
  }
  return new Float64Array(a.buffer, 0, n);
}

/** Σ xᵢ with Neumaier's compensated summation (at least as accurate as numpy's pairwise sum). */
export function compensatedSum(xs: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

/** Population mean and standard deviation, two-pass: σ = √(Σ(x − x̄)²/n) (numpy.std with ddof = 0). */
export function meanAndStd(xs: Float64Array): { mean: number; std: number } {
  const n = xs.length;
  const mean = compensatedSum(xs) / n;
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - mean;
    const x = d * d;
    const t = s + x;
    c += s >= x ? s - t + x : x - t + s;
    s = t;
  }
  return { mean, std: Math.sqrt((s + c) / n) };
}

/** Number of distinct values in an ascending array. */
export function distinctCountSorted(sorted: Float64Array): number {
  if (sorted.length === 0) return 0;
  let k = 1;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) k++;
  return k;
}

/**
 * Distinct values among the given arrays, counted only up to `cap` (returns cap + 1 as soon as more are seen).
 * Cheap for the small caps the drift rules need (5 and 20).
 */
export function distinctCountUpTo(cap: number, ...arrays: Float64Array[]): number {
  const seen = new Float64Array(cap + 1);
  let k = 0;
  for (const arr of arrays) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      let found = false;
      for (let j = 0; j < k; j++) {
        if (seen[j] === v) {
          found = true;
          break;
        }
      }
      if (!found) {
        seen[k++] = v;
        if (k > cap) return k;
      }
    }
  }
  return k;
}

/** Cleans, sorts once and summarises a numeric sample for reuse; throws DriftInputError on non-numbers. */
export function prepareNumericSample(values: readonly unknown[] | Float64Array | NumericSample): NumericSample {
  if (isNumericSample(values)) return values;
  return numericSampleOfSorted(sortFloat64(toFloat64(values)));
}

/** The prepared sample of finite values already sorted ascending (a stored reference, or sorted by the body-parsing worker). */
export function numericSampleOfSorted(sorted: Float64Array): NumericSample {
  const { mean, std } = sorted.length > 0 ? meanAndStd(sorted) : { mean: NaN, std: NaN };
  return { kind: 'numeric-sample', sorted, size: sorted.length, distinctCount: distinctCountSorted(sorted), mean, std };
}
