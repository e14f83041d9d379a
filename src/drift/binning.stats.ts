/**
 * Binning of two samples into shares per bin as Evidently's get_binned_data
 * (evidently/legacy/calculations/stattests/utils.py): Sturges equal-width bins over the pooled range when
 * the feature is numerical with > 20 distinct reference values, else one bin per distinct value of
 * reference ∪ current; optionally zero shares replaced ("feel_zeroes").
 */
import { DriftInputError } from 'src/drift/sample.stats';

/** Evidently: numerical features whose reference has more distinct values than this are Sturges-binned. */
export const STURGES_MIN_REFERENCE_DISTINCT = 20;

export interface Shares {
  /** Share of the reference per bin (count / reference size). */
  reference: Float64Array;
  /** Share of the current sample per bin. */
  current: Float64Array;
}

/**
 * numpy.histogram_bin_edges(a, bins='sturges') for data with the given size, min and max
 * (numpy/lib/_histograms_impl.py _get_bin_edges + _hist_bin_sturges + np.linspace). `integerData` mirrors
 * numpy's integer-dtype rule (bin width raised to 1).
 */
export function sturgesBinEdges(size: number, min: number, max: number, integerData = false): Float64Array {
  if (!(size > 0) || !Number.isFinite(max - min) || min > max) {
    throw new DriftInputError('histogram needs a non-empty finite range', 'BINNING');
  }
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  // Sturges (1926) width as numpy: ptp / (log₂ n + 1), then ⌈(last − first)/width⌉ equal bins.
  let width = (max - min) / (Math.log2(size) + 1.0);
  let nBins = 1;
  if (width) {
    if (integerData && width < 1) width = 1;
    nBins = Math.ceil((last - first) / width);
  }
  // np.linspace(first, last, nBins + 1): i·step + first, with the last edge set to `last` exactly.
  const step = (last - first) / nBins;
  const edges = new Float64Array(nBins + 1);
  for (let i = 0; i < nBins; i++) edges[i] = i * step + first;
  edges[nBins] = last;
  for (let i = 0; i < nBins; i++) {
    if (!(edges[i] < edges[i + 1])) {
      throw new DriftInputError(`too many bins for data range: cannot create ${nBins} finite-sized bins`, 'BINNING');
    }
  }
  return edges;
}

/**
 * np.histogram(values, edges)[0]: bin i holds edges[i] ≤ v < edges[i+1], the last bin also v = last edge;
 * values outside [edges[0], edges[last]] are not counted. Any order of values.
 */
export function histogramCounts(values: Float64Array, edges: Float64Array): Float64Array {
  const nBins = edges.length - 1;
  const counts = new Uint32Array(nBins);
  const first = edges[0];
  const last = edges[nBins];
  const scale = nBins / (last - first);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= first && v <= last)) continue;
    // arithmetic guess, then corrected against the edges themselves (as numpy's uniform-bin path does)
    let k = ((v - first) * scale) | 0;
    if (k >= nBins) k = nBins - 1;
    if (v < edges[k]) {
      do k--;
      while (k > 0 && v < edges[k]);
    } else {
      while (k < nBins - 1 && v >= edges[k + 1]) k++;
    }
    counts[k]++;
  }
  return Float64Array.from(counts);
}

/** First index i with sorted[i] ≥ x (side = 'left') or > x (side = 'right'), as np.searchsorted. */
export function searchSorted(sorted: Float64Array, x: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === 'left' ? sorted[mid] < x : sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** np.histogram(sorted, edges)[0] for an ascending array, by binary search per edge (numpy's own method). */
export function histogramCountsSorted(sorted: Float64Array, edges: Float64Array): Float64Array {
  const nBins = edges.length - 1;
  const counts = new Float64Array(nBins);
  // numpy _search_sorted_inclusive: searchsorted 'left' on all edges but the last, 'right' on the last.
  let prev = searchSorted(sorted, edges[0], 'left');
  for (let i = 1; i <= nBins; i++) {
    const c = searchSorted(sorted, edges[i], i === nBins ? 'right' : 'left');
    counts[i - 1] = c - prev;
    prev = c;
  }
  return counts;
}

/** Counts per distinct value of reference ∪ current (numbers compared with ===, so −0 equals 0). */
export function distinctValueCounts(reference: Float64Array, current: Float64Array): Shares {
  const index = new Map<number, number>();
  const ref: number[] = [];
  const cur: number[] = [];
  const add = (xs: Float64Array, own: number[], other: number[]): void => {
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      let k = index.get(v);
      if (k === undefined) {
        k = own.length;
        index.set(v, k);
        own.push(0);
        other.push(0);
      }
      own[k]++;
    }
  };
  add(reference, ref, cur);
  add(current, cur, ref);
  return { reference: Float64Array.from(ref), current: Float64Array.from(cur) };
}

/** Shares count / n for each bin (Evidently: np.histogram(...)[0] / len(data)). */
export function toShares(counts: Float64Array, n: number): Float64Array {
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i] / n;
  return out;
}

/**
 * Evidently feel_zeroes: each zero share becomes 0.0001, or (smallest non-zero share)/10⁶ when that
 * smallest share is ≤ 0.0001. Returns a new array.
 */
export function replaceZeroShares(shares: Float64Array): Float64Array {
  let minNonZero = Infinity;
  for (let i = 0; i < shares.length; i++) if (shares[i] !== 0 && shares[i] < minNonZero) minNonZero = shares[i];
  const fill = minNonZero <= 0.0001 ? minNonZero / 10 ** 6 : 0.0001;
  const out = Float64Array.from(shares);
  for (let i = 0; i < out.length; i++) if (out[i] === 0) out[i] = fill;
  return out;
}
