/**
 * The one-sample Kolmogorov–Smirnov distributions scipy uses for the asymptotic two-sample p-value:
 * `scipy.stats.kstwo.sf(d, n)` (two-sided, exact for finite n, Simard & L'Ecuyer 2011 dispatch) and
 * `scipy.special.smirnov(n, d)` (one-sided, Birnbaum–Tingey sum). Pure functions, float64 only.
 *
 * scipy evaluates a few branches in double-double or long double; here the same formulas run in
 * float64 with log-space sums, which keeps ≥ 1e-9 relative accuracy on every value used (far inside
 * the 1e-6 the drift checks need).
 */

const EP128 = 2 ** 128;
const EM128 = 2 ** -128;
/** log(2^-1022), cephes MINLOG (xsf/cephes/const.h). */
const MINLOG = -708.3964185322641;
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT2PI = Math.sqrt(2 * Math.PI);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT3 = Math.sqrt(3);
const EPS = 2 ** -52;
/** Stirling coefficients B_{2j}/(2j)/(2j-1), j = 8..1 (scipy/stats/_ksstats.py _STIRLING_COEFFS). */
const STIRLING_COEFFS = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417, -0.0005952380952380953, 0.0007936507936507937,
  -0.002777777777777778, 0.08333333333333333,
];
/** xsf SMIRNOV_MAX_COMPUTE_N: above it smirnov uses its closed-form approximation. */
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

/** x·2^e without intermediate overflow/underflow of 2^e. */
function ldexp(x: number, e: number): number {
  while (e > 1000) {
    x *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    x *= 2 ** -1000;
    e += 1000;
  }
  return x * 2 ** e;
}

/** Exact floor(n·x) and the fractional part n·x − floor(n·x), via an error-free product (xsf modNX). */
export function modNX(n: number, x: number): { floor: number; alpha: number } {
  const p = n * x;
  // Dekker/Veltkamp two-product: n·x = p + e exactly.
  const split = (a: number): [number, number] => {
    const c = 134217729 * a;
    const hi = c - (c - a);
    return [hi, a - hi];
  };
  const [nh, nl] = split(n);
  const [xh, xl] = split(x);
  const e = nh * xh - p + nh * xl + nl * xh + nl * xl;
  let fl = Math.floor(p);
  let alpha = p - fl + e;
  if (alpha < 0) {
    fl -= 1;
    alpha += 1;
  }
  if (alpha >= 1) {
    fl += 1;
    alpha -= 1;
  }
  return { floor: fl, alpha };
}

/**
 * One-sided Smirnov survival P(D⁺ₙ ≥ x) = scipy.special.smirnov(n, x).
 * Same branches as xsf/cephes/kolmogorov.h _smirnov; the Birnbaum–Tingey lower sum is summed in log space.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { floor: nxfl, alpha } = modNX(n, x);
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  if (alpha === 0) n1mxfl -= 1;
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    // x ≤ 1/n: cdf = x(1+x)^(n−1) (xsf _smirnov special case).
    return 1 - x * Math.exp((n - 1) * Math.log1p(x));
  }
  if (-2 * n * x * x < MINLOG) return 0;
  // x ≥ 1 − 1/n: sf = (1−x)^n (xsf _smirnov special case).
  if (nxfl >= n - 1) return Math.pow(1 - x, n);
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    // xsf: p ≈ exp(−(6nx+1)²/(18n)) for very large n.
    const logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  // Birnbaum & Tingey (1951): sf = x·Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (x+v/n)^(v−1) (1−x−v/n)^(n−v).
  const nTerms = n1mxfl + 1;
  let logC = 0;
  let logMax = -Infinity;
  let scaled = 0; // Σ exp(logA_v − logMax)
  for (let v = 0; v < nTerms; v++) {
    if (v > 0) logC += Math.log((n - v + 1) / v);
    const a = nxfl + v + alpha; // n·(x + v/n), exact up to alpha's rounding
    const b = n - v - nxfl - alpha; // n·(1 − x − v/n)
    const la = Math.log(a / n);
    const lb = b / n < 0.5 ? Math.log(b / n) : Math.log1p(-a / n);
    const logA = logC + (v - 1) * la + (n - v) * lb;
    let rel: number; // A_v / exp(logMax)
    if (logA > logMax) {
      scaled = scaled * Math.exp(logMax - logA) + 1;
      logMax = logA;
      rel = 1;
    } else {
      rel = Math.exp(logA - logMax);
      scaled += rel;
    }
    // xsf early exit: stop once 4·(remaining terms)·A_v < ε·ΣA.
    if (v > 0 && v !== nTerms - 1 && 4 * (nTerms - v) * rel < EPS * scaled) break;
  }
  return clip01(Math.exp(Math.log(x) + logMax + Math.log(scaled)));
}

/** log(n!/nⁿ) by Stirling's series (scipy/stats/_ksstats.py _log_nfactorial_div_n_pow_n). */
function logNFactorialDivNPowN(n: number): number {
  const rn = 1.0 / n;
  const t = rn / n;
  let poly = 0;
  for (const c of STIRLING_COEFFS) poly = poly * t + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** m×m matrix product into a new Float64Array (row-major). */
function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      const bo = k * m;
      const co = i * m;
      for (let j = 0; j < m; j++) c[co + j] += aik * b[bo + j];
    }
  }
  return c;
}

/** Pr(Dₙ ≤ d) by Durbin's matrix method as Marsaglia, Tsang & Wang (2003) (scipy _kolmogn_DMTW). */
export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1.0) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1.0;
  for (let j = 1; j <= m; j++) {
    v[j - 1] = 1.0 - h ** j;
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] *= fac;
  }
  const tt = Math.max(2 * h - 1.0, 0) ** m - 2 * h ** m;
  v[m - 1] = (1.0 + tt) * fac;
  let H: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)];
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];

  let Hpwr: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) Hpwr[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let Hexpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      Hpwr = matmul(Hpwr, H, m);
      expnt += Hexpnt;
    }
    H = matmul(H, H, m);
    Hexpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]) > EP128) {
      for (let i = 0; i < m * m; i++) H[i] /= EP128;
      Hexpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = Hpwr[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= EP128;
      expnt -= 128;
    }
  }
  if (expnt !== 0) p = ldexp(p, expnt);
  return clip01(p);
}

/** Endpoints of row i in Pomeranz's recursion (scipy _pomeranz_compute_j1j2). */
function pomeranzJ1J2(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Python slice bounds a[start:stop] for an array of length len. */
function pySliceBounds(start: number, stop: number, len: number): [number, number] {
  const norm = (i: number): number => (i < 0 ? Math.max(len + i, 0) : Math.min(i, len));
  const s = norm(start);
  const e = norm(stop);
  return [s, Math.max(e, s)];
}

/** Pr(Dₙ ≤ x) by Pomeranz's recursion (Pomeranz 1974, Algorithm 487; scipy _kolmogn_Pomeranz). */
export function kolmogorovCdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = 1.0 * (t - ll);
  const g = Math.min(f, 1.0 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = 1.0;
  twogpower[0] = 1.0;
  onem2gpower[0] = 1.0;
  let expnt = 0;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1] * gOverN) / m;
    twogpower[m] = (twogpower[m - 1] * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1] * oneMinusTwoGOverN) / m;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let [j1, j2] = pomeranzJ1J2(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0.0);
    [j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      const [as, ae] = pySliceBounds(k1 - V0s, k1 - V0s + ln2, npwrs);
      const la = ae - as;
      const lb = Math.min(ln2, npwrs);
      // np.convolve(a, b) (full): conv[k] = Σᵢ a[i]·b[k−i]
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      const fullLen = la + lb - 1;
      let maxV = -Infinity;
      for (let q = 0; q < convLen; q++) {
        const kk = convStart + q;
        let s = 0;
        if (kk >= 0 && kk < fullLen) {
          const iLo = Math.max(0, kk - lb + 1);
          const iHi = Math.min(la - 1, kk);
          for (let ii = iLo; ii <= iHi; ii++) s += V0[as + ii] * pwrs[kk - ii];
        }
        V1[q] = s;
      }
      for (let q = 0; q < npwrs; q++) if (V1[q] > maxV) maxV = V1[q];
      if (maxV > 0 && maxV < EM128) {
        for (let q = 0; q < npwrs; q++) V1[q] *= EP128;
        expnt -= 128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > EP128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  if (expnt !== 0) ans = ldexp(ans, expnt);
  return clip01(ans);
}

/** Pelz–Good (1976) approximation of Pr(Dₙ ≤ x) (scipy _kolmogn_PelzGood); unclipped like scipy. */
export function kolmogorovCdfPelzGood(n: number, x: number): number {
  if (x <= 0.0) return 0;
  if (x >= 1.0) return 1;
  const z = Math.sqrt(n) * x;
  const zsquared = z ** 2;
  const zthree = z ** 3;
  const zfour = z ** 4;
  const zsix = z ** 6;
  const qlog = -PI2 / 8 / zsquared;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -zsquared;
  const k1b = PI2 / 4;
  const k2a = 6 * zsix + 2 * zfour;
  const k2b = ((2 * zfour - 5 * zsquared) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * zsquared)) / 16;
  const k3d = (PI6 * (5 - 30 * zsquared)) / 64;
  const k3c = (PI4 * (-60 * zsquared + 212 * zfour)) / 16;
  const k3b = (PI2 * (135 * zfour - 96 * zsix)) / 4;
  const k3a = -30 * zsix - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = Math.pow(q, 8 * k);
    const coeffs = [1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qpower + coeffs[i];
  }
  const div = [z, 6 * zfour, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / div[i];
  q = Math.exp(-PI2 / 2 / zsquared);
  const sqrt3z = SQRT3 * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    const kspi = Math.PI * k;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * k2 * qp;
  }
  K[2] += (k2extra * PI2 * SQRT2PI) / (-36 * zthree);
  K[3] += (k3extra * PI2 * SQRT2PI) / (216 * zsix);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i] / Math.pow(n, i / 2);
  return sum;
}

/**
 * Two-sided one-sample KS survival Pr(Dₙ ≥ x) for integer n — scipy.stats._ksstats._kolmogn(n, x, cdf=False),
 * Simard & L'Ecuyer (2011) choice of method.
 */
export function kolmogornSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return NaN;
  if (x >= 1.0) return 0;
  if (x <= 0.0) return 1;
  const t = n * x;
  if (t <= 1.0) {
    // Ruben–Gambino: 1/(2n) ≤ x ≤ 1/n, cdf = n!/nⁿ·(2t−1)ⁿ
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1.0 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1.0 - prob);
  }
  // Ruben–Gambino: x ≥ 1 − 1/n, sf = 2(1−x)ⁿ
  if (t >= n - 1) return clip01(2 * (1.0 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 0.754693) return clip01(1.0 - kolmogorovCdfDurbin(n, x));
    if (nxsquared <= 4) return clip01(1.0 - kolmogorovCdfPomeranz(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nxsquared >= 370.0) return 0;
  if (nxsquared >= 2.2) return clip01(2 * smirnovSf(n, x));
  let cdf: number;
  if (nxsquared >= 18.0) cdf = 1.0;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = kolmogorovCdfDurbin(n, x);
  else cdf = kolmogorovCdfPelzGood(n, x);
  return clip01(1.0 - clip01(cdf));
}

/** scipy.stats.kstwo.sf(x, n): rv_continuous support handling (x ≤ 1/(2n) → 1, x ≥ 1 → 0) around kolmogornSf. */
export function kstwoSf(x: number, n: number): number {
  if (!(n >= 1) || n !== Math.round(n) || Number.isNaN(x)) return NaN;
  if (x <= 0.5 / n) return 1;
  if (x >= 1) return 0;
  return kolmogornSf(n, x);
}
