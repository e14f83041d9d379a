import { BACKFILL_MULTICLASS_ROLLUPS } from 'src/database/migrations/1796420000000-create-multiclass-rollups';
import { REALIZED_MULTICLASS_METRICS } from 'src/predictions/realized-buckets.policy';
import { multiclassAccuracy, multiclassCounts, multiclassF1 } from 'src/predictions/realized.stats';
import { createModel } from 'test/support/factories';
import { Lcg } from 'test/support/prediction-vectors';
import { dayPoint, expectRollupSameAsRawOverRanges, logWithLabelFates, rebuildRollups } from 'test/support/rollup-checks';
import { createTestApp, type TestApp } from 'test/support/test-app';

// realized.macro_auc needs every class's probability per prediction: it stays on the raw rows.
const METRICS = REALIZED_MULTICLASS_METRICS.filter((metric) => !metric.startsWith('labels.delay') && metric !== 'realized.macro_auc');
const START = Date.parse('2026-04-01T10:00:00Z');
const CLASSES = ['cat', 'dog', 'bird'];

/**
 * The hourly rollup of multiclass predictions (model_multiclass_rollups) against the raw read of the same predictions,
 * as test/predictions-realized-rollups.e2e-spec.ts does for binary ones: labels arrive before and after their
 * predictions, race them, or are overwritten (so some confusion cells go back to 0); a segment filter every
 * prediction matches sends the read to the raw tables. The metric functions are checked against numpy in
 * src/predictions/realized.stats.spec.ts.
 */
describe('realized multiclass metrics from hourly rollups (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
    testApp.clock.set('2026-04-03T00:00:00.000Z');
  });
  afterAll(() => testApp.close());

  const post = (path: string, body: object, query: object = {}) => testApp.http().post(path).query(query).send(body).expect(201);
  async function seed() {
    const model = await createModel(testApp, { taskType: 'multiclass_classification' });
    const generator = new Lcg(47);
    const items = Array.from({ length: 900 }, (_, i) => {
      const weights = CLASSES.map(() => 0.05 + generator.next());
      const total = weights.reduce((sum, w) => sum + w, 0);
      const probabilities = Object.fromEntries(CLASSES.map((c, k) => [c, weights[k] / total]));
      // the true class follows the probabilities (a calibrated model), so the metrics are neither 0 nor 1
      const u = generator.next() * total;
      let cumulative = 0;
      const label = CLASSES.find((_, k) => u < (cumulative += weights[k])) ?? CLASSES[CLASSES.length - 1];
      return {
        predictionId: `m${i}`,
        probabilities,
        predicted: CLASSES.reduce((best, c) => (probabilities[c] > probabilities[best] ? c : best)),
        predictedAt: new Date(START + Math.floor(generator.next() * 6 * 3_600_000)).toISOString(),
        label,
        fate: generator.next(),
      };
    });
    const prediction = (item: (typeof items)[number]) => ({
      modelId: model.id,
      predictionId: item.predictionId,
      probabilities: item.probabilities,
      predictedAt: item.predictedAt,
      segment: { fleet: 'all' },
    });
    const label = (item: (typeof items)[number], wrong = false) => ({
      modelId: model.id,
      predictionId: item.predictionId,
      label: wrong ? CLASSES[(CLASSES.indexOf(item.label) + 1) % CLASSES.length] : item.label,
    });
    return { model, labelled: await logWithLabelFates(post, items, prediction, label) };
  }

  it('equals the raw read for hourly, 6-hour and unaligned ranges, after late, racing and overwritten labels', async () => {
    const { model, labelled } = await seed();
    await expectRollupSameAsRawOverRanges(testApp, METRICS, model.id, 9);
    // the whole day from the rollup, against the metric functions over the labels as they ended up
    const counts = multiclassCounts(
      labelled.map((item) => item.label),
      labelled.map((item) => item.predicted),
    );
    for (const [metric, expected] of [
      ['realized.accuracy', multiclassAccuracy(counts)],
      ['realized.macro_f1', multiclassF1(counts).macro],
      ['realized.weighted_f1', multiclassF1(counts).weighted],
    ] as const) {
      const point = await dayPoint(testApp, model.id, metric);
      expect([point.count, point.value]).toEqual([labelled.length, expect.closeTo(expected!, 12)]);
    }
    const coverage = await dayPoint(testApp, model.id, 'labels.coverage');
    expect([coverage.value, coverage.count]).toEqual([labelled.length / 900, 900]);
  });

  it('the migration backfill rebuilds the same rollups from the logged predictions and labels', async () => {
    const { model } = await seed();
    type Row = { sums: number[]; counts: Record<string, Record<string, number>> };
    const rollup = { table: 'model_multiclass_rollups', columns: 'sums, counts', backfill: BACKFILL_MULTICLASS_ROLLUPS };
    const { live, rebuilt } = await rebuildRollups<Row>(testApp, rollup, model.id, METRICS, 12);
    expect([live.length, rebuilt.length]).toEqual([6, 6]);
    // the live rows may hold cells at 0 (labels overwritten away); the backfill writes only cells with predictions
    const nonZero = (counts: Row['counts']) =>
      Object.fromEntries(
        Object.entries(counts)
          .map(([label, row]) => [label, Object.fromEntries(Object.entries(row).filter(([, n]) => n !== 0))] as const)
          .filter(([, row]) => Object.keys(row).length > 0),
      );
    rebuilt.forEach((row, i) => {
      expect(row.counts).toEqual(nonZero(live[i].counts));
      row.sums.forEach((value, j) => expect(value).toBeCloseTo(live[i].sums[j], 9));
    });
  });
});
