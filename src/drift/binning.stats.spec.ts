import {
  distinctValueCounts,
  histogramCounts,
  histogramCountsSorted,
  replaceZeroShares,
  searchSorted,
  sturgesBinEdges,
  toShares,
} from 'src/drift/binning.stats';
import { DriftInputError } from 'src/drift/sample.stats';

/**
 * Expected values: python3 with numpy 2.4.6, and the data helper
 *   def seq(n, mul, mod, scale=None, shift=0.0):
 *       scale = mod if scale is None else scale
 *       return [((i * mul) % mod) / scale + shift for i in range(n)]
 */
function seq(n: number, mul: number, mod: number, scale = mod, shift = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * mul) % mod) / scale + shift;
  return out;
}

describe('sturgesBinEdges = np.histogram_bin_edges(a, bins="sturges")', () => {
  it('matches numpy edge by edge', () => {
    // x = np.array(seq(1000, 7919, 10007))*3 - 1; np.histogram_bin_edges(x, bins='sturges').tolist()
    const x = seq(1000, 7919, 10007).map((v) => v * 3 - 1);
    const edges = sturgesBinEdges(x.length, Math.min(...x), Math.max(...x));
    expect(Array.from(edges)).toEqual([
      -1.0, -0.7275452637699065, -0.45509052753981305, -0.18263579130971963, 0.0898189449203739, 0.36227368115046743, 0.6347284173805607,
      0.9071831536106543, 1.1796378898407478, 1.4520926260708413, 1.7245473623009349, 1.9970020985310284,
    ]);
  });

  it('uses numpy’s floating ⌈ptp/width⌉, not ⌈log₂ n⌉ + 1 (here 8 bins for n = 64, not 7)', () => {
    // e = np.histogram_bin_edges(np.array([0.0]*63 + [31.85]), bins='sturges'); len(e)-1 = 8, e.tolist() =
    expect(Array.from(sturgesBinEdges(64, 0, 31.85))).toEqual([
      0.0, 3.98125, 7.9625, 11.943750000000001, 15.925, 19.90625, 23.887500000000003, 27.868750000000002, 31.85,
    ]);
  });

  it('raises the width to 1 for integer data like numpy’s integer dtype', () => {
    // np.histogram_bin_edges(np.arange(21).repeat(30000), bins='sturges').tolist() = [0.0, 1.0, ..., 20.0] (20 bins)
    expect(Array.from(sturgesBinEdges(630000, 0, 20, true))).toEqual(Array.from({ length: 21 }, (_, i) => i));
    // the same values as float64: len(np.histogram_bin_edges(np.arange(21).repeat(30000).astype(float), bins='sturges')) - 1 = 21
    expect(sturgesBinEdges(630000, 0, 20, false).length - 1).toBe(21);
  });

  it('rejects an empty or non-finite range', () => {
    expect(() => sturgesBinEdges(0, 0, 1)).toThrow(DriftInputError);
    expect(() => sturgesBinEdges(5, 0, Infinity)).toThrow(DriftInputError);
  });
});

describe('histogram counts = np.histogram(values, edges)[0]', () => {
  const x = seq(1000, 7919, 10007).map((v) => v * 3 - 1);
  const edges = sturgesBinEdges(x.length, -1, 1.9970020985310284);

  it('counts a sample (unsorted and sorted paths agree with numpy)', () => {
    // np.histogram(x, e)[0].tolist()
    const expected = [91, 90, 91, 90, 92, 90, 91, 90, 93, 90, 92];
    expect(Array.from(histogramCounts(x, edges))).toEqual(expected);
    expect(Array.from(histogramCountsSorted(Float64Array.from(x).sort(), edges))).toEqual(expected);
  });

  it('puts values exactly on an edge in the bin to its right, the maximum in the last bin', () => {
    // v = np.concatenate([e, [x.min(), x.max(), 0.0, 0.5, 1.0]]); np.histogram(v, e)[0].tolist()
    const v = Float64Array.from([...edges, -1, 1.9970020985310284, 0.0, 0.5, 1.0]);
    const expected = [2, 1, 1, 2, 1, 2, 1, 2, 1, 1, 3];
    expect(Array.from(histogramCounts(v, edges))).toEqual(expected);
    expect(Array.from(histogramCountsSorted(Float64Array.from(v).sort(), edges))).toEqual(expected);
  });

  it('ignores values outside the edges like numpy', () => {
    // np.histogram([-5.0, 0.5, 7.0], [0.0, 1.0, 2.0])[0].tolist() = [1, 0]
    const e = Float64Array.of(0, 1, 2);
    expect(Array.from(histogramCounts(Float64Array.of(-5, 0.5, 7), e))).toEqual([1, 0]);
    expect(Array.from(histogramCountsSorted(Float64Array.of(-5, 0.5, 7), e))).toEqual([1, 0]);
  });

  it('searchSorted matches np.searchsorted', () => {
    // np.searchsorted([1.0, 2.0, 2.0, 3.0], 2.0, 'left') = 1; side='right' → 3
    const s = Float64Array.of(1, 2, 2, 3);
    expect(searchSorted(s, 2, 'left')).toBe(1);
    expect(searchSorted(s, 2, 'right')).toBe(3);
  });
});

describe('distinct-value bins and Evidently’s zero replacement', () => {
  it('one bin per value of reference ∪ current, −0 equal to 0', () => {
    const c = distinctValueCounts(Float64Array.of(1, 1, 2, -0), Float64Array.of(0, 3, 3));
    // bins in first-seen order: 1, 2, 0, 3
    expect(Array.from(c.reference)).toEqual([2, 1, 1, 0]);
    expect(Array.from(c.current)).toEqual([0, 0, 1, 2]);
    expect(Array.from(toShares(c.current, 3))).toEqual([0, 0, 1 / 3, 2 / 3]);
  });

  it('replaces zero shares by 0.0001, or by min/10⁶ when the smallest non-zero share is ≤ 0.0001', () => {
    // a = np.array([0.0, 0.4, 0.6]); m = min(a[a != 0]); np.place(a, a == 0, m/10**6 if m <= 0.0001 else 0.0001) → [0.0001, 0.4, 0.6]
    expect(Array.from(replaceZeroShares(Float64Array.of(0, 0.4, 0.6)))).toEqual([0.0001, 0.4, 0.6]);
    // a = np.array([0.0, 0.00005, 0.99995]); same rule → [5e-11, 5e-05, 0.99995]
    expect(Array.from(replaceZeroShares(Float64Array.of(0, 0.00005, 0.99995)))).toEqual([5e-11, 0.00005, 0.99995]);
    // a = np.array([0.0, 0.0001, 0.9999]); min is exactly 0.0001 → 0.0001/10**6 = 1e-10
    expect(replaceZeroShares(Float64Array.of(0, 0.0001, 0.9999))[0]).toBe(1e-10);
  });
});
