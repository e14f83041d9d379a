import { CBPE_METRICS, CbpeMetric, estimateCbpe, expectedConfusion, fitCbpeReference } from 'src/predictions/cbpe.stats';
import { accuracy, auc, confusionCounts, f1, precision, recall } from 'src/predictions/realized.stats';
import { Lcg } from 'test/support/prediction-vectors';

/**
 * A model whose true P(label = 1) is q and which reports the miscalibrated score q² (so CBPE must calibrate), with
 * `shift` bending q towards q² to move the analysis chunks away from the reference. Predicted label: score ≥ 0.5.
 */
function generate(generator: Lcg, n: number, shift: number) {
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = generator.next();
    const v = generator.next();
    const q = u * (1 - shift) + shift * u * u;
    scores.push(q * q);
    labels.push(v < q ? 1 : 0);
  }
  return { scores, labels, predictedLabels: scores.map((s) => (s >= 0.5 ? 1 : 0)) };
}

/*
 * Reference: python3, numpy 2.4.6; NannyML's algorithm re-implemented in numpy (fit_iso / pav as in
 * isotonic.stats.spec.ts; generate(g, n, a) as above):
 *   def components(s, y, yp):            # nannyml/sampling_error/binary_classification.py
 *       c = {'accuracy': (np.std((y == yp).astype(int)), 1.0),
 *            'precision': (np.std(y[yp == 1]), np.mean(yp)), 'recall': (np.std(yp[y == 1]), np.mean(y))}
 *       tp = (y == 1) & (yp == 1); rel = (y == 1) | (yp == 1)
 *       cf = rel.sum() / (tp.sum() + 0.5 * (rel.sum() - tp.sum()))
 *       c['f1'] = (np.std(tp[rel].astype(float) * cf), rel.mean())
 *       yy, ss = (y, s) if y.mean() <= 0.5 else (1 - y, 1 - s)
 *       yy = yy[np.argsort(ss)]; pr = yy * np.arange(len(yy)); idx = np.unique(pr)[1:]
 *       c['auc'] = (np.std(np.array([v - i for i, v in enumerate(idx)]) / (len(yy) - yy.sum())), yy.mean())
 *       return c
 *   def estimate_roc_auc(cal, s):         # nannyml ... confidence_based/metrics.py
 *       idx = np.argsort(s)[::-1]; cal = cal[idx]
 *       tps = np.cumsum(cal); fps = 1 + np.arange(len(cal)) - tps
 *       tps = np.round(np.r_[0, tps], 5); fps = np.round(np.r_[0, fps], 5)
 *       return np.trapezoid(tps / tps[-1], fps / fps[-1])
 *   g = Lcg(21); rs, ry, rp = generate(g, 5000, 0.0); ux, fy = fit_iso(rs, ry); comp = components(rs, ry, rp)
 *   g = Lcg(22)
 *   for k in range(5):
 *       s, y, yp = generate(g, 1000, 0.2*k); p = np.interp(s, ux, fy)
 *       TP = p[yp==1].sum(); FP = (1-p[yp==1]).sum(); FN = p[yp==0].sum(); TN = (1-p[yp==0]).sum()
 *       accuracy = (TP+TN)/len(p); precision = TP/(TP+FP); recall = TP/(TP+FN); f1 = TP/(TP+0.5*(FP+FN))
 *       auc = estimate_roc_auc(p, s); se[m] = comp[m][0] / np.sqrt(len(p) * comp[m][1])
 */
const expected: Array<Record<CbpeMetric, [number, number]>> = [
  {
    accuracy: [0.7175050230615803, 0.014378317008607092],
    precision: [0.8719495963963836, 0.020311342747833996],
    recall: [0.4881272722385761, 0.022298218712321478],
    f1: [0.625879886400347, 0.029213489946954958],
    auc: [0.8420214391280214, 0.008657921787893097],
  },
  {
    accuracy: [0.723906628499172, 0.014378317008607092],
    precision: [0.8606165110459304, 0.020311342747833996],
    recall: [0.46797562498617584, 0.022298218712321478],
    f1: [0.6062771842575603, 0.029213489946954958],
    auc: [0.8370177050335146, 0.008657921787893097],
  },
  {
    accuracy: [0.7310524685675964, 0.014378317008607092],
    precision: [0.855992220106007, 0.020311342747833996],
    recall: [0.4549951748868104, 0.022298218712321478],
    f1: [0.5941663991224195, 0.029213489946954958],
    auc: [0.8406285531513384, 0.008657921787893097],
  },
  {
    accuracy: [0.7380115570174772, 0.014378317008607092],
    precision: [0.8541812100370666, 0.020311342747833996],
    recall: [0.4134837855214647, 0.022298218712321478],
    f1: [0.5572293649897884, 0.029213489946954958],
    auc: [0.8423552458668477, 0.008657921787893097],
  },
  {
    accuracy: [0.7619055547508553, 0.014378317008607092],
    precision: [0.848416394527848, 0.020311342747833996],
    recall: [0.4579521576943623, 0.022298218712321478],
    f1: [0.5948307892690463, 0.029213489946954958],
    auc: [0.8615600188577047, 0.008657921787893097],
  },
];

describe('CBPE for binary classification (NannyML)', () => {
  const reference = generate(new Lcg(21), 5000, 0);
  const fitted = fitCbpeReference(reference.scores, reference.predictedLabels, reference.labels);

  it('equals the numpy re-implementation of NannyML on five shifted chunks to 1e-6', () => {
    const generator = new Lcg(22);
    expected.forEach((chunkExpected, k) => {
      const chunk = generate(generator, 1000, 0.2 * k);
      const estimate = estimateCbpe(fitted, chunk);
      for (const metric of CBPE_METRICS) {
        const [value, standardError] = chunkExpected[metric];
        expect(Math.abs((estimate[metric].value as number) - value)).toBeLessThan(1e-6);
        expect(Math.abs((estimate[metric].standardError as number) - standardError)).toBeLessThan(1e-6);
        expect(estimate[metric].lower).toBeCloseTo(value - 3 * standardError, 5);
        expect(estimate[metric].upper).toBeCloseTo(value + 3 * standardError, 5);
      }
    });
  });

  it('the expected confusion matrix puts p on TP/FN and 1 − p on FP/TN', () => {
    expect(expectedConfusion([0.9, 0.2, 0.6], [1, 1, 0])).toEqual({
      truePositives: 0.9 + 0.2,
      falsePositives: 0.1 + 0.8,
      falseNegatives: 0.6,
      trueNegatives: 1 - 0.6,
    });
  });

  it('an empty chunk or a chunk without positive predictions has no estimate where the metric is undefined', () => {
    const empty = estimateCbpe(fitted, { scores: [], predictedLabels: [] });
    for (const metric of CBPE_METRICS) expect(empty[metric]).toEqual({ value: null, standardError: null, lower: null, upper: null });
    const noPositives = estimateCbpe(fitted, { scores: [0.1, 0.2], predictedLabels: [0, 0] });
    expect(noPositives.precision.value).toBeNull();
    expect(noPositives.accuracy.value).not.toBeNull();
  });

  it('on a known calibrated model the realized value lies inside the ±3 SE band in ≥ 90 % of 200 chunks', () => {
    const generator = new Lcg(99);
    const realize: Record<CbpeMetric, (c: ReturnType<typeof generate>) => number | null> = {
      accuracy: (c) => accuracy(confusionCounts(c.labels, c.predictedLabels)),
      precision: (c) => precision(confusionCounts(c.labels, c.predictedLabels)),
      recall: (c) => recall(confusionCounts(c.labels, c.predictedLabels)),
      f1: (c) => f1(confusionCounts(c.labels, c.predictedLabels)),
      auc: (c) => auc(c.scores, c.labels),
    };
    const inside = Object.fromEntries(CBPE_METRICS.map((m) => [m, 0])) as Record<CbpeMetric, number>;
    const chunks = 200;
    for (let k = 0; k < chunks; k++) {
      const chunk = generate(generator, 500, 0);
      const estimate = estimateCbpe(fitted, chunk);
      for (const metric of CBPE_METRICS) {
        const realized = realize[metric](chunk) as number;
        if (realized >= (estimate[metric].lower as number) && realized <= (estimate[metric].upper as number)) inside[metric]++;
      }
    }
    for (const metric of CBPE_METRICS) expect(inside[metric] / chunks).toBeGreaterThanOrEqual(0.9);
  });
});
