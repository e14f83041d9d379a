import { AlertRuleEvaluator } from 'src/alerts/alert-rule-evaluator.service';
import { MULTICLASS_CBPE_METRICS, type MulticlassCbpeMetric } from 'src/predictions/cbpe-multiclass.stats';
import { createModel, expectProblem } from 'test/support/factories';
import { Lcg, multiclassDraws } from 'test/support/prediction-vectors';
import { estimationCalls } from 'test/support/estimation-calls';
import { createTestApp, type TestApp } from 'test/support/test-app';

/**
 * Multiclass CBPE end to end: a labelled reference fitted, estimates of accuracy and macro precision/recall/F1/AUC
 * before labels land, estimate − realized for each of them after. Data: multiclassDraws (test/support/prediction-vectors.ts) with classes a, b, c. Expected values
 * from python3 + numpy 2.4, NannyML's multiclass CBPE re-implemented as in src/predictions/cbpe-multiclass.stats.spec.ts
 * (generate, fit_iso, components, estimate_roc_auc there; the estimate as that spec's loop, band ± 3 SE clipped):
 *   g = Lcg(41); RR, ry, rp = generate(g, 2000, 0.0); cal = [fit_iso(RR[:, k], ry == k) for k in range(3)]
 *   comp = components(RR, ry, rp); g = Lcg(42); hours = [generate(g, 300, 0.2 * h) for h in range(6)]
 *   EXPECTED_ESTIMATES[m][h] = [v, max(0, v − 3 se), min(1, v + 3 se)] of hours[h]
 *   realized: accuracy = mean(y == yp); macro_f1 = mean over k of 2TPₖ / (2TPₖ + FPₖ + FNₖ)   (sklearn average='macro')
 *   macro_precision = mean over k of TPₖ / max((yp == k).sum(), 1); macro_recall = mean over k of TPₖ / max((y == k).sum(), 1)
 *   macro_auc = mean over k of mw(R[:, k], y == k)   (one-vs-rest, = roc_auc_score(multi_class='ovr'); mw as in estimate_roc_auc, ties ½)
 *   errors[m] = estimate − realized for hours 0–3 (fully labelled); bias = mean(errors), mae = mean(|errors|)
 */
const EXPECTED_ESTIMATES: Record<MulticlassCbpeMetric, [number, number, number][]> = {
  accuracy: [
    [0.4621231599094396, 0.3757580627926066, 0.5484882570262726],
    [0.49450007151736664, 0.4081349744005336, 0.5808651686341997],
    [0.5387173101352393, 0.4523522130184062, 0.6250824072520723],
    [0.5696844801716733, 0.48331938305484023, 0.6560495772885063],
    [0.5830571165551265, 0.49669201943829344, 0.6694222136719595],
    [0.6150820611995899, 0.5287169640827568, 0.7014471583164229],
  ],
  macro_precision: [
    [0.46155184073280847, 0.37512945777350637, 0.5479742236921106],
    [0.4971324035997407, 0.4107100206404386, 0.5835547865590428],
    [0.5393915536442937, 0.4529691706849916, 0.6258139366035957],
    [0.5702545446415193, 0.48383216168221715, 0.6566769276008213],
    [0.5823578154990369, 0.49593543253973477, 0.6687801984583389],
    [0.61574405355443, 0.5293216705951279, 0.702166436513732],
  ],
  macro_recall: [
    [0.4615435251321136, 0.375184048495171, 0.5479030017690562],
    [0.49527973045033474, 0.40892025381339214, 0.5816392070872773],
    [0.5386607054981245, 0.4523012288611819, 0.625020182135067],
    [0.5694314573818197, 0.48307198074487706, 0.6557909340187622],
    [0.5822018723819103, 0.49584239574496775, 0.6685613490188529],
    [0.6147464684231244, 0.5283869917861819, 0.701105945060067],
  ],
  macro_f1: [
    [0.46132450572254435, 0.3972239937923717, 0.525425017652717],
    [0.4942999541813315, 0.4301994422511588, 0.5584004661115042],
    [0.5385625423526755, 0.4744620304225029, 0.6026630542828482],
    [0.569138534228134, 0.5050380222979614, 0.6332390461583066],
    [0.5820862201267976, 0.5179857081966249, 0.6461867320569702],
    [0.6147466620132219, 0.5506461500830493, 0.6788471739433946],
  ],
  macro_auc: [
    [0.651190164175158, 0.5951271975869877, 0.7072531307633282],
    [0.6900394253871442, 0.633976458798974, 0.7461023919753145],
    [0.7385939705633412, 0.682531003975171, 0.7946569371515114],
    [0.7671888830041574, 0.7111259164159872, 0.8232518495923277],
    [0.7878608704074536, 0.7317979038192833, 0.8439238369956238],
    [0.8150749865938849, 0.7590120200057147, 0.8711379531820551],
  ],
};
const COMPARED = MULTICLASS_CBPE_METRICS;
const EXPECTED_QUALITY: Record<(typeof COMPARED)[number], { errors: number[]; bias: number; mae: number; within: number }> = {
  accuracy: {
    errors: [0.012123159909439574, 0.05783340485069999, 0.05871731013523929, 0.026351146838339945],
    bias: 0.0387562554334297,
    mae: 0.0387562554334297,
    within: 1.0,
  },
  macro_precision: {
    errors: [0.011186472132966419, 0.05923336153788644, 0.058643209992724266, 0.027696892649905047],
    bias: 0.03918998407837054,
    mae: 0.03918998407837054,
    within: 1.0,
  },
  macro_recall: {
    errors: [0.012224635788169458, 0.058995813558036014, 0.05588558588089959, 0.027648099905560275],
    bias: 0.038688533783166335,
    mae: 0.038688533783166335,
    within: 1.0,
  },
  macro_auc: {
    errors: [0.0195984287307871, 0.05653557623552363, 0.05083538340809168, 0.03893017324669368],
    bias: 0.04147489040527402,
    mae: 0.04147489040527402,
    within: 0.75,
  },
  macro_f1: {
    errors: [0.011740746372780997, 0.05846455920720395, 0.05864786051833498, 0.027542331157265787],
    bias: 0.03909887431389643,
    mae: 0.03909887431389643,
    within: 1.0,
  },
};

const CLASSES = ['a', 'b', 'c'];
const REFERENCE_DAY = Date.parse('2026-04-01T00:00:00Z');
const ANALYSIS_DAY = Date.parse('2026-04-02T00:00:00Z');
const HOUR = 3_600_000;

describe('multiclass CBPE in trends and estimation quality (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const post = (path: string, body: object) => testApp.http().post(path).send(body);
  const iso = (ms: number) => new Date(ms).toISOString();
  type Draws = ReturnType<typeof multiclassDraws>;

  async function logPredictions(modelId: string, prefix: string, start: number, spanMs: number, draws: Draws) {
    const predictions = draws.probabilities.map((row, i) => ({
      modelId,
      predictionId: `${prefix}-${i}`,
      probabilities: Object.fromEntries(CLASSES.map((name, k) => [name, row[k]])),
      predictedLabel: CLASSES[draws.predicted[i]],
      predictedAt: iso(start + Math.floor((i * spanMs) / draws.probabilities.length)),
    }));
    await post('/api/v1/predictions', { predictions }).expect(201);
  }

  const labels = (modelId: string, prefix: string, draws: Draws, count = draws.labels.length) =>
    post('/api/v1/labels', {
      labels: draws.labels.slice(0, count).map((label, i) => ({ modelId, predictionId: `${prefix}-${i}`, label: CLASSES[label] })),
    }).expect(201);

  /** A multiclass model with a labelled reference day (2,000 predictions over 10 h) and six unlabelled analysis hours of 300. */
  async function seed() {
    testApp.clock.set('2026-04-03T00:00:00.000Z');
    const model = await createModel(testApp, { taskType: 'multiclass_classification' });
    const reference = multiclassDraws(new Lcg(41), 2000, 0, 3);
    await logPredictions(model.id, 'ref', REFERENCE_DAY, 10 * HOUR, reference);
    await labels(model.id, 'ref', reference);
    const generator = new Lcg(42);
    const hours = Array.from({ length: 6 }, (_, h) => multiclassDraws(generator, 300, 0.2 * h, 3));
    for (const [h, draws] of hours.entries()) await logPredictions(model.id, `h${h}`, ANALYSIS_DAY + h * HOUR, HOUR, draws);
    return { model, reference, hours };
  }

  const { trend, quality, putReference } = estimationCalls(() => testApp, ANALYSIS_DAY);
  const referenceWindow = { from: iso(REFERENCE_DAY), to: iso(REFERENCE_DAY + 24 * HOUR) };

  it('estimates every bucket before labels land, then reports estimate − realized for each estimated metric', async () => {
    const { model, hours } = await seed();
    const fitted = await putReference(model.id, referenceWindow).expect(200);
    expect(fitted.body).toMatchObject({ modelId: model.id, labelled: 2000, classes: CLASSES, stale: false });
    expect(fitted.body.calibratorPoints).toBeGreaterThan(3);
    // accuracy has one component; each macro metric one per class
    expect(fitted.body.samplingError.map((row: { metric: string; class?: string }) => [row.metric, row.class ?? null])).toEqual([
      ['accuracy', null],
      ...MULTICLASS_CBPE_METRICS.slice(1).flatMap((metric) => CLASSES.map((name) => [metric, name])),
    ]);
    expect((await testApp.http().get(`/api/v1/models/${model.id}/estimation-reference`).expect(200)).body).toEqual(fitted.body);

    for (const metric of MULTICLASS_CBPE_METRICS) {
      const response = await trend(model.id, `estimated.${metric}`).expect(200);
      expect(response.body.points.map((point: { bucketStart: string }) => point.bucketStart)).toEqual(
        hours.map((_, h) => iso(ANALYSIS_DAY + h * HOUR)),
      );
      response.body.points.forEach((point: { value: number; lower: number; upper: number; count: number }, h: number) => {
        const [value, lower, upper] = EXPECTED_ESTIMATES[metric][h];
        expect(point.count).toBe(300);
        expect(Math.abs(point.value - value)).toBeLessThan(1e-9);
        expect(Math.abs(point.lower - lower)).toBeLessThan(1e-9);
        expect(Math.abs(point.upper - upper)).toBeLessThan(1e-9);
      });
    }
    for (const metric of COMPARED) expect((await trend(model.id, `estimation_error.${metric}`).expect(200)).body.points).toEqual([]);
    const before = await quality(model.id).expect(200);
    expect(before.body.metrics).toEqual(
      COMPARED.map((metric) => ({ metric, bucketsCompared: 0, bias: null, meanAbsoluteError: null, withinBandShare: null })),
    );

    // Labels land: hours 0–3 completely, hour 4 half (coverage 0.5 < 0.9: not compared), hour 5 not at all.
    for (const h of [0, 1, 2, 3]) await labels(model.id, `h${h}`, hours[h]);
    await labels(model.id, 'h4', hours[4], 150);

    for (const metric of COMPARED) {
      const errors = await trend(model.id, `estimation_error.${metric}`).expect(200);
      expect(errors.body.points.map((point: { bucketStart: string; count: number }) => [point.bucketStart, point.count])).toEqual(
        [0, 1, 2, 3].map((h) => [iso(ANALYSIS_DAY + h * HOUR), 300]),
      );
      errors.body.points.forEach((point: { value: number }, h: number) =>
        expect(Math.abs(point.value - EXPECTED_QUALITY[metric].errors[h])).toBeLessThan(1e-9),
      );
    }
    const after = await quality(model.id).expect(200);
    expect(after.body).toMatchObject({ modelId: model.id, bucket: '1h', minCoverage: 0.9 });
    expect(after.body.metrics).toEqual(
      COMPARED.map((metric) => ({
        metric,
        bucketsCompared: 4,
        bias: expect.closeTo(EXPECTED_QUALITY[metric].bias, 9),
        meanAbsoluteError: expect.closeTo(EXPECTED_QUALITY[metric].mae, 9),
        withinBandShare: EXPECTED_QUALITY[metric].within,
      })),
    );
  });

  it('an alert rule on estimated.macro_f1 fires on the estimate the trend serves', async () => {
    const { model } = await seed();
    await putReference(model.id, referenceWindow).expect(200);
    const created = (
      await post('/api/v1/alert-rules', {
        modelId: model.id,
        metricName: 'estimated.macro_f1',
        aggregation: 'last',
        windowMinutes: 60,
        bucket: '1h',
        comparator: 'lt',
        threshold: 0.5,
        severity: 'warning',
      }).expect(201)
    ).body as { id: string };
    // ANALYSIS_DAY + 2 h: the window holds hour 1, estimated macro F1 0.494… < 0.5
    testApp.clock.set(iso(ANALYSIS_DAY + 2 * HOUR));
    await testApp.get(AlertRuleEvaluator).evaluateAll();
    const alerts = (await testApp.http().get('/api/v1/alerts').query({ type: 'metric_threshold', limit: 500 }).expect(200)).body
      .items as Array<{
      ruleId: string;
      status: string;
      value: number;
    }>;
    const firing = alerts.find((alert) => alert.ruleId === created.id);
    expect(firing).toMatchObject({ status: 'firing' });
    expect(Math.abs(firing!.value - EXPECTED_ESTIMATES.macro_f1[1][0])).toBeLessThan(1e-9);
  });

  it('refuses a reference without labels of every class, binary-only names, and regression models; writes nothing', async () => {
    testApp.clock.set('2026-04-03T00:00:00.000Z');
    const model = await createModel(testApp, { taskType: 'multiclass_classification' });
    const draws = multiclassDraws(new Lcg(5), 300, 0, 3);
    await logPredictions(model.id, 'few', REFERENCE_DAY, HOUR, draws);
    // only the predictions whose label is not 'c' are labelled
    await post('/api/v1/labels', {
      labels: draws.labels.flatMap((label, i) =>
        label === 2 ? [] : [{ modelId: model.id, predictionId: `few-${i}`, label: CLASSES[label] }],
      ),
    }).expect(201);
    const refused = await putReference(model.id, referenceWindow);
    expect(expectProblem(refused, 400, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'from', message: expect.stringContaining("0 labelled 'c'") },
    ]);
    expectProblem(await testApp.http().get(`/api/v1/models/${model.id}/estimation-reference`), 404, 'ESTIMATION_REFERENCE_NOT_FOUND');
    expectProblem(await quality(model.id), 404, 'ESTIMATION_REFERENCE_NOT_FOUND');

    const metricNameError = async (modelId: string, metricName: string) => {
      const response = await trend(modelId, metricName);
      return expectProblem(response, 400, 'VALIDATION_FAILED').errors!.map((error: { field: string }) => error.field);
    };
    expect(await metricNameError(model.id, 'estimated.macro_f1')).toEqual(['metricName']); // no reference yet
    const regression = await createModel(testApp, { taskType: 'regression' });
    const regressionRefused = await putReference(regression.id, referenceWindow);
    expect(expectProblem(regressionRefused, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'modelId', message: expect.any(String) }]);
    expect(await metricNameError(regression.id, 'estimated.accuracy')).toEqual(['metricName']);
    expectProblem(await quality(regression.id), 400);
  });

  it('a fitted multiclass model serves only its own estimated names', async () => {
    const { model } = await seed();
    await putReference(model.id, referenceWindow).expect(200);
    for (const name of ['estimated.precision', 'estimated.auc', 'estimation_error.auc'])
      expectProblem(await trend(model.id, name), 400, 'VALIDATION_FAILED');
  });
});
