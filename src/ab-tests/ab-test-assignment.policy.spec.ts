import {
  assignUnit,
  assignVariant,
  fnv1a32,
  growthBookHash,
  normalizeWeights,
  variantRanges,
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

describe('variantRanges', () => {
  it('tiles [0, 1) with contiguous half-open ranges in order', () => {
    expect(variantRanges([1, 1])).toEqual([
      [0, 0.5],
      [0.5, 1],
    ]);
    expect(variantRanges([2, 1, 1])).toEqual([
      [0, 0.5],
      [0.5, 0.75],
      [0.75, 1],
    ]);
  });

  it('ends exactly at 1 even when the normalised weights do not sum to 1 in floating point', () => {
    const weights = [1, 1, 1];
    const ranges = variantRanges(weights);
    expect(ranges[2][1]).toBe(1);
    for (let index = 1; index < ranges.length; index += 1) expect(ranges[index][0]).toBe(ranges[index - 1][1]);
    const tenths = variantRanges([0.1, 0.2, 0.3, 0.4]);
    expect(tenths[3][1]).toBe(1);
  });

  it('gives zero-weight variants an empty range', () => {
    const ranges = variantRanges([1, 0, 1, 0]);
    expect(ranges[1][0]).toBe(ranges[1][1]);
    expect(ranges[2][1]).toBe(1);
    expect(ranges[3]).toEqual([1, 1]);
  });
});

describe('assignVariant', () => {
  it('assigns by half-open ranges, boundaries belonging to the next variant', () => {
    expect(assignVariant(0, [1, 1])).toBe(0);
    expect(assignVariant(0.4999, [1, 1])).toBe(0);
    expect(assignVariant(0.5, [1, 1])).toBe(1);
    expect(assignVariant(0.9999, [1, 1])).toBe(1);
    expect(assignVariant(0.25, [0.25, 0.25, 0.5])).toBe(1);
    expect(assignVariant(0.5, [0.25, 0.25, 0.5])).toBe(2);
  });

  it('normalises unnormalised weights', () => {
    expect(assignVariant(0.49, [50, 25, 25])).toBe(0);
    expect(assignVariant(0.74, [50, 25, 25])).toBe(1);
    expect(assignVariant(0.75, [50, 25, 25])).toBe(2);
  });

  it('always lands a hash just below 1 in the last variant', () => {
    expect(assignVariant(0.9999, [1, 1, 1])).toBe(2);
    expect(assignVariant(1 - Number.EPSILON, [1, 1, 1])).toBe(2);
    expect(assignVariant(1 - Number.EPSILON, [0.1, 0.2, 0.3, 0.4])).toBe(3);
    expect(assignVariant(1 - Number.EPSILON, [0.7, 0.1, 0.1, 0.1])).toBe(3);
  });

  it('never assigns a zero-weight variant', () => {
    for (let bucket = 0; bucket < 10000; bucket += 1) {
      const index = assignVariant(bucket / 10000, [1, 0, 2, 0]);
      expect([0, 2]).toContain(index);
    }
    expect(assignVariant(0.9999, [1, 0, 2, 0])).toBe(2);
  });

  it('rejects hashes outside [0, 1)', () => {
    expect(() => assignVariant(1, [1, 1])).toThrow(RangeError);
    expect(() => assignVariant(-0.0001, [1, 1])).toThrow(RangeError);
    expect(() => assignVariant(Number.NaN, [1, 1])).toThrow(RangeError);
  });

  it('splits traffic in proportion to the weights over the 10 000 buckets', () => {
    const counts = [0, 0, 0];
    for (let bucket = 0; bucket < 10000; bucket += 1) counts[assignVariant(bucket / 10000, [2, 1, 1])] += 1;
    expect(counts).toEqual([5000, 2500, 2500]);
  });
});

describe('assignUnit', () => {
  it('composes the hash and the ranges', () => {
    // gb_hash('seed', 'a') == 0.0505 -> first half; gb_hash('exp-42', 'user-1') == 0.9024 -> second half
    expect(assignUnit('seed', 'a', [1, 1])).toBe(0);
    expect(assignUnit('exp-42', 'user-1', [1, 1])).toBe(1);
    // gb_hash('seed', 'b') == 0.2696 -> [0.25, 0.5) of weights [1, 1, 2]
    expect(assignUnit('seed', 'b', [1, 1, 2])).toBe(1);
  });
});
