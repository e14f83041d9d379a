/**
 * Time buckets of GET /metrics/trend and the input series every trend statistic reads.
 * Pure functions: no framework, no database. Buckets are aligned to the Unix epoch in UTC,
 * so a '1d' bucket starts at 00:00 UTC and a '1w' bucket starts on a Thursday 00:00 UTC
 * (1970-01-01 was a Thursday).
 */

/** The bucket sizes the endpoint accepts, smallest first. */
export const BUCKET_SIZES = ['1m', '5m', '15m', '1h', '6h', '1d', '1w'] as const;
export type BucketSize = (typeof BUCKET_SIZES)[number];

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Length of each bucket size in milliseconds. */
export const BUCKET_MS: Readonly<Record<BucketSize, number>> = Object.freeze({
  '1m': MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '1h': HOUR_MS,
  '6h': 6 * HOUR_MS,
  '1d': DAY_MS,
  '1w': 7 * DAY_MS,
});

/** Target number of buckets when the client omits the bucket size. */
export const DEFAULT_TARGET_BUCKETS = 500;
/** The endpoint rejects a range whose bucketCount exceeds this. */
export const MAX_BUCKETS = 5000;

/** A timestamp as a Date or as epoch milliseconds. */
export type TimeInput = Date | number;

/** One non-empty bucket of the aggregated series: its start, aggregated value and number of raw points. */
export interface TrendPoint {
  bucketStart: TimeInput;
  value: number;
  count: number;
}

/** A validated point with its start as epoch milliseconds. */
export interface NormalizedPoint {
  t: number;
  value: number;
  count: number;
}

export function isBucketSize(s: unknown): s is BucketSize {
  return typeof s === 'string' && (BUCKET_SIZES as readonly string[]).includes(s);
}

/** Epoch milliseconds of a Date or number; throws RangeError on an invalid date / non-finite number. */
export function toEpochMs(t: TimeInput): number {
  const ms = t instanceof Date ? t.getTime() : t;
  if (!Number.isFinite(ms)) throw new RangeError(`invalid timestamp: ${String(t)}`);
  return ms;
}

function toBucketMs(size: BucketSize | number): number {
  const ms = typeof size === 'number' ? size : BUCKET_MS[size];
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`invalid bucket size: ${String(size)}`);
  return ms;
}

/** Start (epoch ms) of the epoch-aligned bucket containing t. */
export function alignToBucket(t: TimeInput, size: BucketSize | number): number {
  const ms = toBucketMs(size);
  // Epoch alignment: bucketStart = floor(t / size) · size (UTC, Unix epoch origin).
  return Math.floor(toEpochMs(t) / ms) * ms;
}

/** Number of epoch-aligned buckets intersecting [from, to); 0 when to ≤ from. */
export function bucketCount(from: TimeInput, to: TimeInput, size: BucketSize | number): number {
  const ms = toBucketMs(size);
  const f = toEpochMs(from);
  const t = toEpochMs(to);
  if (t <= f) return 0;
  // Buckets k with k·size < to and (k+1)·size > from: k ∈ [floor(from/size), ceil(to/size) − 1].
  return Math.ceil(t / ms) - Math.floor(f / ms);
}

/**
 * Default bucket size: the smallest size whose aligned bucketCount over [from, to) is ≤ target
 * (default 500); '1w' when even '1w' gives more.
 */
export function chooseBucket(from: TimeInput, to: TimeInput, target: number = DEFAULT_TARGET_BUCKETS): BucketSize {
  for (const size of BUCKET_SIZES) {
    if (bucketCount(from, to, size) <= target) return size;
  }
  return '1w';
}

/**
 * Validates a series (finite values and counts, strictly increasing bucket starts) and converts
 * starts to epoch ms. Throws RangeError otherwise.
 */
export function normalizePoints(points: readonly TrendPoint[]): NormalizedPoint[] {
  const out: NormalizedPoint[] = [];
  for (const p of points) {
    const t = toEpochMs(p.bucketStart);
    if (!Number.isFinite(p.value)) throw new RangeError(`non-finite value at ${t}`);
    if (!Number.isFinite(p.count) || p.count < 0) throw new RangeError(`invalid count at ${t}`);
    if (out.length > 0 && t <= out[out.length - 1].t) throw new RangeError('points must be in strictly increasing time order');
    out.push({ t, value: p.value, count: p.count });
  }
  return out;
}

/** A number for JSON output: null instead of NaN / ±Infinity. */
export function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}
