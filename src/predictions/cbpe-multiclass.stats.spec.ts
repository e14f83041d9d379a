import {
  calibrateProbabilities,
  estimateMulticlassCbpe,
  fitMulticlassCbpeReference,
  MULTICLASS_CBPE_METRICS,
  type MulticlassCbpeMetric,
} from 'src/predictions/cbpe-multiclass.stats';
import { auc, confusionCounts, f1, precision, recall } from 'src/predictions/realized.stats';
import { Lcg, multiclassDraws } from 'test/support/prediction-vectors';

const CLASSES = 3;
const generate = (generator: Lcg, n: number, shift: number) => multiclassDraws(generator, n, shift, CLASSES);

const groupsOf = (chunk: ReturnType<typeof generate>) =>
  chunk.probabilities.map((probabilities, i) => ({ probabilities, predicted: chunk.predicted[i], count: 1 }));

/*
 * Reference: python3, numpy 2.4.6; NannyML's multiclass CBPE re-implemented in numpy (Lcg as in
 * test/support/prediction-vectors.ts; pav / fit_iso as in isotonic.stats.spec.ts; generate(g, n, shift) as above):
 *   def auc_component(y, s):     # nannyml/sampling_error/multiclass_classification.py, auroc _get_class_components
 *       if y.mean() > 0.5: y = 1 - y; s = 1 - s
 *       y = y[np.argsort(s)]; ix = np.unique(y * np.arange(len(y)))[1:]
 *       return np.var(np.array([v - i for i, v in enumerate(ix)]) / (len(y) - y.sum())), y.sum() / len(y)
 *   def components(R, y, yp):    # the same file: per class k, one-vs-rest
 *       c = {'accuracy': np.std((y == yp).astype(int))}; for k: t = y == k; p = yp == k
 *       precision (np.var(t[p]), p.mean()); recall (np.var(p[t]), t.mean());
 *       f1 (np.var((t & p)[t | p]), (t | p).mean()); auc auc_component(t, R[:, k])
 *   def estimate_roc_auc(cal, s):  # confidence_based/metrics.py, without its 5-decimal rounding
 *       cal = cal[np.argsort(s)[::-1]]; tps = np.r_[0, np.cumsum(cal)]; fps = np.r_[0, 1 + np.arange(len(cal)) - tps[1:]]
 *       return np.trapezoid(tps / tps[-1], fps / fps[-1])
 *   g = Lcg(31); RR, ry, rp = generate(g, 5000, 0.0); cal = [fit_iso(RR[:, k], ry == k) for k in range(3)]
 *   g = Lcg(32); for j in range(4): R, y, yp = generate(g, 1000, 0.3 * j)
 *       C = [np.interp(R[:, k], *cal[k])]; C /= C.sum(axis=1)  (cbpe.py _calibrate_predicted_probabilities)
 *       accuracy = mean(C[i, yp[i]]), se = comp['accuracy'] / √n
 *       per k: TP = C[yp == k, k].sum(); FP = (1 − C[yp == k, k]).sum(); FN = C[yp != k, k].sum()
 *       macro_* = np.mean over k of TP/(TP+FP), TP/(TP+FN), TP/(TP+½(FP+FN)), estimate_roc_auc(C[:, k], R[:, k])
 *       se = √(Σ var/(n·fraction)) / 3 (× 1.2 for AUC)
 */
const expected: Array<Record<MulticlassCbpeMetric, [number, number]>> = [
  {
    accuracy: [0.4656822007778917, 0.015766617899854108],
    macro_precision: [0.46585409514901427, 0.015762636053182167],
    macro_recall: [0.4656258839968044, 0.015759872919978504],
    macro_f1: [0.46555346495676164, 0.01168742565183447],
    macro_auc: [0.6530123359289414, 0.010261972597981296],
  },
  {
    accuracy: [0.5090861249727209, 0.015766617899854108],
    macro_precision: [0.5095204399215106, 0.015762636053182167],
    macro_recall: [0.5091222109176671, 0.015759872919978504],
    macro_f1: [0.509090201867345, 0.01168742565183447],
    macro_auc: [0.7032572936720127, 0.010261972597981296],
  },
  {
    accuracy: [0.5507325143708632, 0.015766617899854108],
    macro_precision: [0.5508533231900028, 0.015762636053182167],
    macro_recall: [0.5507199328584104, 0.015759872919978504],
    macro_f1: [0.5506941399537447, 0.01168742565183447],
    macro_auc: [0.7500331154330432, 0.010261972597981296],
  },
  {
    accuracy: [0.5954038847375845, 0.015766617899854108],
    macro_precision: [0.5952680486453339, 0.015762636053182167],
    macro_recall: [0.5951155611819062, 0.015759872919978504],
    macro_f1: [0.5951747595988808, 0.01168742565183447],
    macro_auc: [0.7936763080484109, 0.010261972597981296],
  },
];

describe('CBPE for multiclass classification (NannyML)', () => {
  const reference = generate(new Lcg(31), 5000, 0);
  const fitted = fitMulticlassCbpeReference(reference.probabilities, reference.predicted, reference.labels, CLASSES);

  it('equals the numpy re-implementation of NannyML on four shifted chunks to 1e-6', () => {
    const generator = new Lcg(32);
    expected.forEach((chunkExpected, j) => {
      const estimate = estimateMulticlassCbpe(fitted, groupsOf(generate(generator, 1000, 0.3 * j)));
      for (const metric of MULTICLASS_CBPE_METRICS) {
        const [value, standardError] = chunkExpected[metric];
        expect(Math.abs((estimate[metric].value as number) - value)).toBeLessThan(1e-6);
        expect(Math.abs((estimate[metric].standardError as number) - standardError)).toBeLessThan(1e-6);
        expect(estimate[metric].lower).toBeCloseTo(value - 3 * standardError, 6);
        expect(estimate[metric].upper).toBeCloseTo(value + 3 * standardError, 6);
      }
    });
  });

  it('grouped predictions weigh their count: one group of 3 equals three equal predictions', () => {
    const row = [0.5, 0.3, 0.2];
    const grouped = estimateMulticlassCbpe(fitted, [
      { probabilities: row, predicted: 0, count: 3 },
      { probabilities: [0.1, 0.2, 0.7], predicted: 2, count: 1 },
      { probabilities: [0.2, 0.6, 0.2], predicted: 1, count: 2 },
    ]);
    const single = estimateMulticlassCbpe(fitted, [
      ...Array.from({ length: 3 }, () => ({ probabilities: row, predicted: 0, count: 1 })),
      { probabilities: [0.1, 0.2, 0.7], predicted: 2, count: 1 },
      { probabilities: [0.2, 0.6, 0.2], predicted: 1, count: 1 },
      { probabilities: [0.2, 0.6, 0.2], predicted: 1, count: 1 },
    ]);
    for (const metric of MULTICLASS_CBPE_METRICS) {
      expect(grouped[metric].value).not.toBeNull();
      expect(grouped[metric].value).toBeCloseTo(single[metric].value as number, 12);
      expect(grouped[metric].standardError).toBeCloseTo(single[metric].standardError as number, 12);
    }
  });

  it('calibrated probabilities sum to 1, and are uniform when every calibrator says 0', () => {
    const calibrated = calibrateProbabilities(fitted, [0.6, 0.3, 0.1]);
    expect(calibrated.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const zero = { x: Float64Array.of(0, 1), y: Float64Array.of(0, 0) };
    expect(Array.from(calibrateProbabilities({ ...fitted, calibrators: [zero, zero, zero] }, [0.6, 0.3, 0.1]))).toEqual([
      1 / 3,
      1 / 3,
      1 / 3,
    ]);
  });

  it('an empty chunk has no estimate; a class never predicted leaves the macro precision undefined', () => {
    const empty = estimateMulticlassCbpe(fitted, []);
    for (const metric of MULTICLASS_CBPE_METRICS)
      expect(empty[metric]).toEqual({ value: null, standardError: null, lower: null, upper: null });
    const onlyClass0 = estimateMulticlassCbpe(fitted, [{ probabilities: [0.8, 0.1, 0.1], predicted: 0, count: 5 }]);
    expect(onlyClass0.macro_precision.value).toBeNull();
    expect(onlyClass0.accuracy.value).not.toBeNull();
  });

  it('on a known model the realized value lies inside the ±3 SE band in ≥ 90 % of 200 chunks', () => {
    const generator = new Lcg(77);
    const perClass = (chunk: ReturnType<typeof generate>, k: number) =>
      confusionCounts(
        chunk.labels.map((label) => (label === k ? 1 : 0)),
        chunk.predicted.map((label) => (label === k ? 1 : 0)),
      );
    const mean = (values: Array<number | null>) => values.reduce<number>((a, b) => a + (b as number), 0) / values.length;
    const classes = Array.from({ length: CLASSES }, (_, k) => k);
    const realize: Record<MulticlassCbpeMetric, (chunk: ReturnType<typeof generate>) => number> = {
      accuracy: (chunk) => chunk.labels.filter((label, i) => label === chunk.predicted[i]).length / chunk.labels.length,
      macro_precision: (chunk) => mean(classes.map((k) => precision(perClass(chunk, k)))),
      macro_recall: (chunk) => mean(classes.map((k) => recall(perClass(chunk, k)))),
      macro_f1: (chunk) => mean(classes.map((k) => f1(perClass(chunk, k)))),
      macro_auc: (chunk) =>
        mean(
          classes.map((k) =>
            auc(
              chunk.probabilities.map((row) => row[k]),
              chunk.labels.map((label) => (label === k ? 1 : 0)),
            ),
          ),
        ),
    };
    const inside = Object.fromEntries(MULTICLASS_CBPE_METRICS.map((metric) => [metric, 0])) as Record<MulticlassCbpeMetric, number>;
    const chunks = 200;
    for (let j = 0; j < chunks; j++) {
      const chunk = generate(generator, 500, 0);
      const estimate = estimateMulticlassCbpe(fitted, groupsOf(chunk));
      for (const metric of MULTICLASS_CBPE_METRICS) {
        const realized = realize[metric](chunk);
        if (realized >= (estimate[metric].lower as number) && realized <= (estimate[metric].upper as number)) inside[metric]++;
      }
    }
    for (const metric of MULTICLASS_CBPE_METRICS) expect(inside[metric] / chunks).toBeGreaterThanOrEqual(0.9);
  });
});
