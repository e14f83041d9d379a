/**
 * Deterministic, stateless variant assignment for A/B tests, compatible with GrowthBook's hashing version 2.
 * The same (hashSeed, unitId, weights) always yields the same variant, in any process, with no stored state.
 * Pure TypeScript: no framework or database imports.
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const HASH_BUCKETS = 10000;

/** 32-bit FNV-1a over the string's UTF-16 code units, as an unsigned integer. */
export function fnv1a32(value: string): number {
  // FNV-1a (Fowler–Noll–Vo, IETF draft-eastlake-fnv); GrowthBook SDK hashFnv32a iterates charCodeAt the same way.
  let hash = FNV_OFFSET_BASIS;
  for (let index = 0; index < value.length; index += 1) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** GrowthBook hash version 2: a number in [0, 1) with four decimals, uniform over units. */
export function growthBookHash(hashSeed: string, unitId: string): number {
  // GrowthBook SDK util.ts hash(seed, value, 2): (fnv32a(String(fnv32a(seed + value))) % 10000) / 10000.
  return (fnv1a32(String(fnv1a32(hashSeed + unitId))) % HASH_BUCKETS) / HASH_BUCKETS;
}

/** Weights divided by their sum; throws on an empty list, a negative or non-finite weight, or a zero sum. */
export function normalizeWeights(weights: readonly number[]): number[] {
  if (weights.length === 0) throw new RangeError('weights must not be empty');
  for (const weight of weights) {
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`weight ${weight} must be finite and >= 0`);
  }
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0)) throw new RangeError('weights must have a positive sum');
  return weights.map((weight) => weight / total);
}

/**
 * The half-open range [start, end) of the unit interval owned by each variant, in order.
 * start_i is the running sum of the normalised weights, end_i = start_i + w_i (as GrowthBook's getBucketRanges);
 * the last variant with a positive weight is extended to 1 so floating error can never leave a hash unassigned.
 */
export function variantRanges(weights: readonly number[]): Array<[number, number]> {
  const normalized = normalizeWeights(weights);
  let cumulative = 0;
  const ranges = normalized.map((weight): [number, number] => {
    const start = cumulative;
    cumulative += weight;
    return [start, start + weight];
  });
  let lastPositive = normalized.length - 1;
  while (normalized[lastPositive] === 0) lastPositive -= 1;
  ranges[lastPositive][1] = 1;
  for (let index = lastPositive + 1; index < ranges.length; index += 1) ranges[index] = [1, 1];
  return ranges;
}

/** Index of the variant whose range contains hash (hash in [0, 1)); zero-weight variants are never chosen. */
export function assignVariant(hash: number, weights: readonly number[]): number {
  if (!(hash >= 0 && hash < 1)) throw new RangeError(`hash ${hash} must be in [0, 1)`);
  const ranges = variantRanges(weights);
  for (let index = 0; index < ranges.length; index += 1) {
    if (hash >= ranges[index][0] && hash < ranges[index][1]) return index;
  }
  // Unreachable: the ranges tile [0, 1) exactly (each start is the previous end, the last positive end is 1).
  throw new Error(`hash ${hash} fell outside every variant range`);
}

/** Convenience: the variant index for a unit, from its id, the test's hash seed and the variant weights. */
export function assignUnit(hashSeed: string, unitId: string, weights: readonly number[]): number {
  return assignVariant(growthBookHash(hashSeed, unitId), weights);
}
