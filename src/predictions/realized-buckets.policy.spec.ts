import { binaryBucketValues, type BinaryGroupRow, binaryStatsFromGroups, mergeBucketStats } from 'src/predictions/realized-buckets.policy';
import { binnedAuc } from 'src/predictions/realized-rollup.policy';
import { accuracy, auc, confusionCounts } from 'src/predictions/realized.stats';
import { Lcg } from 'test/support/prediction-vectors';

/** The grouped rows of a bucket assemble to the same values as the metric functions on the ungrouped predictions. */
describe('realized metrics per bucket from grouped rows', () => {
  const generator = new Lcg(8);
  const predictions = Array.from({ length: 600 }, (_, i) => {
    const score = Math.floor(generator.next() * 20) / 20;
    const labelled = generator.next() < 0.7;
    return { bucket: i % 2, score, predicted: score >= 0.5 ? '1' : '0', label: labelled ? (generator.next() < score ? '1' : '0') : null };
  });
  const groups = new Map<string, BinaryGroupRow>();
  for (const p of predictions) {
    const key = `${p.bucket}|${p.score}|${p.predicted}|${p.label}`;
    const row = groups.get(key) ?? { bucket: p.bucket, score: p.score, predictedClass: p.predicted, labelClass: p.label, count: 0 };
    row.count++;
    groups.set(key, row);
  }
  const rows = [...groups.values()].sort((a, b) => a.bucket - b.bucket || a.score - b.score);

  it('AUC, accuracy and coverage per bucket equal the functions on the raw predictions', () => {
    // Scores on a 1/20 grid fall in distinct bins of the 1/1000 histogram, so its AUC is the exact one.
    for (const bucket of [0, 1]) {
      const labelled = predictions.filter((p) => p.bucket === bucket && p.label !== null);
      const scores = labelled.map((p) => p.score);
      const labels = labelled.map((p) => Number(p.label));
      const predicted = labelled.map((p) => Number(p.predicted));
      const at = (metric: Parameters<typeof binaryBucketValues>[0]) =>
        binaryBucketValues(metric, binaryStatsFromGroups(rows), []).find((v) => v.bucket === bucket);
      // on these rows the histogram AUC equals the exact one (as before); the point also states its bound
      const exact = auc(scores, labels)!;
      expect(at('realized.auc')).toEqual({ bucket, value: exact, count: labelled.length, errorBound: expect.any(Number) });
      expect(at('realized.auc')!.errorBound).toBe(
        binnedAuc(binaryStatsFromGroups(rows).find((b) => b.bucket === bucket)!.stats).errorBound,
      );
      expect(at('realized.accuracy')!.value).toBe(accuracy(confusionCounts(labels, predicted)));
      expect(at('labels.coverage')).toEqual({ bucket, value: labelled.length / 300, count: 300 });
    }
  });

  it('merging the statistics of two halves of a bucket gives the statistics of the whole', () => {
    const whole = binaryStatsFromGroups(rows.filter((row) => row.bucket === 0));
    const halves = [0, 1].map((half) => binaryStatsFromGroups(rows.filter((row, i) => row.bucket === 0 && i % 2 === half)));
    const merged = mergeBucketStats(...halves);
    for (const metric of ['realized.auc', 'realized.f1', 'realized.log_loss', 'realized.brier', 'labels.coverage'] as const) {
      const [expected] = binaryBucketValues(metric, whole, []);
      const [actual] = binaryBucketValues(metric, merged, []);
      expect(actual.count).toBe(expected.count);
      expect(actual.value).toBeCloseTo(expected.value, 12);
    }
  });
});
