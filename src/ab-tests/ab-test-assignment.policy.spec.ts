import {
  assignUnit,
  chooseVariation,
  fnv1a32,
  getBucketRanges,
  growthBookHash,
  normalizeWeights,
} from 'src/ab-tests/ab-test-assignment.policy';

/*
 * Expected values come from GrowthBook's published check values and from this independent Python transcription
 * (python3, no third-party packages), which hashes UTF-16 code units exactly like JavaScript's charCodeAt:
 *
 *   def fnv1a32(s):
 *       h = 0x811c9dc5
 *       u = s.encode('utf-16-le')
 *       for i in range(0, len(u), 2):
 *           h ^= u[i] | (u[i + 1] << 8)
 *           h = (h * 0x01000193) & 0xffffffff
 *       return h
 *   def gb_hash(seed, unit):
 *       return (fnv1a32(str(fnv1a32(seed + unit))) % 10000) / 10000
 */

describe('fnv1a32', () => {
  it('matches the FNV-1a 32-bit reference vectors', () => {
    expect(fnv1a32('')).toBe(2166136261); // fnv1a32('') == 0x811c9dc5 == 2166136261
    expect(fnv1a32('a')).toBe(3826002220); // fnv1a32('a') == 0xe40c292c == 3826002220
    expect(fnv1a32('foobar')).toBe(3214735720); // fnv1a32('foobar') == 0xbf9cf968 == 3214735720
  });

  it('hashes UTF-16 code units (a surrogate pair is two units)', () => {
    expect(fnv1a32('😀')).toBe(3409036472); // fnv1a32('😀') == 3409036472
    expect(fnv1a32('exp-42über-😀')).toBe(2632455950); // fnv1a32('exp-42über-😀') == 2632455950
  });
});

describe('growthBookHash (hash version 2)', () => {
  it('reproduces the GrowthBook published check values', () => {
    expect(growthBookHash('seed', 'a')).toBe(0.0505); // gb_hash('seed', 'a') == 0.0505
    expect(growthBookHash('seed', 'b')).toBe(0.2696); // gb_hash('seed', 'b') == 0.2696
    expect(growthBookHash('foo', 'ab')).toBe(0.2575); // gb_hash('foo', 'ab') == 0.2575
  });

  it('matches the Python transcription on other inputs', () => {
    expect(growthBookHash('exp-42', 'user-1')).toBe(0.9024); // gb_hash('exp-42', 'user-1') == 0.9024
    expect(growthBookHash('exp-42', 'über-😀')).toBe(0.1408); // gb_hash('exp-42', 'über-😀') == 0.1408
    expect(growthBookHash('', '')).toBe(0.2305); // gb_hash('', '') == 0.2305
  });

  it('is deterministic and stays in [0, 1) with four decimals', () => {
    for (let index = 0; index < 2000; index += 1) {
      const hash = growthBookHash('seed-x', `unit-${index}`);
      expect(hash).toBe(growthBookHash('seed-x', `unit-${index}`));
      expect(hash).toBeGreaterThanOrEqual(0);
      expect(hash).toBeLessThan(1);
      expect(Math.round(hash * 10000) / 10000).toBe(hash);
    }
  });
});

describe('normalizeWeights', () => {
  it('divides by the sum', () => {
    expect(normalizeWeights([2, 1, 1])).toEqual([0.5, 0.25, 0.25]);
    expect(normalizeWeights([0.5, 0.5])).toEqual([0.5, 0.5]);
  });

  it('rejects empty, negative, non-finite and all-zero weights', () => {
    expect(() => normalizeWeights([])).toThrow(RangeError);
    expect(() => normalizeWeights([1, -1])).toThrow(RangeError);
    expect(() => normalizeWeights([1, Number.NaN])).toThrow(RangeError);
    expect(() => normalizeWeights([1, Number.POSITIVE_INFINITY])).toThrow(RangeError);
    expect(() => normalizeWeights([0, 0])).toThrow(RangeError);
  });
});

describe('getBucketRanges + chooseVariation on stored (normalised) weights', () => {
  it('uses the weights as given: 10 equal weights put a unit hashed exactly on 0.8 where GrowthBook puts it', () => {
    // GrowthBook: cumulative 0.1·8 = 0.7999999999999999, so 0.8 is in variant 8's range. Normalising the stored
    // weights a second time (Σ = 0.9999999999999999) moved the boundary above 0.8 and the unit into variant 7.
    const stored = normalizeWeights(new Array<number>(10).fill(1));
    expect(chooseVariation(0.8, getBucketRanges(10, 1, stored))).toBe(8);
    expect(assignUnit('seed', 'a', stored)).toBe(chooseVariation(growthBookHash('seed', 'a'), getBucketRanges(10, 1, stored)));
  });

  it('splits traffic in proportion to the weights over the 10 000 buckets', () => {
    const counts = [0, 0, 0];
    const ranges = getBucketRanges(3, 1, normalizeWeights([2, 1, 1]));
    for (let bucket = 0; bucket < 10000; bucket += 1) counts[chooseVariation(bucket / 10000, ranges)] += 1;
    expect(counts).toEqual([5000, 2500, 2500]);
  });

  it('leaves units outside the coverage out of the test (−1)', () => {
    const ranges = getBucketRanges(2, 0.5, [0.5, 0.5]);
    let inTest = 0;
    for (let bucket = 0; bucket < 10000; bucket += 1) if (chooseVariation(bucket / 10000, ranges) >= 0) inTest += 1;
    expect(inTest).toBe(5000);
    expect(chooseVariation(0.3, ranges)).toBe(-1);
  });
});

describe('assignUnit', () => {
  it('composes the hash and the ranges', () => {
    // gb_hash('seed', 'a') == 0.0505 -> first half; gb_hash('exp-42', 'user-1') == 0.9024 -> second half
    expect(assignUnit('seed', 'a', [0.5, 0.5])).toBe(0);
    expect(assignUnit('exp-42', 'user-1', [0.5, 0.5])).toBe(1);
    // gb_hash('seed', 'b') == 0.2696 -> [0.25, 0.5) of weights [0.25, 0.25, 0.5]
    expect(assignUnit('seed', 'b', [0.25, 0.25, 0.5])).toBe(1);
    // coverage 0.5: [0, 0.25) and [0.5, 0.75); 0.2696 is outside
    expect(assignUnit('seed', 'b', [0.5, 0.5], 0.5)).toBe(-1);
  });
});
