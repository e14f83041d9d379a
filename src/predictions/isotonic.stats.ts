/**
 * Isotonic (non-decreasing) regression as scikit-learn's IsotonicRegression(increasing=True, out_of_bounds='clip'),
 * the calibrator NannyML's CBPE fits on reference scores: equal x values are merged into one point with the weighted
 * mean of their y (sklearn _make_unique, here by exact equality), the merged points are fitted by weighted
 * pool-adjacent-violators (Barlow et al. 1972; Best & Chakravarti 1990), and a new x is mapped by linear
 * interpolation between the fitted points, clipped to [x_min, x_max] outside them (scipy interp1d as sklearn builds it).
 */

export interface IsotonicFit {
  /** Distinct x values, ascending. */
  x: Float64Array;
  /** Fitted, non-decreasing value at each x. */
  y: Float64Array;
}

/**
 * Weighted pool-adjacent-violators: the non-decreasing sequence ŷ minimising Σ wᵢ(yᵢ − ŷᵢ)². Adjacent blocks whose
 * means violate the order are pooled into their weighted mean until none do; one left-to-right pass with a block stack.
 */
export function poolAdjacentViolators(y: ArrayLike<number>, weights?: ArrayLike<number>): Float64Array {
  const n = y.length;
  const means = new Float64Array(n);
  const blockWeights = new Float64Array(n);
  const sizes = new Int32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    means[blocks] = y[i];
    blockWeights[blocks] = weights ? weights[i] : 1;
    sizes[blocks] = 1;
    blocks++;
    while (blocks > 1 && means[blocks - 2] > means[blocks - 1]) {
      const w = blockWeights[blocks - 2] + blockWeights[blocks - 1];
      means[blocks - 2] = (means[blocks - 2] * blockWeights[blocks - 2] + means[blocks - 1] * blockWeights[blocks - 1]) / w;
      blockWeights[blocks - 2] = w;
      sizes[blocks - 2] += sizes[blocks - 1];
      blocks--;
    }
  }
  const fitted = new Float64Array(n);
  let k = 0;
  for (let b = 0; b < blocks; b++) for (let j = 0; j < sizes[b]; j++) fitted[k++] = means[b];
  return fitted;
}

/** Fits y on x (sklearn IsotonicRegression.fit with unit sample weights). Needs at least one point. */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>): IsotonicFit {
  if (x.length === 0 || x.length !== y.length) throw new RangeError('isotonic fit needs equally long, non-empty x and y');
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const xs: number[] = [];
  const sums: number[] = [];
  const counts: number[] = [];
  for (const i of order) {
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === x[i]) {
      sums[last] += y[i];
      counts[last]++;
    } else {
      xs.push(x[i]);
      sums.push(y[i]);
      counts.push(1);
    }
  }
  const means = sums.map((sum, i) => sum / counts[i]);
  return { x: Float64Array.from(xs), y: poolAdjacentViolators(means, counts) };
}

/** The fitted function at v: linear between fitted points, the end values outside [x_min, x_max]. */
export function predictIsotonic(fit: IsotonicFit, v: number): number {
  const { x, y } = fit;
  const last = x.length - 1;
  if (v <= x[0]) return y[0];
  if (v >= x[last]) return y[last];
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (x[mid] <= v) low = mid;
    else high = mid;
  }
  return y[low] + ((v - x[low]) * (y[high] - y[low])) / (x[high] - x[low]);
}
