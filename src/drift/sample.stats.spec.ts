import {
  categoryKey,
  compensatedSum,
  distinctCountSorted,
  distinctCountUpTo,
  DriftInputError,
  isMissing,
  meanAndStd,
  prepareNumericSample,
  sortFloat64,
  toFloat64,
} from 'src/drift/sample.stats';

function expectRel(actual: number, expected: number, rel = 1e-12): void {
  if (actual === expected) return;
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

/** Data helper, same in Python: [((i * mul) % mod) / scale + shift for i in range(n)] */
function seq(n: number, mul: number, mod: number, scale = mod, shift = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * mul) % mod) / scale + shift;
  return out;
}

describe('sortFloat64 (radix sort on IEEE-754 keys)', () => {
  it('orders like Float64Array.prototype.sort: negatives, zeros, subnormals, huge values, duplicates', () => {
    const special = [-Number.MAX_VALUE, -1e300, -2.5, -Number.MIN_VALUE, -0, 0, Number.MIN_VALUE, 1e-310, 3, 3, 1e308];
    const xs = new Float64Array(5000);
    for (let i = 0; i < xs.length; i++) xs[i] = i < special.length ? special[i] : (((i * 7919) % 10007) - 5003) * 1.37e-3;
    const ours = sortFloat64(xs);
    const builtin = Float64Array.from(xs).sort();
    // −0 and 0 compare equal, so compare numerically
    expect(ours.length).toBe(builtin.length);
    let same = true;
    for (let i = 0; i < ours.length; i++) if (ours[i] !== builtin[i]) same = false;
    expect(same).toBe(true);
    // the input is left untouched
    expect(xs[0]).toBe(-Number.MAX_VALUE);
  });

  it('short arrays use the built-in sort', () => {
    expect(Array.from(sortFloat64(Float64Array.of(3, -1, 2)))).toEqual([-1, 2, 3]);
  });
});

describe('summaries', () => {
  it('mean and population std like numpy', () => {
    // x = np.array(seq(5000, 7919, 10007, 0.001, -3e6)); np.mean(x) = 2006215.6; np.std(x) = 2889365.731560586
    const x = seq(5000, 7919, 10007, 0.001, -3e6);
    const { mean, std } = meanAndStd(x);
    expectRel(mean, 2006215.6);
    expectRel(std, 2889365.731560586);
  });

  it('compensated sum keeps the small terms', () => {
    // math.fsum([1e16, 1.0, -1e16, 1.0]) = 2.0
    expect(compensatedSum([1e16, 1.0, -1e16, 1.0])).toBe(2);
  });

  it('distinct counts (capped and sorted)', () => {
    expect(distinctCountUpTo(5, Float64Array.of(1, 2, 2), Float64Array.of(3, -0, 0))).toBe(4);
    expect(distinctCountUpTo(2, Float64Array.of(1, 2, 3, 4))).toBe(3);
    expect(distinctCountSorted(Float64Array.of(-0, 0, 1, 1, 2))).toBe(3);
  });

  it('prepareNumericSample sorts once and summarises', () => {
    const s = prepareNumericSample([3, null, 1, NaN, 2, 2]);
    expect(Array.from(s.sorted)).toEqual([1, 2, 2, 3]);
    expect(s).toMatchObject({ kind: 'numeric-sample', size: 4, distinctCount: 3, mean: 2 });
    // np.std([3, 1, 2, 2]) = 0.7071067811865476
    expectRel(s.std, 0.7071067811865476);
    expect(prepareNumericSample(s)).toBe(s);
  });
});

describe('cleaning helpers', () => {
  it('missing values and category keys', () => {
    expect([null, undefined, NaN, Infinity, -Infinity, 0, '', false].map(isMissing)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect([categoryKey('a'), categoryKey(1.5), categoryKey(-0), categoryKey(true)]).toEqual(['a', '1.5', '0', 'true']);
    expect(() => categoryKey({})).toThrow(DriftInputError);
    expect(() => toFloat64([1, '2'])).toThrow(DriftInputError);
    expect(Array.from(toFloat64([1, null, 2, -Infinity]))).toEqual([1, 2]);
  });
});
