/**
 * Bin counts of a numerical feature for display (reference vs current side by side): numpy's
 * np.histogram(values, bins=n, range=(lo, hi)) on both samples over their pooled finite range, so the two
 * histograms share edges. Not used by any drift test (those bin as Evidently does, see binning.stats.ts).
 */
import { histogramCounts } from 'src/drift/binning.stats';
import { isNumericSample, toFloat64, type NumericSample } from 'src/drift/sample.stats';

export const DISPLAY_BINS = 20;

export interface FeatureHistogram {
  /** n + 1 ascending edges; bin i is [edges[i], edges[i+1]), the last bin closed. */
  edges: number[];
  reference: number[];
  current: number[];
}

type Side = readonly unknown[] | Float64Array | NumericSample;

function finiteValues(side: Side): Float64Array {
  return isNumericSample(side) ? side.sorted : toFloat64(side);
}

/** null when either side has no finite value. */
export function featureHistogram(reference: Side, current: Side, bins = DISPLAY_BINS): FeatureHistogram | null {
  const ref = finiteValues(reference);
  const cur = finiteValues(current);
  if (ref.length === 0 || cur.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const xs of [ref, cur]) {
    for (let i = 0; i < xs.length; i++) {
      if (xs[i] < lo) lo = xs[i];
      if (xs[i] > hi) hi = xs[i];
    }
  }
  // numpy widens an empty range by 0.5 on each side
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = new Float64Array(bins + 1);
  const step = (hi - lo) / bins;
  for (let i = 0; i < bins; i++) edges[i] = lo + i * step;
  edges[bins] = hi;
  return {
    edges: Array.from(edges),
    reference: Array.from(histogramCounts(ref, edges)),
    current: Array.from(histogramCounts(cur, edges)),
  };
}
