import {
  applyMove,
  binnedAuc,
  emptyBinaryBinStats,
  HISTOGRAM_LENGTH,
  type LabelState,
  type PredictionMove,
  rollupDeltas,
  scoreBin,
  SCORE_BINS,
  totalsOf,
  confusionOf,
} from 'src/predictions/realized-rollup.policy';
import { auc } from 'src/predictions/realized.stats';
import { Lcg } from 'test/support/prediction-vectors';

/** 5,000 continuous scores, 40 % positives shifted up by 0.35 (the generator of the python below). */
function generated(seed: number, n: number) {
  const generator = new Lcg(seed);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = generator.next() < 0.4 ? 1 : 0;
    scores.push(Math.min(Math.max(0.5 * generator.next() + 0.35 * y + 0.1 * generator.next(), 0), 1));
    labels.push(y);
  }
  return { scores, labels };
}

function statsOf(scores: number[], labels: number[]) {
  const stats = emptyBinaryBinStats();
  scores.forEach((score, i) =>
    applyMove(stats, { predictedClass: score >= 0.5 ? '1' : '0', score, to: labels[i] === 1 ? '1' : '0', count: 1 }),
  );
  return stats;
}

describe('realized binary statistics in score bins', () => {
  it('bins scores monotonically, 1 alone in the last bin', () => {
    expect([0, 0.0009999, 0.001, 0.5, 0.9999, 1].map(scoreBin)).toEqual([0, 0, 1, 500, 999, SCORE_BINS]);
    expect(HISTOGRAM_LENGTH).toBe(2002);
  });

  it('the histogram AUC is within its stated bound of the exact AUC (and equals numpy on the same bins)', () => {
    const { scores, labels } = generated(41, 5000);
    const { auc: binned, errorBound } = binnedAuc(statsOf(scores, labels));
    /* python3 (numpy), the Lcg of test/support/prediction-vectors.ts, same generator:
         def mw(s, y): pos, neg = s[y == 1], s[y == 0]
             return ((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (len(pos) * len(neg))
         b = np.minimum(np.floor(s * 1000), 1000); exact = mw(s, y); binned = mw(b, y)
         pos = np.bincount(b[y == 1].astype(int), minlength=1001); neg = np.bincount(b[y == 0].astype(int), minlength=1001)
         bound = 0.5 * (pos * neg).sum() / (pos.sum() * neg.sum())
       → exact 0.9498733065865705, binned 0.9498938363941615, bound 0.000317409412012793 */
    expect(auc(scores, labels)).toBeCloseTo(0.9498733065865705, 12);
    expect(binned).toBeCloseTo(0.9498938363941615, 12);
    expect(errorBound).toBeCloseTo(0.000317409412012793, 14);
    expect(Math.abs(binned! - auc(scores, labels)!)).toBeLessThanOrEqual(errorBound!);
  });

  it('holds the bound on many generated samples, including heavy ties and a tiny bucket', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { scores, labels } = generated(seed, seed * 37);
      const tied = seed % 4 === 0 ? scores.map((s) => Math.round(s * 300) / 300) : scores;
      const exact = auc(tied, labels);
      const { auc: binned, errorBound } = binnedAuc(statsOf(tied, labels));
      if (exact === null) expect(binned).toBeNull();
      else expect(Math.abs(binned! - exact)).toBeLessThanOrEqual(errorBound! + 1e-15);
    }
  });

  it('late and overwritten labels move predictions so the statistics equal those built from the final labels', () => {
    const { scores, labels } = generated(7, 800);
    const generator = new Lcg(99);
    // Predictions logged unlabelled, then labels arrive (some wrong first, then overwritten), in a shuffled order.
    const live = emptyBinaryBinStats();
    const predicted = (score: number) => (score >= 0.5 ? '1' : '0');
    const state: LabelState[] = scores.map(() => null);
    scores.forEach((score) => applyMove(live, { predictedClass: predicted(score), score, to: null, count: 1 }));
    const order = scores.map((_, i) => i).sort(() => generator.next() - 0.5);
    for (const i of order) {
      const wrong: LabelState = labels[i] === 1 ? '0' : '1';
      const first: LabelState = generator.next() < 0.3 ? wrong : labels[i] === 1 ? '1' : '0';
      const moves: PredictionMove[] = [{ predictedClass: predicted(scores[i]), score: scores[i], from: state[i], to: first, count: 1 }];
      if (first === wrong)
        moves.push({ predictedClass: predicted(scores[i]), score: scores[i], from: first, to: labels[i] === 1 ? '1' : '0', count: 1 });
      for (const move of moves) applyMove(live, move);
      state[i] = labels[i] === 1 ? '1' : '0';
    }
    const rebuilt = statsOf(scores, labels);
    expect(confusionOf(live)).toEqual(confusionOf(rebuilt));
    expect(Array.from(live.histogram)).toEqual(Array.from(rebuilt.histogram));
    const [a, b] = [totalsOf(live), totalsOf(rebuilt)];
    expect([a.labelled, a.total]).toEqual([b.labelled, b.total]);
    expect(a.logLoss).toBeCloseTo(b.logLoss, 9);
    expect(a.brier).toBeCloseTo(b.brier, 9);
  });

  it('groups moves into one delta per model, environment and hour; count-only moves leave the histogram alone', () => {
    const at = Date.parse('2026-04-01T10:59:59.999Z');
    const deltas = rollupDeltas([
      { modelId: 'm', environment: 'production', predictedAt: at, predictedClass: '1', score: 0, to: null, count: 5 },
      { modelId: 'm', environment: 'production', predictedAt: at + 1, predictedClass: '1', score: 0.7, from: null, to: '1', count: 1 },
      { modelId: 'm', environment: 'production', predictedAt: at - 1, predictedClass: '0', score: 0.2, from: null, to: '0', count: 1 },
    ]);
    expect(deltas.map((delta) => [new Date(delta.bucketStart).toISOString(), delta.histogram !== null])).toEqual([
      ['2026-04-01T10:00:00.000Z', true],
      ['2026-04-01T11:00:00.000Z', true],
    ]);
    const countOnly = rollupDeltas([
      { modelId: 'm', environment: 'e', predictedAt: at, predictedClass: '1', score: 0, to: null, count: 5 },
    ]);
    expect(countOnly[0].histogram).toBeNull();
    expect(countOnly[0].cells[9]).toBe(5);
  });
});
