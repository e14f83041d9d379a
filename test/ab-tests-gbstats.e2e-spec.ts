import { recordObservations, startAbTest } from 'test/support/ab-test-factories';
import { GROWTHBOOK_V2_RUNS } from 'test/support/growthbook-vectors';
import { BAYESIAN_VECTORS, FREQUENTIST_VECTORS, expectRoundsTo, expectWithinRelative } from 'test/support/gbstats-vectors';
import { createTestApp, type TestApp } from 'test/support/test-app';

/*
 * GrowthBook's SDK assignment cases (test/support/growthbook-vectors.ts) and gbstats' published test expectations
 * (test/support/gbstats-vectors.ts) through the real API: start a test with the case's settings, post the case's
 * sufficient statistics as aggregates, read the results.
 */
describe('A/B tests: GrowthBook and gbstats parity through the API (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const names = ['a', 'b', 'c'];

  it.each(GROWTHBOOK_V2_RUNS)('assign: %s', async (_name, seed, unitId, weights, coverage, expected, bucket) => {
    const test = await startAbTest(testApp, {
      hashSeed: seed,
      coverage,
      variants: weights.map((weight, index) => ({ name: names[index], weight })),
    });
    const { body } = await testApp.http().post(`/api/v1/ab-test/${test.id}/assign`).send({ unitId }).expect(200);
    if (bucket !== null) expect(body.hash).toBe(bucket);
    expect(body.inTest).toBe(expected >= 0);
    expect(body.variant).toBe(names[Math.max(expected, 0)]);
  });

  it('reports units outside the coverage as not in the test, and serves them the control', async () => {
    // coverage 0.5 on 50/50: [0, 0.25) and [0.5, 0.75); hash('seed', 'b', 2) == 0.2696 (cases.json) is outside
    const test = await startAbTest(testApp, { hashSeed: 'seed', coverage: 0.5 });
    expect(test.coverage).toBe(0.5);
    const outside = await testApp.http().post(`/api/v1/ab-test/${test.id}/assign`).send({ unitId: 'b' }).expect(200);
    expect(outside.body).toEqual({ variant: 'control', modelVersion: 'v1', hash: 0.2696, inTest: false });
    // hash('seed', 'a', 2) == 0.0505: inside the control's range
    const inside = await testApp.http().post(`/api/v1/ab-test/${test.id}/assign`).send({ unitId: 'a' }).expect(200);
    expect(inside.body).toEqual({ variant: 'control', modelVersion: 'v1', hash: 0.0505, inTest: true });
  });

  it('accepts fractional weights such as 0.4 and documents weights as > 0', async () => {
    const test = await startAbTest(testApp, {
      variants: [
        { name: 'control', weight: 0.4 },
        { name: 'challenger', weight: 0.6 },
      ],
    });
    expect(test.variants.map((variant) => variant.weight)).toEqual([0.4, 0.6]);
    const spec = (await testApp.http().get('/docs-json').expect(200)).body;
    expect(spec.components.schemas.AbTestVariantSpecDto.properties.weight).toMatchObject({ minimum: 0, exclusiveMinimum: true });
  });

  it.each(FREQUENTIST_VECTORS)('frequentist: $name', async (vector) => {
    const test = await startAbTest(testApp, {
      metricType: vector.metricType,
      analysis: vector.analysis,
      sequential: vector.sequential,
      sequentialTuningParameter: vector.sequentialTuningParameter,
      minSamplesPerVariant: 0,
    });
    await recordObservations(testApp, test.id, {
      aggregates: [
        { variant: 'control', ...vector.control },
        { variant: 'challenger', ...vector.treatment },
      ],
    });
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(body).toMatchObject({ analysis: vector.analysis, engine: 'frequentist' });
    const comparison = body.comparisons[0];
    const expected = vector.analysis === 'relative' ? comparison.relativeEffect : comparison.absoluteEffect;
    const figures = vector.sequential
      ? [expected, comparison.sequentialCiLow, comparison.sequentialCiHigh, comparison.standardError, comparison.sequentialPValue]
      : [expected, comparison.ciLow, comparison.ciHigh, comparison.standardError, comparison.pValue];
    figures.forEach((figure, index) => {
      expectRoundsTo(figure, vector.published[index]);
      expectWithinRelative(figure, vector.exact[index]);
    });
  });

  it.each(BAYESIAN_VECTORS)('bayesian: $name', async (vector) => {
    const test = await startAbTest(testApp, {
      metricType: vector.metricType,
      analysis: vector.analysis,
      engine: 'bayesian',
      ...(vector.prior ? { prior: vector.prior } : {}),
      minSamplesPerVariant: 0,
    });
    expect(test.prior).toEqual(vector.prior);
    await recordObservations(testApp, test.id, {
      aggregates: [
        { variant: 'control', ...vector.control },
        { variant: 'challenger', ...vector.treatment },
      ],
    });
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    expect(body.engine).toBe('bayesian');
    const posterior = body.comparisons[0].bayesian;
    const figures = ['expected', 'stdDev', 'chanceToWin', 'ciLow', 'ciHigh', 'riskControl', 'riskTreatment'].map((key) => posterior[key]);
    figures.forEach((figure, index) => {
      expectRoundsTo(figure, vector.published[index]);
      expectWithinRelative(figure, vector.exact[index]);
    });
    // GrowthBook's decision rule: no variant reaches a 95 % chance to win (or lose) in these cases.
    expect(body.recommendation).toBe('continue');
  });

  it("flags 100 vs 5 on a 1:1 split as a sample-ratio mismatch (GrowthBook's rule)", async () => {
    const test = await startAbTest(testApp, { minSamplesPerVariant: 0 });
    await recordObservations(testApp, test.id, {
      aggregates: [
        { variant: 'control', count: 100, sum: 10 },
        { variant: 'challenger', count: 5, sum: 1 },
      ],
    });
    const { body } = await testApp.http().get(`/api/v1/ab-test/${test.id}/results`).expect(200);
    // st.chisquare([100, 5], [52.5, 52.5]).pvalue == 1.843211445074672e-20
    expectWithinRelative(body.srm.pValue, 1.843211445074672e-20);
    expect(body.srm.detected).toBe(true);
    expect(body.recommendation).toBe('srm_detected');
  });
});
