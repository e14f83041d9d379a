import { binaryValues, observationsOf, recordObservations, startAbTest } from 'test/support/ab-test-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/*
 * Raw observations posted through the API; the results must equal scipy on the same raw values. Expected numbers
 * were computed with python3 + numpy 2.4 + scipy 1.17 (never with this code):
 *
 *   import numpy as np, scipy.stats as st, math
 *   C, T1, T2 = np.array(CONTROL), np.array(TREATMENT_1), np.array(TREATMENT_2)   # the literal arrays below
 *   def compare(T, C, alpha):
 *       r = st.ttest_ind(T, C, equal_var=False); ci = r.confidence_interval(1 - alpha)
 *       mc, mt, vc, vt = C.mean(), T.mean(), C.var(ddof=1), T.var(ddof=1)
 *       dr = (mt - mc) / abs(mc); vr = vt / (mc**2 * len(T)) + vc * mt**2 / (mc**4 * len(C))
 *       q = st.t.ppf(1 - alpha / 2, r.df)
 *       return [mt - mc, ci.low, ci.high, dr, dr - q * math.sqrt(vr), dr + q * math.sqrt(vr), r.pvalue, r.df,
 *               st.norm.cdf(dr / math.sqrt(vr))]
 *   def holm(p):
 *       p = np.asarray(p); o = np.argsort(p); m = len(p)
 *       adj = np.minimum(1, np.maximum.accumulate(p[o] * np.arange(m, 0, -1))); out = np.empty(m); out[o] = adj
 *       return out
 *   compare(T1, C, 0.1); compare(T2, C, 0.1); holm([p1, p2])
 *   [x.mean() for x in (C, T1, T2)]; [x.std(ddof=1) for x in (C, T1, T2)]
 *   st.chisquare([40, 45, 38], np.array([0.4, 0.3, 0.3]) * 123).pvalue
 *   def binary(n, k): return np.r_[np.ones(k), np.zeros(n - k)]
 *   compare(binary(260, 58), binary(250, 37), 0.05); st.chisquare([250, 260], [255, 255]).pvalue
 */

// rng = np.random.default_rng(20240611); np.round(rng.normal(10, 2, 40), 2), then (11.2, 2.5, 45), then (9.9, 3, 38)
const CONTROL = [
  9.58, 8.96, 10.3, 6.42, 10.57, 9.36, 8.55, 10.2, 6.1, 9.68, 8.54, 10.82, 10.88, 8.14, 8.13, 7.06, 8.42, 10.64, 11.71, 10.46, 10.07, 8.27,
  10.39, 8.37, 10.48, 9.59, 11.71, 10.4, 12.74, 9.18, 11.51, 10.45, 13.39, 6.08, 11.75, 7.95, 8.26, 9.96, 6.98, 7.61,
];
const TREATMENT_1 = [
  9.94, 10.39, 6.44, 9.02, 10.84, 10.87, 9.54, 11.19, 9.92, 14.13, 9.18, 11.35, 9.98, 13.34, 8.77, 13.39, 8.21, 7.78, 9.83, 11.43, 7.4,
  9.94, 11.19, 11.11, 13.39, 13.16, 12.03, 13.48, 13.55, 8.43, 16.66, 11.08, 9.69, 12.7, 9.98, 12.77, 8.2, 13.01, 8.04, 12.14, 10.67, 9.95,
  11.58, 9.76, 9.27,
];
const TREATMENT_2 = [
  11.08, 15.69, 6.91, 13.37, 13.14, 6.54, 10.47, 11.47, 7.17, 13.14, 12.53, 15.0, 11.07, 12.74, 15.34, 10.51, 8.4, 5.55, 10.76, 6.1, 13.19,
  10.34, 12.33, 10.39, 13.61, 8.53, 10.05, 14.1, 6.13, 10.48, 12.83, 6.71, 7.8, 6.15, 13.44, 9.33, 8.95, 5.66,
];

/** |actual − expected| ≤ 1e-9·max(1, |expected|). */
function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

const FIELDS = [
  'absoluteEffect',
  'absoluteCiLow',
  'absoluteCiHigh',
  'relativeEffect',
  'relativeCiLow',
  'relativeCiHigh',
  'pValue',
  'degreesOfFreedom',
  'chanceToBeatControl',
] as const;

function expectComparison(comparison: Record<string, number>, expected: readonly number[]): void {
  FIELDS.forEach((field, index) => expectClose(comparison[field], expected[index]));
}

describe('A/B tests: results equal scipy on raw observations (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('continuous metric, two treatments at α = 0.1: Welch, delta-method lift, Holm and SRM', async () => {
    // analysis 'absolute': the p-value is scipy's Welch test of μ_t − μ_c
    const test = await startAbTest(testApp, {
      metricType: 'continuous',
      analysis: 'absolute',
      alpha: 0.1,
      minSamplesPerVariant: 10,
      variants: [
        { name: 'control', weight: 4 },
        { name: 'treatment-1', weight: 3 },
        { name: 'treatment-2', weight: 3 },
      ],
    });
    // Split over several batches (and interleaved) so the sums go through more than one increment.
    await recordObservations(testApp, test.id, {
      observations: [...observationsOf('control', CONTROL.slice(0, 17)), ...observationsOf('treatment-2', TREATMENT_2)],
    });
    await recordObservations(testApp, test.id, {
      observations: [...observationsOf('treatment-1', TREATMENT_1), ...observationsOf('control', CONTROL.slice(17))],
    });

    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(body).toMatchObject({ status: 'running', metricType: 'continuous', alpha: 0.1, control: 'control' });
    expect(body.variants.map((variant: { count: number }) => variant.count)).toEqual([40, 45, 38]);
    [9.4915, 10.771555555555555, 10.44736842105263].forEach((mean, index) => expectClose(body.variants[index].mean, mean));
    [1.7480267996537389, 2.0837367609390802, 2.9851186623256716].forEach((stdDev, index) =>
      expectClose(body.variants[index].stdDev, stdDev),
    );

    expectComparison(
      body.comparisons[0],
      [
        1.2800555555555544, 0.5884043098376469, 1.9717068012734615, 0.13486335727288146, 0.057496143946496964, 0.21223057059926595,
        0.0028209757837638605, 82.73944753299739, 0.9981324537026163,
      ],
    );
    expectComparison(
      body.comparisons[1],
      [
        0.9558684210526298, 0.024132427801949796, 1.8876044143033095, 0.10070783554260442, 2.339296167713778e-5, 0.2013922781235317,
        0.09170873309417162, 59.084161503513585, 0.9526829266908852,
      ],
    );
    expectClose(body.comparisons[0].adjustedPValue, 0.005641951567527721);
    expectClose(body.comparisons[1].adjustedPValue, 0.09170873309417162);
    expect(body.comparisons.map((comparison: { significant: boolean }) => comparison.significant)).toEqual([true, true]);
    expectClose(body.srm.pValue, 0.1710870725586366);
    expect(body.srm.detected).toBe(false);
    expect(body.recommendation).toBe('ship_variant');
    expect(body.winner).toBe('treatment-1');
  });

  it('binary metric posted as raw 0/1 values: gbstats proportion variance p(1 − p), relative analysis', async () => {
    // prop/test from test/support/gbstats-vectors.ts: r = test(prop(250, 37), prop(260, 58), True), a = test(..., False);
    // [a.est, a.lo, a.hi, r.est, r.lo, r.hi, r.p, r.df, st.norm.cdf(r.est / √r.var)]
    const test = await startAbTest(testApp, { minSamplesPerVariant: 10 });
    await recordObservations(testApp, test.id, {
      observations: [...observationsOf('control', binaryValues(250, 37)), ...observationsOf('challenger', binaryValues(260, 58))],
    });
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(body.variants.map((variant: { count: number; mean: number }) => [variant.count, variant.mean])).toEqual([
      [250, 37 / 250],
      [260, 58 / 260],
    ]);
    expectComparison(
      body.comparisons[0],
      [
        0.0750769230769231, 0.007845475230177326, 0.14230837092366888, 0.5072765072765074, -0.0578881808992302, 1.072441195452245,
        0.0784306162543162, 500.9230060646856, 0.9610894911673682,
      ],
    );
    expectClose(body.comparisons[0].adjustedPValue, 0.0784306162543162);
    expectClose(body.srm.pValue, 0.6579050194284821);
    // The relative CI contains 0, and so the p-value of the same analysis is above α: not significant.
    expect(body.comparisons[0].significant).toBe(false);
    expect(body.recommendation).toBe('continue');
  });

  it('keeps full precision when the mean dwarfs the spread (mean 10⁶, sd ≈ 1)', async () => {
    // rng = np.random.default_rng(99); C = np.round(rng.normal(1e6, 1, 30), 4); T = np.round(rng.normal(1e6 + 0.8, 1.5, 32), 4)
    // Σx² − (Σx)²/n would give C.var ≈ 0.69019 here instead of 0.69008 (cancellation); Σ(x − x̄)² does not.
    const control = [
      1000000.0825, 999999.5356, 1000000.0505, 1000000.6862, 999998.2432, 1000001.6844, 999999.5422, 999999.4036, 999998.953, 1000000.9318,
      1000000.675, 1000001.2444, 1000000.8931, 1000000.263, 1000000.3285, 1000000.9352, 999999.1224, 999999.9541, 1000000.3819, 999999.5475,
      1000000.7217, 999999.6478, 1000000.6728, 1000000.1406, 1000000.4626, 999998.4823, 999999.1397, 1000001.3446, 1000000.1781,
      999999.9187,
    ];
    const treatment = [
      1000002.2456, 1000001.9263, 1000000.7299, 999999.8354, 1000003.7414, 1000001.8361, 999998.4419, 1000002.0592, 1000001.9527,
      1000002.0209, 1000000.1942, 1000003.007, 999999.678, 1000002.6167, 1000001.2389, 1000003.346, 1000000.2171, 1000001.8446,
      1000002.0672, 1000000.3144, 1000000.8169, 1000000.1781, 1000001.5174, 1000001.8328, 1000000.3625, 1000001.3189, 999999.9272,
      1000000.0184, 999997.9161, 999999.0389, 999999.7891, 1000000.9623,
    ];
    const test = await startAbTest(testApp, { metricType: 'continuous', analysis: 'absolute', minSamplesPerVariant: 10 });
    for (const [from, to] of [
      [0, 11],
      [11, 23],
      [23, 32],
    ]) {
      await recordObservations(testApp, test.id, {
        observations: [...observationsOf('control', control.slice(from, to)), ...observationsOf('challenger', treatment.slice(from, to))],
      });
    }
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    // [T.mean() - C.mean(), ci.low, ci.high, r.pvalue, r.df, C.std(ddof=1), T.std(ddof=1)] with
    // r = st.ttest_ind(T, C, equal_var=False); ci = r.confidence_interval(0.95)
    const comparison = body.comparisons[0];
    const expected = [
      0.9254364583175629, 0.35153999579523365, 1.4993329208398922, 0.002116687192833331, 51.573233384312985, 0.8307108614846065,
      1.3712453634444999,
    ];
    const actual = [
      comparison.absoluteEffect,
      comparison.absoluteCiLow,
      comparison.absoluteCiHigh,
      comparison.pValue,
      comparison.degreesOfFreedom,
      body.variants[0].stdDev,
      body.variants[1].stdDev,
    ];
    // The means themselves are sums of 30 numbers near 10⁶: Δ is good to ~1e-10·10⁶/Δ, hence a looser bound here.
    actual.forEach((value, index) => expect(Math.abs(value - expected[index])).toBeLessThanOrEqual(1e-8 * Math.abs(expected[index])));
  });

  it('gives the same numbers for the same data posted as aggregates', async () => {
    const sums = (values: number[]) => ({
      count: values.length,
      sum: values.reduce((total, value) => total + value, 0),
      sumSquares: values.reduce((total, value) => total + value * value, 0),
    });
    const raw = await startAbTest(testApp, { metricType: 'continuous' });
    const aggregated = await startAbTest(testApp, { metricType: 'continuous' });
    await recordObservations(testApp, raw.id, {
      observations: [...observationsOf('control', CONTROL), ...observationsOf('challenger', TREATMENT_1)],
    });
    await recordObservations(testApp, aggregated.id, {
      aggregates: [
        { variant: 'control', ...sums(CONTROL) },
        { variant: 'challenger', ...sums(TREATMENT_1) },
      ],
    });
    const fromRaw = (await testApp.http().get(`/api/v1/ab-test/${raw.id}/results`).expect(200)).body;
    const fromAggregates = (await testApp.http().get(`/api/v1/ab-test/${aggregated.id}/results`).expect(200)).body;
    expectComparison(
      fromAggregates.comparisons[0],
      FIELDS.map((field) => fromRaw.comparisons[0][field]),
    );
  });
});
