/**
 * Two-sided two-sample Kolmogorov–Smirnov test exactly as scipy.stats.ks_2samp(x, y, method='auto')
 * (scipy/stats/_stats_py.py): the statistic from the empirical CDFs evaluated after every tie, the exact
 * null distribution when both samples have ≤ 10,000 values (Hodges 1958 lattice-path counts, with scipy's
 * fallback to the asymptotic path), otherwise kstwo.sf(d, round(m·n/(m+n))).
 */
import { kstwoSf } from 'src/drift/kolmogorov.stats';

/** scipy MAX_AUTO_N: 'auto' is exact when both samples are at most this large. */
export const KS_MAX_EXACT_N = 10000;

export interface KsResult {
  /** D = sup |F₁ − F₂| as scipy reports it (the rounded h/lcm when the exact path ran). */
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymp';
}

/** numpy's round-half-to-even of a float (np.round). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * KS statistic of two ascending-sorted samples: max over the pooled values v of |#{a ≤ v}/n₁ − #{b ≤ v}/n₂|,
 * with scipy's float arithmetic (cdf1 − cdf2 per pooled value, max vs clipped −min).
 * One merge pass; the differences are taken where a new pooled value starts (i.e. at the end of each tie group).
 */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let prev = NaN;
  // 0 is in scipy's set of differences too (after the largest value both CDFs are 1)
  let maxS = 0;
  let minS = 0;
  // Branch-free merge step: the comparison picks the head through a 2-slot array (random interleaving of the
  // samples would otherwise mispredict about every other branch).
  const heads = new Float64Array(2);
  while (i < n1 && j < n2) {
    const x1 = a[i];
    const x2 = b[j];
    const k = Number(x1 <= x2);
    heads[0] = x2;
    heads[1] = x1;
    const x = heads[k];
    if (x !== prev) {
      // scipy: cddiffs = searchsorted(data1, v, 'right')/n1 − searchsorted(data2, v, 'right')/n2
      const diff = i / n1 - j / n2;
      if (diff > maxS) maxS = diff;
      if (diff < minS) minS = diff;
      prev = x;
    }
    i += k;
    j += 1 - k;
  }
  for (; i < n1; i++) {
    if (a[i] === prev) continue;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
    prev = a[i];
  }
  for (; j < n2; j++) {
    if (b[j] === prev) continue;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
    prev = b[j];
  }
  const negMin = Math.min(Math.max(-minS, 0), 1);
  return negMin > maxS ? negMin : maxS;
}

/**
 * P(D_{n,n} ≥ h/n) for equal sample sizes (scipy _compute_prob_outside_square): 2·Σ alternating
 * binom(2n, n−kh)/binom(2n, n) terms, evaluated Horner-like.
 */
export function computeProbOutsideSquare(n: number, h: number): number {
  let P = 0.0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1.0;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1.0 - P);
    k -= 1;
  }
  return 2 * P;
}

/**
 * Proportion of lattice paths (0,0)→(m,n) leaving the band |x/m − y/n| < h/lcm(m,n) — Hodges (1958)
 * inside method with Viehmann's (2021) recursion for 1 − p, as scipy _compute_outer_prob_inside_method.
 */
export function computeOuterProbInsideMethod(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = Math.floor(m / g);
  const ng = Math.floor(n / g);
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1.0);
  A.fill(0.0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1.0;
    let val = minj === 0 ? 0.0 : 1.0;
    const off = minj - lastminj;
    const width = maxj - minj;
    for (let jj = 0; jj < width; jj++) {
      const j = jj + minj;
      val = (A[jj + off] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = width;
    if (lastlen > curlen) A.fill(1.0, width, width + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}

/** Two-sided p-value of statistic d for sample sizes n1, n2, following ks_2samp(method='auto'). */
export function ksTwoSamplePValue(n1: number, n2: number, d: number): KsResult {
  if (n1 === 0 || n2 === 0) throw new RangeError('KS needs two non-empty samples');
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    // scipy _attempt_exact_2kssamp
    const g = gcd(n1, n2);
    const lcm = Math.floor(n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    const dRounded = (h * 1.0) / lcm;
    if (h === 0) return { statistic: dRounded, pValue: 1.0, method: 'exact' };
    const prob = n1 === n2 ? computeProbOutsideSquare(n1, h) : computeOuterProbInsideMethod(n1, n2, g, h);
    if (prob >= 0 && prob <= 1) return { statistic: dRounded, pValue: prob, method: 'exact' };
    d = dRounded; // scipy falls back to 'asymp' with the rounded statistic
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  // scipy: en = m·n/(m+n); prob = kstwo.sf(d, np.round(en))
  const en = (m * n) / (m + n);
  const p = kstwoSf(d, roundHalfEven(en));
  return { statistic: d, pValue: Math.min(Math.max(p, 0), 1), method: 'asymp' };
}

/** ks_2samp on two ascending-sorted samples. */
export function ksTwoSampleSorted(a: Float64Array, b: Float64Array): KsResult {
  return ksTwoSamplePValue(a.length, b.length, ksStatisticSorted(a, b));
}
