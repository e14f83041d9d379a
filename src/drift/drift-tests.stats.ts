/**
 * The per-feature drift measures of Evidently's stattests (evidently/legacy/calculations/stattests/*.py), each
 * on already-counted or already-sorted data: chi-square and z p-values, normed Wasserstein distance, PSI,
 * Kullback–Leibler divergence and Jensen–Shannon distance.
 */
import { chiSquareSurvival, standardNormalCdf } from 'src/common/stats/distributions';

/** Σ xᵢ·ln(xᵢ/yᵢ) term of scipy.special.rel_entr: x ln(x/y) for x, y > 0; 0 for x = 0, y ≥ 0; +∞ otherwise. */
export function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function sum(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}

/**
 * Evidently chisquare_stattest: Pearson χ² of observed = current counts against expected = reference counts ×
 * (n_current/n_reference), df = bins − 1 (scipy.stats.chisquare). An expected 0 with observed > 0 gives χ² = ∞,
 * p = 0. One bin (scipy: NaN) gives p = 1: both samples hold the same single value.
 */
export function chiSquarePValue(referenceCounts: Float64Array, currentCounts: Float64Array): number {
  const k = referenceCounts.length;
  if (k <= 1) return 1;
  const nRef = sum(referenceCounts);
  const nCur = sum(currentCounts);
  const kNorm = nCur / nRef;
  let stat = 0;
  for (let i = 0; i < k; i++) {
    const exp = referenceCounts[i] * kNorm;
    const d = currentCounts[i] - exp;
    // Pearson (1900): Σ (O − E)²/E
    stat += (d * d) / exp;
  }
  if (stat === Infinity) return 0;
  return chiSquareSurvival(stat, k - 1);
}

/**
 * Evidently z_stattest: pooled two-proportion z-test of "value = first sorted key" between the samples,
 * p = 2·(1 − Φ(|z|)) computed literally like Evidently (so p is exactly 0 once Φ(|z|) rounds to 1).
 * `referenceHits`/`currentHits` count the values equal to the first key.
 */
export function zTestPValue(referenceHits: number, referenceSize: number, currentHits: number, currentSize: number): number {
  // Evidently counts the complement (x ≠ key → 1); the statistic is symmetric, the arithmetic is kept as theirs.
  const n1 = referenceSize;
  const n2 = currentSize;
  const p1 = (n1 - referenceHits) / n1;
  const p2 = (n2 - currentHits) / n2;
  const P = (p1 * n1 + p2 * n2) / (n1 + n2);
  // Pooled two-proportion z statistic: (p₁ − p₂)/√(P(1 − P)(1/n₁ + 1/n₂)).
  const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2));
  return 2 * (1 - standardNormalCdf(Math.abs(z)));
}

/**
 * Wasserstein-1 distance between two empirical distributions given ascending samples:
 * ∫|F_u − F_v| = Σ over consecutive pooled values |F_u(x) − F_v(x)|·(x' − x) (scipy.stats._stats_py._cdf_distance, p = 1).
 */
export function wassersteinDistanceSorted(u: Float64Array, v: Float64Array): number {
  const n1 = u.length;
  const n2 = v.length;
  let i = 0;
  let j = 0;
  let prev = u[0] <= v[0] ? u[0] : v[0];
  const acc = { s: 0, c: 0 };
  // Each pooled value x adds |F_u − F_v|·(x − previous value), the CDFs counting the values before x (a tie adds 0).
  // Branch-free merge step: the comparison picks the head through a 2-slot array.
  const heads = new Float64Array(2);
  while (i < n1 && j < n2) {
    const x1 = u[i];
    const x2 = v[j];
    const k = Number(x1 <= x2);
    heads[0] = x2;
    heads[1] = x1;
    const x = heads[k];
    neumaierAdd(acc, Math.abs(i / n1 - j / n2) * (x - prev));
    prev = x;
    i += k;
    j += 1 - k;
  }
  for (; i < n1; i++) {
    neumaierAdd(acc, Math.abs(i / n1 - j / n2) * (u[i] - prev));
    prev = u[i];
  }
  for (; j < n2; j++) {
    neumaierAdd(acc, Math.abs(i / n1 - j / n2) * (v[j] - prev));
    prev = v[j];
  }
  return acc.s + acc.c;
}

/** Neumaier's compensated summation step: adds x to the running sum s with its error term c. */
function neumaierAdd(acc: { s: number; c: number }, x: number): void {
  const t = acc.s + x;
  acc.c += Math.abs(acc.s) >= Math.abs(x) ? acc.s - t + x : x - t + acc.s;
  acc.s = t;
}

/** Evidently wasserstein_distance_norm: W₁(reference, current) / max(σ_reference, 0.001), σ the population std. */
export function normedWasserstein(distance: number, referenceStd: number): number {
  return distance / Math.max(referenceStd, 0.001);
}

/** Population Stability Index Σ (r − c)·ln(r/c) over bins of zero-replaced shares (Evidently psi.py). */
export function psi(reference: Float64Array, current: Float64Array): number {
  let s = 0;
  for (let i = 0; i < reference.length; i++) s += (reference[i] - current[i]) * Math.log(reference[i] / current[i]);
  return s;
}

/** Kullback–Leibler divergence D(r‖c) = Σ r·ln(r/c) after normalising both to sum 1 (scipy.stats.entropy(r, c)). */
export function klDivergence(reference: Float64Array, current: Float64Array): number {
  const sr = sum(reference);
  const sc = sum(current);
  let s = 0;
  for (let i = 0; i < reference.length; i++) s += relEntr(reference[i] / sr, current[i] / sc);
  return s;
}

/**
 * Jensen–Shannon distance √(½(D(p‖m) + D(q‖m))), m = (p + q)/2, natural log, p and q normalised to sum 1
 * (scipy.spatial.distance.jensenshannon).
 */
export function jensenShannonDistance(reference: Float64Array, current: Float64Array): number {
  const sp = sum(reference);
  const sq = sum(current);
  let left = 0;
  let right = 0;
  for (let i = 0; i < reference.length; i++) {
    const p = reference[i] / sp;
    const q = current[i] / sq;
    const m = (p + q) / 2.0;
    left += relEntr(p, m);
    right += relEntr(q, m);
  }
  return Math.sqrt((left + right) / 2.0);
}
