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
 * GrowthBook SDK getBucketRanges(numVariations, coverage, weights): variant i owns [cᵢ, cᵢ + coverage·wᵢ), cᵢ the
 * running sum of the weights as given (no renormalisation, so the boundaries are GrowthBook's to the last bit). As
 * there, coverage is clamped to [0, 1] and weights that do not sum to 1 ± 0.01 (or do not match the number of
 * variants) fall back to equal weights 1/n.
 */
export function getBucketRanges(numVariations: number, coverage: number, weights?: readonly number[]): Array<[number, number]> {
  const clampedCoverage = coverage < 0 ? 0 : coverage > 1 ? 1 : coverage;
  const equal = getEqualWeights(numVariations);
  let used: readonly number[] = weights ?? equal;
  if (used.length !== numVariations) used = equal;
  const total = used.reduce((sum, weight) => sum + weight, 0);
  if (total < 0.99 || total > 1.01) used = equal;
  let cumulative = 0;
  return used.map((weight): [number, number] => {
    const start = cumulative;
    cumulative += weight;
    return [start, start + clampedCoverage * weight];
  });
}

/** GrowthBook SDK getEqualWeights(n): n copies of 1/n (empty for n ≤ 0). */
export function getEqualWeights(numVariations: number): number[] {
  return numVariations <= 0 ? [] : new Array<number>(numVariations).fill(1 / numVariations);
}

/** GrowthBook SDK chooseVariation(n, ranges): the first range with start ≤ n < end, or −1 (not in the test). */
export function chooseVariation(hash: number, ranges: ReadonlyArray<readonly [number, number]>): number {
  for (let index = 0; index < ranges.length; index += 1) {
    if (hash >= ranges[index][0] && hash < ranges[index][1]) return index;
  }
  return -1;
}

/**
 * The variant index for a unit (−1 when coverage leaves it out of the test), from its id, the test's hash seed, the
 * stored (already normalised) weights and the coverage: GrowthBook's hash v2 + getBucketRanges + chooseVariation.
 */
export function assignUnit(hashSeed: string, unitId: string, weights: readonly number[], coverage = 1): number {
  return chooseVariation(growthBookHash(hashSeed, unitId), getBucketRanges(weights.length, coverage, weights));
}
