import { AlertRuleEvaluator } from 'src/alerts/alert-rule-evaluator.service';
import type { CbpeMetric } from 'src/predictions/cbpe.stats';
import { binaryStatsFromGroups } from 'src/predictions/realized-buckets.policy';
import { binnedAuc } from 'src/predictions/realized-rollup.policy';
import { createModel, expectProblem } from 'test/support/factories';
import { Lcg } from 'test/support/prediction-vectors';
import { estimationCalls, RAW_READ, SEGMENT } from 'test/support/estimation-calls';
import { createTestApp, type TestApp } from 'test/support/test-app';

/**
 * CBPE end to end: predictions logged, a labelled reference fitted, estimates before the labels land, realized values
 * and estimate-vs-realized errors after. Data: the model of src/predictions/cbpe.stats.spec.ts (true P(1) = q, score
 * q², `shift` bending q towards q²), predicted 1 when score ≥ 0.5 (the default threshold). Expected values from
 * python3 + numpy 2.4 (Lcg as in test/support/prediction-vectors.ts; pav, fit_iso, components as in cbpe.stats.spec.ts):
 *   def generate(g, n, shift):
 *       s, y = [], []
 *       for _ in range(n):
 *           u = g.next(); v = g.next(); q = u * (1 - shift) + shift * u * u; s.append(q * q); y.append(1 if v < q else 0)
 *       s = np.array(s); y = np.array(y); return s, y, (s >= 0.5).astype(int)
 *   def mw_auc(s, pos):   # Mann-Whitney AUC, fractional positives pos and negatives 1 - pos, ties 1/2 (= NannyML's trapezoids)
 *       o = np.argsort(s); s = s[o]; pos = pos[o]; us, inv = np.unique(s, return_inverse=True)
 *       P = np.bincount(inv, weights=pos); N = np.bincount(inv, weights=1 - pos); below = np.r_[0, np.cumsum(N)[:-1]]
 *       return np.sum(P * (below + 0.5 * N)) / (P.sum() * N.sum())
 *   def estimate(s, yp):
 *       p = np.interp(s, ux, fy); TP = p[yp==1].sum(); FP = (1-p[yp==1]).sum(); FN = p[yp==0].sum(); TN = (1-p[yp==0]).sum()
 *       v = {'accuracy': (TP+TN)/len(p), 'precision': TP/(TP+FP), 'recall': TP/(TP+FN), 'f1': TP/(TP+0.5*(FP+FN)), 'auc': mw_auc(s, p)}
 *       return {m: [v[m], max(0, v[m] - 3*se), min(1, v[m] + 3*se)] for m in v for se in [comp[m][0] / np.sqrt(len(p) * comp[m][1])]}
 *   def realized(s, y, yp):
 *       TP = ((y==1)&(yp==1)).sum(); FP = ((y==0)&(yp==1)).sum(); FN = ((y==1)&(yp==0)).sum(); TN = ((y==0)&(yp==0)).sum()
 *       return {'accuracy': (TP+TN)/len(y), 'precision': TP/(TP+FP), 'recall': TP/(TP+FN), 'f1': 2*TP/(2*TP+FP+FN), 'auc': mw_auc(s, y*1.0)}
 *   g = Lcg(7); rs, ry, rp = generate(g, 2000, 0.0); ux, fy = fit_iso(rs, ry); comp = components(rs, ry, rp)
 *   g = Lcg(8); hours = [generate(g, 300, 0.15 * h) for h in range(6)]
 *   EXPECTED_ESTIMATES[m][h] = estimate(s, yp)[m] for (s, y, yp) = hours[h]
 *   errors[m] = [estimate(s, yp)[m][0] - realized(s, y, yp)[m] for (s, y, yp) in hours[:4]]   # hours 0-3 fully labelled
 *   bias = mean(errors); mae = mean(|errors|); within = share of hours 0-3 with lower <= realized <= upper
 */
const EXPECTED_ESTIMATES: Record<CbpeMetric, [number, number, number][]> = {
  accuracy: [
    [0.7237695044900043, 0.644321597028574, 0.8032174119514347],
    [0.7056488362298962, 0.6262009287684658, 0.7850967436913265],
    [0.7016877994454848, 0.6222398919840544, 0.7811357069069151],
    [0.7383066331617637, 0.6588587257003333, 0.8177545406231941],
    [0.7455458279845391, 0.6660979205231087, 0.8249937354459694],
    [0.737869373946984, 0.6584214664855537, 0.8173172814084144],
  ],
  precision: [
    [0.8619323542336781, 0.7507507989922577, 0.9731139094750985],
    [0.8730254612300917, 0.7618439059886714, 0.9842070164715121],
    [0.8634365763322444, 0.752255021090824, 0.9746181315736647],
    [0.8790851698082586, 0.7679036145668382, 0.9902667250496789],
    [0.837224207096877, 0.7260426518554566, 0.9484057623382973],
    [0.8683030069706563, 0.757121451729236, 0.9794845622120767],
  ],
  recall: [
    [0.5305451763362319, 0.4094720271091562, 0.6516183255633076],
    [0.48234229266338446, 0.3612691434363088, 0.6034154418904601],
    [0.41454817918223613, 0.2934750299551604, 0.5356213284093119],
    [0.48325561818504403, 0.36218246895796835, 0.6043287674121197],
    [0.4009535665548308, 0.27988041732775504, 0.5220267157819065],
    [0.33281478752371324, 0.21174163829663753, 0.453887936750789],
  ],
  f1: [
    [0.6568063653847972, 0.49732105953577727, 0.8162916712338171],
    [0.6213768939294491, 0.4618915880804291, 0.780862199778469],
    [0.560157011284193, 0.4006717054351731, 0.7196423171332129],
    [0.6236660473166173, 0.4641807414675974, 0.7831513531656373],
    [0.5422291354035567, 0.38274382955453673, 0.7017144412525766],
    [0.48119190656532224, 0.3217066007163023, 0.6406772124143422],
  ],
  auc: [
    [0.8549130770456503, 0.8057401612297406, 0.9040859928615601],
    [0.8409479988400609, 0.7917750830241511, 0.8901209146559707],
    [0.8389807357026475, 0.7898078198867378, 0.8881536515185573],
    [0.8699397200476429, 0.8207668042317331, 0.9191126358635526],
    [0.865361680277665, 0.8161887644617553, 0.9145345960935748],
    [0.8624050258884124, 0.8132321100725026, 0.9115779417043222],
  ],
};
const EXPECTED_QUALITY: Record<CbpeMetric, { errors: number[]; bias: number; mae: number; within: number }> = {
  accuracy: {
    errors: [0.040436171156670975, -0.011017830436770515, 0.025021132778818123, 0.01497329982843032],
    bias: 0.017353193331787226,
    mae: 0.022862108550172483,
    within: 1.0,
  },
  precision: {
    errors: [0.07932365858150414, 0.0055555817120194195, 0.030103242998910984, 0.06827435899744771],
    bias: 0.045814210572470565,
    mae: 0.045814210572470565,
    within: 1.0,
  },
  recall: {
    errors: [0.040749257968884955, -0.010808392268122358, 0.02447725719642052, 0.018139339115276598],
    bias: 0.01813936550311493,
    mae: 0.023543561637176108,
    within: 1.0,
  },
  f1: {
    errors: [0.054295905133751154, -0.00744406676924092, 0.028756045100618133, 0.032533042390508915],
    bias: 0.02703523146390932,
    mae: 0.03075726484852978,
    within: 1.0,
  },
  auc: {
    errors: [0.04645636102590911, 0.005464988699516504, 0.013386373777494742, 0.009791934563260107],
    bias: 0.018774914516545116,
    mae: 0.018774914516545116,
    within: 1.0,
  },
};

const METRICS: CbpeMetric[] = ['accuracy', 'precision', 'recall', 'f1', 'auc'];
const REFERENCE_DAY = Date.parse('2026-03-01T00:00:00Z');
const ANALYSIS_DAY = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3_600_000;

/**
 * How far a bucket's realized value may sit from the exact one of the numpy snippet: 0 but for AUC, which ModelWatch
 * computes from the 1000-bin score histogram (docs/predictions.md) within binnedAucErrorBound; the others are exact.
 */
function realizedTolerance(metric: CbpeMetric, rows: { score: number; label: number }[]): number {
  if (metric !== 'auc') return 0;
  const groups = rows.map((row) => ({
    bucket: 0,
    score: row.score,
    predictedClass: row.score >= 0.5 ? '1' : '0',
    labelClass: String(row.label),
    count: 1,
  }));
  return binnedAuc(binaryStatsFromGroups(groups)[0].stats).errorBound!;
}

function generate(generator: Lcg, n: number, shift: number) {
  const rows: { score: number; label: number }[] = [];
  for (let i = 0; i < n; i++) {
    const u = generator.next();
    const v = generator.next();
    const q = u * (1 - shift) + shift * u * u;
    rows.push({ score: q * q, label: v < q ? 1 : 0 });
  }
  return rows;
}

describe('CBPE estimation in trends and estimation quality (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const post = (path: string, body: object) => testApp.http().post(path).send(body);
  const iso = (ms: number) => new Date(ms).toISOString();

  async function logPredictions(modelId: string, prefix: string, start: number, spanMs: number, rows: { score: number }[]) {
    const predictions = rows.map((row, i) => ({
      modelId,
      predictionId: `${prefix}-${i}`,
      score: row.score,
      predictedAt: iso(start + Math.floor((i * spanMs) / rows.length)),
      segment: SEGMENT,
    }));
    await post('/api/v1/predictions', { predictions }).expect(201);
  }

  const labels = (modelId: string, prefix: string, rows: { label: number }[], count = rows.length) =>
    post('/api/v1/labels', {
      labels: rows.slice(0, count).map((row, i) => ({ modelId, predictionId: `${prefix}-${i}`, label: row.label })),
    }).expect(201);

  /** A binary model with a labelled reference day (2,000 predictions over 10 h) and six unlabelled analysis hours of 300. */
  async function seed() {
    testApp.clock.set('2026-03-03T00:00:00.000Z');
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    const reference = generate(new Lcg(7), 2000, 0);
    await logPredictions(model.id, 'ref', REFERENCE_DAY, 10 * HOUR, reference);
    await labels(model.id, 'ref', reference);
    const generator = new Lcg(8);
    const hours = Array.from({ length: 6 }, (_, h) => generate(generator, 300, 0.15 * h));
    for (const [h, rows] of hours.entries()) await logPredictions(model.id, `h${h}`, ANALYSIS_DAY + h * HOUR, HOUR, rows);
    return { model, reference, hours };
  }

  const { trend, quality, putReference } = estimationCalls(() => testApp, ANALYSIS_DAY);
  const referenceWindow = { from: iso(REFERENCE_DAY), to: iso(REFERENCE_DAY + 24 * HOUR) };

  it('estimates every bucket before labels land, then reports estimate − realized, bias, MAE and band coverage', async () => {
    const { model, reference, hours } = await seed();
    const fitted = await putReference(model.id, referenceWindow).expect(200);
    expect(fitted.body).toMatchObject({ modelId: model.id, labelled: 2000, environment: 'production', stale: false });
    expect(fitted.body.positives).toBe(reference.filter((row) => row.label === 1).length);
    expect(fitted.body.calibratorPoints).toBeGreaterThan(1);
    expect((await testApp.http().get(`/api/v1/models/${model.id}/estimation-reference`).expect(200)).body).toEqual(fitted.body);

    // Read from the raw predictions every estimate equals the numpy snippet; from the hourly rollup (the default
    // read) the same, but estimated.auc is over the 1000 score bins, within the errorBound it states.
    const estimatedBound = new Map<string, number[]>();
    for (const metric of METRICS) {
      for (const query of [RAW_READ, {}]) {
        const response = await trend(model.id, `estimated.${metric}`, query).expect(200);
        expect(response.body.points.map((point: { bucketStart: string }) => point.bucketStart)).toEqual(
          hours.map((_, h) => iso(ANALYSIS_DAY + h * HOUR)),
        );
        const points: { value: number; lower: number; upper: number; count: number; errorBound?: number }[] = response.body.points;
        const binned = query === RAW_READ ? false : metric === 'auc';
        if (binned)
          estimatedBound.set(
            metric,
            points.map((point) => point.errorBound!),
          );
        points.forEach((point, h) => {
          const [value, lower, upper] = EXPECTED_ESTIMATES[metric][h];
          expect(point.count).toBe(300);
          if (binned) expect(point.errorBound).toBeLessThan(0.01);
          else expect(point.errorBound).toBeUndefined();
          const tolerance = (point.errorBound ?? 0) + 1e-9;
          expect(Math.abs(point.value - value)).toBeLessThan(tolerance);
          expect(Math.abs(point.lower - lower)).toBeLessThan(tolerance);
          expect(Math.abs(point.upper - upper)).toBeLessThan(tolerance);
        });
      }
      expect((await trend(model.id, `realized.${metric}`).expect(200)).body.points).toEqual([]);
      expect((await trend(model.id, `estimation_error.${metric}`).expect(200)).body.points).toEqual([]);
    }
    const before = await quality(model.id).expect(200);
    expect(before.body.metrics).toEqual(
      METRICS.map((metric) => ({ metric, bucketsCompared: 0, bias: null, meanAbsoluteError: null, withinBandShare: null })),
    );

    // Labels land: hours 0–3 completely, hour 4 half (coverage 0.5 < 0.9: not compared), hour 5 not at all.
    for (const h of [0, 1, 2, 3]) await labels(model.id, `h${h}`, hours[h]);
    await labels(model.id, 'h4', hours[4], 150);

    // estimate − realized moves from the exact value by at most both sides' histogram bounds (AUC only)
    const tolerance = (metric: CbpeMetric, h: number) =>
      realizedTolerance(metric, hours[h]) + (estimatedBound.get(metric)?.[h] ?? 0) + 1e-9;
    for (const metric of METRICS) {
      const realized = await trend(model.id, `realized.${metric}`).expect(200);
      expect(realized.body.points).toHaveLength(5);
      const errors = await trend(model.id, `estimation_error.${metric}`).expect(200);
      expect(errors.body.points.map((point: { bucketStart: string; count: number }) => [point.bucketStart, point.count])).toEqual(
        [0, 1, 2, 3].map((h) => [iso(ANALYSIS_DAY + h * HOUR), 300]),
      );
      errors.body.points.forEach((point: { value: number }, h: number) =>
        expect(Math.abs(point.value - EXPECTED_QUALITY[metric].errors[h])).toBeLessThan(tolerance(metric, h)),
      );
      // The estimates do not change when labels arrive: they never read them.
      const estimated = await trend(model.id, `estimated.${metric}`).expect(200);
      expect(Math.abs(estimated.body.points[5].value - EXPECTED_ESTIMATES[metric][5][0])).toBeLessThan(
        (estimatedBound.get(metric)?.[5] ?? 0) + 1e-9,
      );
    }
    const after = await quality(model.id).expect(200);
    expect(after.body).toMatchObject({ modelId: model.id, bucket: '1h', minCoverage: 0.9 });
    for (const [i, metric] of METRICS.entries()) {
      const row = after.body.metrics[i];
      expect(row.metric).toBe(metric);
      expect(row.bucketsCompared).toBe(4);
      // bias and MAE are means over hours 0–3, so they move by at most the mean of those hours' tolerances
      const meanTolerance = [0, 1, 2, 3].reduce((sum, h) => sum + tolerance(metric, h), 0) / 4;
      expect(Math.abs(row.bias - EXPECTED_QUALITY[metric].bias)).toBeLessThan(meanTolerance);
      expect(Math.abs(row.meanAbsoluteError - EXPECTED_QUALITY[metric].mae)).toBeLessThan(meanTolerance);
      expect(row.withinBandShare).toBe(EXPECTED_QUALITY[metric].within);
    }
  });

  it('an alert rule on estimated.recall fires on the estimate the trend serves, before any label lands', async () => {
    const { model } = await seed();
    const rule = {
      modelId: model.id,
      metricName: 'estimated.recall',
      aggregation: 'last',
      windowMinutes: 60,
      bucket: '1h',
      comparator: 'lt',
      threshold: 0.45,
      severity: 'warning',
    };
    // no estimation reference yet: refused naming metricName, nothing written
    const refused = await post('/api/v1/alert-rules', rule).expect(400);
    expect(expectProblem(refused, 400, 'VALIDATION_FAILED').errors).toEqual([{ field: 'metricName', message: expect.any(String) }]);
    await putReference(model.id, referenceWindow).expect(200);
    const created = (await post('/api/v1/alert-rules', rule).expect(201)).body as { id: string };
    const ruleAlerts = async () =>
      (
        (await testApp.http().get('/api/v1/alerts').query({ type: 'metric_threshold', limit: 500 }).expect(200)).body.items as Array<{
          id: string;
          ruleId: string;
          status: string;
          value: number;
        }>
      ).filter((alert) => alert.ruleId === created.id);
    // ANALYSIS_DAY + 3 h: the window holds hour 2, estimated recall 0.4145… (EXPECTED_ESTIMATES) < 0.45
    testApp.clock.set(iso(ANALYSIS_DAY + 3 * HOUR));
    await testApp.get(AlertRuleEvaluator).evaluateAll();
    const [firing] = await ruleAlerts();
    expect(firing).toMatchObject({ status: 'firing' });
    expect(Math.abs(firing.value - EXPECTED_ESTIMATES.recall[2][0])).toBeLessThan(1e-9);
    // + 4 h: hour 3, 0.4833…: resolved
    testApp.clock.set(iso(ANALYSIS_DAY + 4 * HOUR));
    await testApp.get(AlertRuleEvaluator).evaluateAll();
    expect(await ruleAlerts()).toEqual([expect.objectContaining({ id: firing.id, status: 'resolved' })]);
  });

  it('tells when the reference labels changed after the fit, and refits on PUT', async () => {
    const { model, reference } = await seed();
    const first = await putReference(model.id, referenceWindow).expect(200);
    const changed = reference[0].label === 1 ? 0 : 1;
    testApp.clock.set('2026-03-03T01:00:00.000Z');
    await post('/api/v1/labels?overwrite=true', { labels: [{ modelId: model.id, predictionId: 'ref-0', label: changed }] }).expect(201);
    expect((await testApp.http().get(`/api/v1/models/${model.id}/estimation-reference`).expect(200)).body.stale).toBe(true);
    const refitted = await putReference(model.id, referenceWindow).expect(200);
    expect(refitted.body.stale).toBe(false);
    expect(refitted.body.positives).toBe(first.body.positives + (changed === 1 ? 1 : -1));
    expect(refitted.body.fittedAt).toBe('2026-03-03T01:00:00.000Z');
    expect((await testApp.http().get(`/api/v1/models/${model.id}/estimation-reference`).expect(200)).body.stale).toBe(false);
  });

  it('refuses bad references, names the field and writes nothing', async () => {
    testApp.clock.set('2026-03-03T00:00:00.000Z');
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    const few = generate(new Lcg(3), 50, 0);
    await logPredictions(model.id, 'few', REFERENCE_DAY, HOUR, few);
    await labels(model.id, 'few', few);
    const field = async (body: object, status = 400, modelId = model.id) => {
      const response = await putReference(modelId, body);
      expectProblem(response, status);
      return response.body.errors?.map((error: { field: string }) => error.field);
    };
    expect(await field({ from: referenceWindow.to, to: referenceWindow.from })).toEqual(['to']);
    expect(await field({ to: referenceWindow.to })).toEqual(['from']);
    expect(await field({ from: '2026-03-01', to: referenceWindow.to })).toEqual(['from']);
    expect(await field({ ...referenceWindow, unknown: 1 })).toEqual(['unknown']);
    const tooFew = await putReference(model.id, referenceWindow);
    expectProblem(tooFew, 400);
    expect(tooFew.body.errors).toEqual([
      { field: 'from', message: expect.stringContaining('at least 100, with at least 10 of each label') },
    ]);
    expectProblem(await testApp.http().get(`/api/v1/models/${model.id}/estimation-reference`), 404, 'ESTIMATION_REFERENCE_NOT_FOUND');

    const regression = await createModel(testApp, { taskType: 'regression' });
    expect(await field(referenceWindow, 400, regression.id)).toEqual(['modelId']);
    expectProblem(await putReference('00000000-0000-4000-8000-000000000000', referenceWindow), 404, 'MODEL_NOT_FOUND');
    expect(await field(referenceWindow, 400, 'not-a-uuid')).toEqual(['modelId']);

    const metricNameError = async (modelId: string, metricName: string) => {
      const response = await trend(modelId, metricName);
      expectProblem(response, 400);
      return response.body.errors.map((error: { field: string }) => error.field);
    };
    expect(await metricNameError(model.id, 'estimated.accuracy')).toEqual(['metricName']);
    expect(await metricNameError(model.id, 'estimation_error.auc')).toEqual(['metricName']);
    expect(await metricNameError(model.id, 'estimated.log_loss')).toEqual(['metricName']);
    expect(await metricNameError(regression.id, 'estimated.accuracy')).toEqual(['metricName']);
    expectProblem(await quality(model.id), 404, 'ESTIMATION_REFERENCE_NOT_FOUND');
    expectProblem(await quality(regression.id), 400);
    const pushed = await post('/api/v1/metrics/record', {
      points: [{ modelId: model.id, metricName: 'estimation_error.accuracy', value: 0.1 }],
    });
    expectProblem(pushed, 400);
  });
});
