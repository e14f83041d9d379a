import {
  accuracy,
  auc,
  binaryLogLossTerm,
  brierTerm,
  confusionCounts,
  f1,
  labelCoverage,
  labelDelay,
  mae,
  mape,
  meanLoss,
  multiclassAccuracy,
  multiclassCounts,
  multiclassF1,
  multiclassMacroAuc,
  multiclassMacroPrecisionRecall,
  multiclassLogLossTerm,
  positiveRate,
  precision,
  quantileLinear,
  r2,
  recall,
  regressionSums,
  rmse,
} from 'src/predictions/realized.stats';
import { Lcg } from 'test/support/prediction-vectors';

function expectRel(actual: number | null, expected: number, rel = 1e-12): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

/*
 * Expected values: python3, numpy 2.4.6, scipy 1.17.1 (scikit-learn is not installed; its definitions in numpy):
 *   from scipy.stats import rankdata
 *   eps = np.finfo(np.float64).eps
 *   def binary(n, seed):
 *       g = Lcg(seed); s = []; y = []
 *       for _ in range(n):
 *           u = g.next(); v = g.next()
 *           s.append(np.floor(u * 100) / 100); y.append(1 if v < u else 0)
 *       return np.array(s), np.array(y)
 *   s, y = binary(2000, 7); pred = (s >= 0.5).astype(int)
 *   tp, fp, fn = ((pred==1)&(y==1)).sum(), ((pred==1)&(y==0)).sum(), ((pred==0)&(y==1)).sum()
 *   accuracy = np.mean(pred == y); precision = tp/(tp+fp); recall = tp/(tp+fn); f1 = 2*tp/(2*tp+fp+fn)
 *   r = rankdata(s); npos = y.sum(); nneg = len(y) - npos
 *   auc = (r[y==1].sum() - npos*(npos+1)/2) / (npos*nneg)          # Mann–Whitney U, midranks for ties
 *   p = np.clip(s, eps, 1-eps); log_loss = -np.mean(y*np.log(p) + (1-y)*np.log(1-p))
 *   brier = np.mean((y - s)**2)
 */
function binary(n: number, seed: number): { scores: number[]; labels: number[] } {
  const generator = new Lcg(seed);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = generator.next();
    const v = generator.next();
    scores.push(Math.floor(u * 100) / 100);
    labels.push(v < u ? 1 : 0);
  }
  return { scores, labels };
}

describe('binary realized metrics (scikit-learn definitions)', () => {
  const { scores, labels } = binary(2000, 7);
  const predicted = scores.map((s) => (s >= 0.5 ? 1 : 0));
  const counts = confusionCounts(labels, predicted);

  it('confusion counts and the metrics made of them', () => {
    expect(counts).toEqual({ truePositives: 763, falsePositives: 239, trueNegatives: 738, falseNegatives: 260 });
    expectRel(accuracy(counts), 0.7505);
    expectRel(precision(counts), 0.7614770459081837);
    expectRel(recall(counts), 0.7458455522971652);
    expectRel(f1(counts), 0.7535802469135803);
    expectRel(positiveRate(counts), 0.501);
  });

  it('AUC-ROC exactly, with ties (scores on a 0.01 grid) counted one half', () => {
    expectRel(auc(scores, labels), 0.8362543785662615);
  });

  it('log loss (eps = 2⁻⁵² clipping, exercised by the hand case below) and Brier', () => {
    const logLoss = labels.reduce((sum, label, i) => sum + binaryLogLossTerm(label, scores[i]), 0);
    const brier = labels.reduce((sum, label, i) => sum + brierTerm(label, scores[i]), 0);
    expectRel(meanLoss(logLoss, labels.length), 0.49537883639029534);
    expectRel(meanLoss(brier, labels.length), 0.1653742);
  });

  it('hand cases: perfect and reversed ranking, all ties, a missing class, zero divisions', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
    expect(auc([0.5, 0.5, 0.5], [1, 0, 0])).toBe(0.5);
    expect(auc([0.3, 0.6], [1, 1])).toBeNull();
    const noPositivePredictions = confusionCounts([1, 0], [0, 0]);
    expect(precision(noPositivePredictions)).toBeNull();
    expect(recall(noPositivePredictions)).toBe(0);
    expect(f1(confusionCounts([0, 0], [0, 0]))).toBeNull();
    expect(accuracy(confusionCounts([], []))).toBeNull();
    expect(binaryLogLossTerm(1, 0)).toBeCloseTo(-Math.log(2.220446049250313e-16), 12);
  });
});

/*
 *   g = Lcg(11); yt = []; P = []
 *   for _ in range(1500):
 *       u = [g.next(), g.next(), g.next()]; t = u[0] + u[1] + u[2]
 *       pr = [u[0]/t, u[1]/t, u[2]/t]; w = g.next()
 *       yt.append(0 if w < pr[0] else (1 if w < pr[0] + pr[1] else 2)); P.append(pr)
 *   yt, P = np.array(yt), np.array(P); yp = np.argmax(P, axis=1)
 *   accuracy = np.mean(yt == yp)
 *   per class c: f1_c = 2tp/(2tp+fp+fn), support_c = (yt == c).sum()
 *   macro = np.mean(f1s); weighted = np.average(f1s, weights=support)
 *   precision_c = tp / max((yp == c).sum(), 1); recall_c = tp / max((yt == c).sum(), 1)   # sklearn zero_division → 0
 *   macro_precision = np.mean(precisions); macro_recall = np.mean(recalls)
 *   mw(s, y): Mann-Whitney AUC, ties 1/2 (as cbpe.stats.spec.ts); macro_auc = np.mean([mw(P[:, c], yt == c) for c in range(3)])
 *     (= roc_auc_score(yt, P, multi_class='ovr', average='macro'))
 *   log_loss = -np.mean(np.log(np.clip(P[np.arange(len(yt)), yt], eps, 1-eps)))
 */
describe('multiclass realized metrics', () => {
  const classes = ['a', 'b', 'c'];
  const generator = new Lcg(11);
  const labels: string[] = [];
  const predicted: string[] = [];
  const probabilities: Record<string, number>[] = [];
  for (let i = 0; i < 1500; i++) {
    const u = [generator.next(), generator.next(), generator.next()];
    const t = u[0] + u[1] + u[2];
    const p = [u[0] / t, u[1] / t, u[2] / t];
    const w = generator.next();
    labels.push(classes[w < p[0] ? 0 : w < p[0] + p[1] ? 1 : 2]);
    predicted.push(classes[p.indexOf(Math.max(...p))]);
    probabilities.push({ a: p[0], b: p[1], c: p[2] });
  }

  it('accuracy, macro and weighted F1, log loss', () => {
    const counts = multiclassCounts(labels, predicted);
    expectRel(multiclassAccuracy(counts), 0.5333333333333333);
    const { macro, weighted } = multiclassF1(counts);
    expectRel(macro, 0.532936841436264);
    expectRel(weighted, 0.5334210223647873);
    const macroPR = multiclassMacroPrecisionRecall(counts);
    expectRel(macroPR.precision, 0.533078409600257);
    expectRel(macroPR.recall, 0.5329979978317575);
    const observations = labels.map((label, i) => ({ probabilities: probabilities[i], label, count: 1 }));
    expectRel(multiclassMacroAuc(observations), 0.7405004380701632);
    // every observation counted twice: the same AUC (counts weigh like repeated rows)
    expectRel(multiclassMacroAuc(observations.map((o) => ({ ...o, count: 2 }))), 0.7405004380701632);
    expect(multiclassMacroAuc(observations.filter((o) => o.label === 'a'))).toBeNull();
    const logLoss = labels.reduce((sum, label, i) => sum + multiclassLogLossTerm(label, probabilities[i]), 0);
    expectRel(meanLoss(logLoss, labels.length), 0.9177595390494673);
  });

  it('a class only ever predicted (never true) counts in the macro mean with F1 0, weight 0', () => {
    // f1_score(['a','a','b'], ['a','c','b'], average='macro') = (2/3 + 1 + 0)/3; weighted = (2/3·2 + 1)/3
    const { macro, weighted } = multiclassF1(multiclassCounts(['a', 'a', 'b'], ['a', 'c', 'b']));
    expectRel(macro, (2 / 3 + 1 + 0) / 3);
    expectRel(weighted, ((2 / 3) * 2 + 1) / 3);
    // precision_score(..., average='macro') = (1 + 1 + 0)/3 ('c' predicted once, wrongly); recall = (1/2 + 1 + 0)/3 ('c' never true: 0)
    const macroPR = multiclassMacroPrecisionRecall(multiclassCounts(['a', 'a', 'b'], ['a', 'c', 'b']));
    expectRel(macroPR.precision, 2 / 3);
    expectRel(macroPR.recall, 1.5 / 3);
  });
});

/*
 *   g = Lcg(5); Y = []; Yh = []
 *   for _ in range(1000):
 *       u = g.next(); v = g.next(); Y.append(1 + 10*u); Yh.append(1 + 10*u + (v - 0.5)*2)
 *   mae = np.mean(np.abs(Y-Yh)); rmse = np.sqrt(np.mean((Y-Yh)**2))
 *   mape = np.mean(np.abs(Y-Yh) / np.maximum(np.abs(Y), eps))
 *   r2 = 1 - np.sum((Y-Yh)**2) / np.sum((Y-Y.mean())**2)
 *   d = np.array([g.next()*86400*3 for _ in range(501)])          # continues the same generator
 *   np.quantile(d, 0.5), np.quantile(d, 0.95)                      # method='linear' (type 7)
 */
describe('regression realized metrics and label delay', () => {
  const generator = new Lcg(5);
  const labels: number[] = [];
  const predictions: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const u = generator.next();
    const v = generator.next();
    labels.push(1 + 10 * u);
    predictions.push(1 + 10 * u + (v - 0.5) * 2);
  }
  const delays = Array.from({ length: 501 }, () => generator.next() * 86400 * 3);

  it('MAE, RMSE, MAPE (a fraction), R²', () => {
    const sums = regressionSums(labels, predictions);
    expectRel(mae(sums), 0.4965422090822831);
    expectRel(rmse(sums), 0.577963877827244);
    expectRel(mape(sums), 0.11660672144076104);
    expectRel(r2(sums), 0.9605288816367415, 1e-10);
  });

  it('hand cases: MAPE divides by eps at y = 0, R² of constant labels, empty input', () => {
    // mean_absolute_percentage_error([0, 2], [1, 2]) = (1/eps + 0)/2
    expectRel(mape(regressionSums([0, 2], [1, 2])), 1 / 2.220446049250313e-16 / 2);
    expect(r2(regressionSums([3, 3], [3, 3]))).toBe(1);
    expect(r2(regressionSums([3, 3], [2, 3]))).toBe(0);
    expect(mae(regressionSums([], []))).toBeNull();
  });

  it('label delay p50/p95 by linear interpolation (numpy default, PostgreSQL percentile_cont)', () => {
    const { p50, p95 } = labelDelay(delays);
    expectRel(p50, 131130.44221177697);
    expectRel(p95, 246751.23897716403);
    expect(quantileLinear([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileLinear([], 0.5)).toBeNull();
  });

  it('label coverage', () => {
    expect(labelCoverage(3, 4)).toBe(0.75);
    expect(labelCoverage(0, 0)).toBeNull();
  });
});
