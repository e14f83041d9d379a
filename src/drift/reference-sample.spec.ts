import { testFeatureDrift } from 'src/drift/drift-check.stats';
import { categoricalSampleFromStored, medianOfSorted, numericSampleFromStored, prepareReferenceFeature } from 'src/drift/reference-sample';

describe('prepareReferenceFeature', () => {
  it('stores a numerical feature cleaned and sorted, with its summary', () => {
    const prepared = prepareReferenceFeature([3, null, 1.5, 2, 2, -1]);
    expect(prepared.type).toBe('numerical');
    if (prepared.type !== 'numerical') return;
    expect([...prepared.sorted]).toEqual([-1, 1.5, 2, 2, 3]);
    expect(prepared).toMatchObject({ size: 5, missingCount: 1, distinctCount: 4, display: { min: -1, max: 3, median: 2 } });
    // python3 -c "import numpy as np; a=np.array([3,1.5,2,2,-1]); print(repr(np.mean(a)), repr(np.std(a)))" → 1.5 1.3416407864998738
    expect(prepared.mean).toBeCloseTo(1.5, 14);
    expect(prepared.std).toBeCloseTo(1.3416407864998738, 14);
  });

  it('stores a categorical feature as category counts, with the top categories', () => {
    const prepared = prepareReferenceFeature(['b', 'a', 'b', null, true, 'c', 'b', 'a']);
    expect(prepared.type).toBe('categorical');
    if (prepared.type !== 'categorical') return;
    expect(Object.fromEntries(prepared.categories.map((category, index) => [category, prepared.counts[index]]))).toEqual({
      a: 2,
      b: 3,
      c: 1,
      true: 1,
    });
    expect(prepared).toMatchObject({ size: 7, missingCount: 1, distinctCount: 4, numericCategories: false });
    expect(prepared.display.topCategories).toEqual([
      { value: 'b', count: 3 },
      { value: 'a', count: 2 },
      { value: 'c', count: 1 },
      { value: 'true', count: 1 },
    ]);
  });

  it('honours a declared type: numbers as categories, and strings refused as numbers', () => {
    const prepared = prepareReferenceFeature([10, 2, 2], 'categorical');
    expect(prepared).toMatchObject({ type: 'categorical', numericCategories: true, distinctCount: 2 });
    expect(() => prepareReferenceFeature([1, 'x'], 'numerical')).toThrow(/non-number/);
  });

  it('refuses a feature with nothing left after cleaning', () => {
    expect(() => prepareReferenceFeature([null, null])).toThrow(/no value left/);
  });

  it('takes numpy medians', () => {
    expect(medianOfSorted(Float64Array.of(1, 2, 3, 4))).toBe(2.5);
    expect(medianOfSorted(Float64Array.of(7))).toBe(7);
  });
});

describe('stored features give the same drift results as the raw values', () => {
  const reference = [5, 1, 4, 4, 2, 8, 9, 3, 3, 7, 6, 0.5];
  const current = [5, 6, 7, 7, 8, 9, 10, 11, 12];

  it.each(['ks', 'wasserstein', 'psi', 'jensenshannon', 'auto'] as const)('numerical, %s', (stattest) => {
    const prepared = prepareReferenceFeature(reference);
    if (prepared.type !== 'numerical') throw new Error('expected numerical');
    const stored = numericSampleFromStored(Float64Array.from(prepared.sorted), prepared);
    const fromStored = testFeatureDrift({ reference: stored, current, stattest });
    const fromRaw = testFeatureDrift({ reference, current, stattest });
    // bins are summed in another order for a sorted sample: equal up to the last bits
    expect({ ...fromStored, score: 0 }).toEqual({ ...fromRaw, score: 0 });
    expect(fromStored.score / fromRaw.score).toBeCloseTo(1, 12);
  });

  it.each(['chisquare', 'z', 'psi', 'kl_div', 'jensenshannon'] as const)('categorical, %s', (stattest) => {
    const raw = ['x', 'y', 'y', 'z', 'x', 'y'];
    const now = ['y', 'y', 'z', 'z', 'w'];
    const prepared = prepareReferenceFeature(raw);
    if (prepared.type !== 'categorical') throw new Error('expected categorical');
    const stored = categoricalSampleFromStored(prepared.categories, prepared.counts, prepared.numericCategories);
    const z = stattest === 'z';
    const reference = z ? raw.slice(0, 3) : raw;
    const sample = z ? categoricalSampleFromStored(['x', 'y'], [1, 2], false) : stored;
    expect(testFeatureDrift({ reference: sample, current: now, stattest, type: 'categorical' }).score).toBeCloseTo(
      testFeatureDrift({ reference, current: now, stattest, type: 'categorical' }).score,
      14,
    );
  });

  it('numeric categories keep numeric order for the z test', () => {
    const prepared = prepareReferenceFeature([10, 2, 2, 10, 10], 'categorical');
    if (prepared.type !== 'categorical') throw new Error('expected categorical');
    const stored = categoricalSampleFromStored(prepared.categories, prepared.counts, prepared.numericCategories);
    const current = [2, 2, 2, 10];
    expect(testFeatureDrift({ reference: stored, current, type: 'categorical', stattest: 'z' })).toEqual(
      testFeatureDrift({ reference: [10, 2, 2, 10, 10], current, type: 'categorical', stattest: 'z' }),
    );
  });
});
