/**
 * Per-feature and dataset drift checks with Evidently's semantics (evidently/legacy/calculations/stattests and
 * data_drift): cleaning, type inference, the default-test rule, thresholds and the drift decision.
 *
 * Empty side: when the reference or the current sample has no value left after dropping null/NaN/±Infinity,
 * testFeatureDrift throws DriftInputError (code 'EMPTY_SAMPLE'); the service maps DriftInputError to HTTP 400.
 */
import {
  distinctValueCounts,
  histogramCounts,
  histogramCountsSorted,
  replaceZeroShares,
  Shares,
  STURGES_MIN_REFERENCE_DISTINCT,
  sturgesBinEdges,
  toShares,
} from 'src/drift/binning.stats';
import {
  chiSquarePValue,
  jensenShannonDistance,
  klDivergence,
  normedWasserstein,
  psi,
  wassersteinDistanceSorted,
  zTestPValue,
} from 'src/drift/drift-tests.stats';
import { ksTwoSampleSorted } from 'src/drift/ks.stats';
import {
  categoryKey,
  cleanValues,
  distinctCountUpTo,
  finiteRange,
  DriftInputError,
  FeatureType,
  isMissing,
  isNumericSample,
  meanAndStd,
  NumericSample,
  sortFloat64,
  toFloat64,
} from 'src/drift/sample.stats';

export { DriftInputError, prepareNumericSample, cleanValues, inferFeatureType } from 'src/drift/sample.stats';
export type { FeatureType, NumericSample } from 'src/drift/sample.stats';

export type StatTest = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'psi' | 'kl_div' | 'jensenshannon';
export const STAT_TESTS: readonly StatTest[] = ['ks', 'chisquare', 'z', 'wasserstein', 'psi', 'kl_div', 'jensenshannon'];

/** Evidently default thresholds: p-value tests 0.05, distance tests 0.1. */
export const DEFAULT_THRESHOLDS: Readonly<Record<StatTest, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  z: 0.05,
  wasserstein: 0.1,
  psi: 0.1,
  kl_div: 0.1,
  jensenshannon: 0.1,
};
export const DEFAULT_DRIFT_SHARE_THRESHOLD = 0.5;
/** Evidently's default rule switches on the reference size at this many values. */
export const AUTO_SMALL_REFERENCE_MAX = 1000;

/** One side of a feature: raw values (null/NaN/±Infinity dropped), a Float64Array, or a prepared sample. */
export type FeatureSample = readonly unknown[] | Float64Array | NumericSample;

export interface FeatureDriftInput {
  reference: FeatureSample;
  current: FeatureSample;
  /** Given, or inferred: every value a number → numerical. */
  type?: FeatureType;
  stattest?: StatTest | 'auto';
  /** Defaults to DEFAULT_THRESHOLDS[stattest]. */
  threshold?: number;
}

export interface FeatureDriftResult {
  type: FeatureType;
  stattest: StatTest;
  /** p-value for ks/chisquare/z, distance for wasserstein/psi/kl_div/jensenshannon; never NaN. */
  score: number;
  threshold: number;
  drifted: boolean;
  referenceSize: number;
  currentSize: number;
}

export interface DatasetDriftResult {
  numberOfFeatures: number;
  numberOfDriftedFeatures: number;
  driftShare: number;
  datasetDrift: boolean;
}

export function isPValueTest(stattest: StatTest): boolean {
  return stattest === 'ks' || stattest === 'chisquare' || stattest === 'z';
}

/** Evidently's decision: ks p ≤ threshold; chisquare and z p < threshold; distances score ≥ threshold. */
export function isDrift(stattest: StatTest, score: number, threshold: number): boolean {
  if (stattest === 'ks') return score <= threshold;
  if (stattest === 'chisquare' || stattest === 'z') return score < threshold;
  return score >= threshold;
}

/**
 * Evidently's default test (get_default_stattest): reference ≤ 1000 values → ks for numerical with > 5 distinct
 * values, else chisquare (> 2 distinct) or z; reference > 1000 → wasserstein for numerical with > 5 distinct
 * values, else jensenshannon. `distinctValues` counts reference ∪ current (any value > 5 may be passed as 6).
 */
export function defaultStatTest(type: FeatureType, referenceSize: number, distinctValues: number): StatTest {
  if (referenceSize <= AUTO_SMALL_REFERENCE_MAX) {
    if (type === 'numerical' && distinctValues > 5) return 'ks';
    return distinctValues > 2 ? 'chisquare' : 'z';
  }
  if (type === 'numerical' && distinctValues > 5) return 'wasserstein';
  return 'jensenshannon';
}

/** A numeric side: cleaned values in input order, their range, and what a prepared sample already knows. */
interface NumericSide {
  values: Float64Array;
  min: number;
  max: number;
  prepared?: NumericSample;
  sortedCache?: Float64Array;
}

function numericSide(sample: FeatureSample): NumericSide {
  if (isNumericSample(sample)) {
    const s = sample.sorted;
    return { values: s, min: s[0], max: s[s.length - 1], prepared: sample, sortedCache: s };
  }
  let values = sample instanceof Float64Array ? sample : toFloat64(sample);
  let range = finiteRange(values);
  if (!range.allFinite) {
    values = cleanValues(values);
    range = finiteRange(values);
  }
  return { values, min: range.min, max: range.max };
}

function sortedOf(side: NumericSide): Float64Array {
  if (!side.sortedCache) side.sortedCache = sortFloat64(side.values);
  return side.sortedCache;
}

function allIntegers(...sides: NumericSide[]): boolean {
  for (const side of sides) for (let i = 0; i < side.values.length; i++) if (!Number.isInteger(side.values[i])) return false;
  return true;
}

/** Counts per bin for psi/kl_div/jensenshannon on a numerical feature (Evidently get_binned_data). */
function numericBinCounts(ref: NumericSide, cur: NumericSide): Shares {
  const refDistinct = ref.prepared ? ref.prepared.distinctCount : distinctCountUpTo(STURGES_MIN_REFERENCE_DISTINCT, ref.values);
  if (refDistinct <= STURGES_MIN_REFERENCE_DISTINCT) return distinctValueCounts(ref.values, cur.values);
  const size = ref.values.length + cur.values.length;
  const min = Math.min(ref.min, cur.min);
  const max = Math.max(ref.max, cur.max);
  // numpy raises the Sturges width to 1 for integer dtypes; integer-valued data is taken as such (pandas int64).
  const integerData = (max - min) / (Math.log2(size) + 1.0) < 1 && allIntegers(ref, cur);
  const edges = sturgesBinEdges(size, min, max, integerData);
  const count = (s: NumericSide): Float64Array =>
    s.sortedCache ? histogramCountsSorted(s.sortedCache, edges) : histogramCounts(s.values, edges);
  return { reference: count(ref), current: count(cur) };
}

function binnedScore(stattest: 'psi' | 'kl_div' | 'jensenshannon', counts: Shares, nRef: number, nCur: number): number {
  const r = toShares(counts.reference, nRef);
  const c = toShares(counts.current, nCur);
  if (stattest === 'jensenshannon') return jensenShannonDistance(r, c);
  const rr = replaceZeroShares(r);
  const cc = replaceZeroShares(c);
  return stattest === 'psi' ? psi(rr, cc) : klDivergence(rr, cc);
}

function numericScore(stattest: StatTest, ref: NumericSide, cur: NumericSide): number {
  const nRef = ref.values.length;
  const nCur = cur.values.length;
  switch (stattest) {
    case 'ks':
      return ksTwoSampleSorted(sortedOf(ref), sortedOf(cur)).pValue;
    case 'wasserstein': {
      const std = ref.prepared ? ref.prepared.std : meanAndStd(ref.values).std;
      return normedWasserstein(wassersteinDistanceSorted(sortedOf(ref), sortedOf(cur)), std);
    }
    case 'psi':
    case 'kl_div':
    case 'jensenshannon':
      return binnedScore(stattest, numericBinCounts(ref, cur), nRef, nCur);
    case 'chisquare': {
      const counts = distinctValueCounts(ref.values, cur.values);
      return chiSquarePValue(counts.reference, counts.current);
    }
    case 'z': {
      if (distinctCountUpTo(1, ref.values, cur.values) <= 1) return 1;
      // "success" = the smallest value of reference ∪ current
      const first = Math.min(ref.min, cur.min);
      let refHits = 0;
      let curHits = 0;
      for (let i = 0; i < nRef; i++) if (ref.values[i] === first) refHits++;
      for (let i = 0; i < nCur; i++) if (cur.values[i] === first) curHits++;
      return zTestPValue(refHits, nRef, curHits, nCur);
    }
  }
}

/** Category counts of reference ∪ current, keys by canonical string (one pass per side, no copies). */
interface CategoricalCounts extends Shares {
  keys: string[];
  referenceSize: number;
  currentSize: number;
  /** Every category came from a number (then "first in sorted order" is numeric). */
  allNumbers: boolean;
}

function countCategories(reference: FeatureSample, current: FeatureSample): CategoricalCounts {
  const index = new Map<string, number>();
  const keys: string[] = [];
  const counts: [number[], number[]] = [[], []];
  const sizes = [0, 0];
  let allNumbers = true;
  const add = (key: string, side: number): void => {
    let k = index.get(key);
    if (k === undefined) {
      k = keys.length;
      index.set(key, k);
      keys.push(key);
      counts[0].push(0);
      counts[1].push(0);
    }
    counts[side][k]++;
    sizes[side]++;
  };
  [reference, current].forEach((sample, side) => {
    if (isNumericSample(sample) || sample instanceof Float64Array) {
      const values = isNumericSample(sample) ? sample.sorted : toFloat64(sample);
      for (let i = 0; i < values.length; i++) add(String(values[i]), side);
      return;
    }
    for (const v of sample) {
      if (isMissing(v)) continue;
      if (typeof v === 'string') {
        allNumbers = false;
        add(v, side);
      } else {
        if (typeof v !== 'number') allNumbers = false;
        add(categoryKey(v), side);
      }
    }
  });
  return {
    keys,
    reference: Float64Array.from(counts[0]),
    current: Float64Array.from(counts[1]),
    referenceSize: sizes[0],
    currentSize: sizes[1],
    allNumbers,
  };
}

function categoricalScore(stattest: StatTest, counts: CategoricalCounts): number {
  const nRef = counts.referenceSize;
  const nCur = counts.currentSize;
  switch (stattest) {
    case 'chisquare':
      return chiSquarePValue(counts.reference, counts.current);
    case 'psi':
    case 'kl_div':
    case 'jensenshannon':
      return binnedScore(stattest, counts, nRef, nCur);
    case 'z': {
      if (counts.keys.length <= 1) return 1;
      // "success" = the first key in sorted order (numeric order when every category is a number)
      let first = 0;
      for (let k = 1; k < counts.keys.length; k++) {
        const a = counts.keys[k];
        const b = counts.keys[first];
        if (counts.allNumbers ? Number(a) < Number(b) : a < b) first = k;
      }
      return zTestPValue(counts.reference[first], nRef, counts.current[first], nCur);
    }
    default:
      throw new DriftInputError(`stattest '${stattest}' needs a numerical feature`, 'UNSUPPORTED_TEST');
  }
}

function resolveType(input: FeatureDriftInput): FeatureType {
  if (input.type !== undefined) {
    if (input.type !== 'numerical' && input.type !== 'categorical') {
      throw new DriftInputError(`unknown feature type '${String(input.type)}'`, 'INVALID_VALUE');
    }
    return input.type;
  }
  for (const side of [input.reference, input.current]) {
    if (isNumericSample(side) || side instanceof Float64Array) continue;
    for (const v of side) if (!isMissing(v) && typeof v !== 'number') return 'categorical';
  }
  return 'numerical';
}

/**
 * Drift of one feature between a reference and a current sample.
 * Throws DriftInputError when a side is empty after cleaning, a numerical feature holds a non-number, the test
 * does not apply to the feature type (ks and wasserstein need numerical data) or the threshold is invalid.
 */
export function testFeatureDrift(input: FeatureDriftInput): FeatureDriftResult {
  const type = resolveType(input);
  const requested = input.stattest ?? 'auto';
  if (requested !== 'auto' && !STAT_TESTS.includes(requested)) {
    throw new DriftInputError(`unknown stattest '${String(requested)}'`, 'UNSUPPORTED_TEST');
  }
  if (type === 'categorical' && (requested === 'ks' || requested === 'wasserstein')) {
    throw new DriftInputError(`stattest '${requested}' needs a numerical feature`, 'UNSUPPORTED_TEST');
  }
  if (input.threshold !== undefined && !(Number.isFinite(input.threshold) && input.threshold >= 0)) {
    throw new DriftInputError('threshold must be a finite number ≥ 0', 'INVALID_THRESHOLD');
  }

  let stattest: StatTest;
  let score: number;
  let referenceSize: number;
  let currentSize: number;
  if (type === 'numerical') {
    const ref = numericSide(input.reference);
    const cur = numericSide(input.current);
    referenceSize = ref.values.length;
    currentSize = cur.values.length;
    assertNonEmpty(referenceSize, currentSize);
    stattest = requested === 'auto' ? defaultStatTest(type, referenceSize, distinctCountUpTo(5, ref.values, cur.values)) : requested;
    score = numericScore(stattest, ref, cur);
  } else {
    const counts = countCategories(input.reference, input.current);
    referenceSize = counts.referenceSize;
    currentSize = counts.currentSize;
    assertNonEmpty(referenceSize, currentSize);
    stattest = requested === 'auto' ? defaultStatTest(type, referenceSize, counts.keys.length) : requested;
    score = categoricalScore(stattest, counts);
  }
  if (Number.isNaN(score)) {
    // only reachable with magnitudes near the float64 limit (e.g. an infinite spread divided by an infinite std)
    throw new DriftInputError(`${stattest} is undefined for these values (magnitudes too large)`, 'INVALID_VALUE');
  }
  const threshold = input.threshold ?? DEFAULT_THRESHOLDS[stattest];
  return { type, stattest, score, threshold, drifted: isDrift(stattest, score, threshold), referenceSize, currentSize };
}

function assertNonEmpty(referenceSize: number, currentSize: number): void {
  if (referenceSize === 0 || currentSize === 0) {
    const which = referenceSize === 0 ? (currentSize === 0 ? 'reference and current' : 'reference') : 'current';
    throw new DriftInputError(`${which} sample empty after dropping null/NaN/±Infinity`, 'EMPTY_SAMPLE');
  }
}

/** Evidently dataset drift: driftShare = drifted / features, drift when driftShare ≥ threshold (0 features → no drift). */
export function datasetDrift(
  results: ReadonlyArray<Pick<FeatureDriftResult, 'drifted'>>,
  driftShareThreshold = DEFAULT_DRIFT_SHARE_THRESHOLD,
): DatasetDriftResult {
  const numberOfFeatures = results.length;
  let numberOfDriftedFeatures = 0;
  for (const r of results) if (r.drifted) numberOfDriftedFeatures++;
  const driftShare = numberOfFeatures === 0 ? 0 : numberOfDriftedFeatures / numberOfFeatures;
  return {
    numberOfFeatures,
    numberOfDriftedFeatures,
    driftShare,
    datasetDrift: numberOfFeatures > 0 && driftShare >= driftShareThreshold,
  };
}
