import { assignUnit, chooseVariation, getBucketRanges, growthBookHash } from 'src/ab-tests/ab-test-assignment.policy';
import { CHOOSE_VARIATION, GET_BUCKET_RANGE, GROWTHBOOK_V2_RUNS, HASH_V2 } from 'test/support/growthbook-vectors';

/* GrowthBook's published SDK cases (source and selection in test/support/growthbook-vectors.ts). */
describe('GrowthBook SDK cases.json parity (hash version 2)', () => {
  it.each(HASH_V2)('hash(%p, %p, 2) == %p', (seed, value, expected) => {
    expect(growthBookHash(seed, value)).toBe(expected);
  });

  // The ranges are computed as the SDK computes them (start + coverage·w), so 0.2·0.2 is 0.04000000000000001 here as
  // in JavaScript; the published values are rounded, hence the comparison to 12 decimals.
  it.each(GET_BUCKET_RANGE)('getBucketRange: %s', (_name, [numVariations, coverage, weights], expected) => {
    const ranges = getBucketRanges(numVariations, coverage, weights ?? undefined);
    expect(ranges).toHaveLength(expected.length);
    ranges.forEach(([start, end], index) => {
      expect(start).toBeCloseTo(expected[index][0], 12);
      expect(end).toBeCloseTo(expected[index][1], 12);
    });
  });

  it.each(CHOOSE_VARIATION)('chooseVariation: %s', (_name, hash, ranges, expected) => {
    expect(chooseVariation(hash, ranges)).toBe(expected);
  });

  it.each(GROWTHBOOK_V2_RUNS)('%s', (_name, seed, unitId, weights, coverage, expected, bucket) => {
    if (bucket !== null) expect(growthBookHash(seed, unitId)).toBe(bucket);
    expect(assignUnit(seed, unitId, weights, coverage)).toBe(expected);
  });
});
