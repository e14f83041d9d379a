import { DataSource } from 'typeorm';
import { CBPE_METRICS } from 'src/predictions/cbpe.stats';
import { EstimationPrefill } from 'src/predictions/estimation-prefill.service';
import { createModel } from 'test/support/factories';
import { Lcg } from 'test/support/prediction-vectors';
import { estimationCalls, RAW_READ, SEGMENT } from 'test/support/estimation-calls';
import { createTestApp, type TestApp } from 'test/support/test-app';

const HOUR = 3_600_000;
const REFERENCE_DAY = Date.parse('2026-05-01T00:00:00Z');
const ANALYSIS_DAY = Date.parse('2026-05-03T00:00:00Z');

interface Point {
  bucketStart: string;
  value: number;
  count: number;
  lower?: number;
  upper?: number;
  errorBound?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
let batch = 0;

/** n predictions over [start, start + span) (true P(1) = q, score q²), labelled when `labelled`. */
async function logPredictions(app: TestApp, modelId: string, generator: Lcg, n: number, start: number, span: number, labelled = false) {
  const rows = Array.from({ length: n }, (_, i) => {
    const q = generator.next();
    return {
      predictionId: `b${++batch}-${i}`,
      score: q * q,
      label: generator.next() < q ? 1 : 0,
      predictedAt: iso(start + Math.floor(generator.next() * span)),
    };
  });
  const predictions = rows.map(({ predictionId, score, predictedAt }) => ({
    modelId,
    predictionId,
    score,
    predictedAt,
    segment: SEGMENT,
  }));
  await app.http().post('/api/v1/predictions').send({ predictions }).expect(201);
  if (labelled)
    await app
      .http()
      .post('/api/v1/labels')
      .send({ labels: rows.map(({ predictionId, label }) => ({ modelId, predictionId, label })) })
      .expect(201);
  return predictions;
}

/**
 * Binary CBPE from the hourly rollup (model_estimation_rollups) against the raw read of the same predictions (a
 * segment filter every prediction matches sends the read to the raw predictions): equal to 1e-12 for accuracy,
 * precision, recall and F1 and within the stated bound for AUC, after the first read fills the rows, after more
 * predictions land in filled hours, after a refit, at 6 h and 1 d buckets, with partial hours at the range's ends,
 * and with prediction batches racing the reads that fill.
 */
describe('CBPE estimates from hourly rollups (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
    testApp.clock.set('2026-05-05T00:00:00.000Z');
  });
  afterAll(() => testApp.close());

  const { trend, putReference } = estimationCalls(() => testApp, ANALYSIS_DAY);
  const log = (modelId: string, generator: Lcg, n: number, start: number, span: number, labelled = false) =>
    logPredictions(testApp, modelId, generator, n, start, span, labelled);

  async function fittedModel(seed: number) {
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    const generator = new Lcg(seed);
    await log(model.id, generator, 1500, REFERENCE_DAY, 12 * HOUR, true);
    await putReference(model.id, { from: iso(REFERENCE_DAY), to: iso(REFERENCE_DAY + 24 * HOUR) }).expect(200);
    return { model, generator };
  }

  /** Every estimated.<m> read from the rollup equals the raw read of the same query; returns the rollup's points. */
  async function expectRollupEqualsRaw(modelId: string, query: Record<string, string> = {}) {
    const read: Record<string, Point[]> = {};
    for (const metric of CBPE_METRICS) {
      const [rolled, raw] = await Promise.all(
        [query, { ...query, ...RAW_READ }].map(
          async (q) => (await trend(modelId, `estimated.${metric}`, q).expect(200)).body.points as Point[],
        ),
      );
      expect(rolled.map((p) => [p.bucketStart, p.count])).toEqual(raw.map((p) => [p.bucketStart, p.count]));
      rolled.forEach((point, i) => {
        const tolerance = metric === 'auc' ? point.errorBound! : 1e-12;
        if (metric === 'auc') expect(point.errorBound).toBeGreaterThan(0);
        expect(Math.abs(point.value - raw[i].value)).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(point.lower! - raw[i].lower!)).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(point.upper! - raw[i].upper!)).toBeLessThanOrEqual(tolerance);
      });
      read[metric] = rolled;
    }
    return read;
  }

  const rows = (modelId: string): Promise<{ hour: string; n: number; fit_id: string }[]> =>
    testApp
      .get(DataSource)
      .query(
        `SELECT bucket_start AS hour, sums[1] + sums[3] AS n, fit_id FROM model_estimation_rollups WHERE model_id = $1 ORDER BY bucket_start`,
        [modelId],
      );

  it('fills every hour of the range on the first read, then keeps filled hours current as predictions land', async () => {
    const { model, generator } = await fittedModel(31);
    await log(model.id, generator, 900, ANALYSIS_DAY, 6 * HOUR);
    const first = await expectRollupEqualsRaw(model.id);
    expect(first.accuracy).toHaveLength(6);
    const filled = await rows(model.id);
    // the day's 24 hours, the 18 without predictions too (so they are not recomputed on every read)
    expect(filled).toHaveLength(24);
    expect(filled.reduce((sum, row) => sum + Number(row.n), 0)).toBe(900);

    // more predictions in filled hours (2 and 9, empty so far) and a batch sent twice (the second is all duplicates)
    const again = await log(model.id, generator, 200, ANALYSIS_DAY + 2 * HOUR, 8 * HOUR);
    await testApp.http().post('/api/v1/predictions').send({ predictions: again }).expect(201);
    const second = await expectRollupEqualsRaw(model.id);
    expect(second.accuracy.reduce((sum, p) => sum + p.count, 0)).toBe(1100);
    expect((await rows(model.id)).reduce((sum, row) => sum + Number(row.n), 0)).toBe(1100);
  });

  it('a refit makes every row stale: the next read recomputes them under the new fit', async () => {
    const { model, generator } = await fittedModel(32);
    await log(model.id, generator, 600, ANALYSIS_DAY, 4 * HOUR);
    const before = await expectRollupEqualsRaw(model.id);
    const [oldFit] = await rows(model.id);
    // a different reference window (its first 6 hours) under the same (fixed) clock instant
    await putReference(model.id, { from: iso(REFERENCE_DAY), to: iso(REFERENCE_DAY + 6 * HOUR) }).expect(200);
    const after = await expectRollupEqualsRaw(model.id);
    expect(after.accuracy.map((p) => p.value)).not.toEqual(before.accuracy.map((p) => p.value));
    const refitted = await rows(model.id);
    expect(new Set(refitted.map((row) => row.fit_id)).size).toBe(1);
    expect(refitted[0].fit_id).not.toBe(oldFit.fit_id);
  });

  it('serves 6 h and 1 d buckets and ranges with partial hours at both ends', async () => {
    const { model, generator } = await fittedModel(33);
    await log(model.id, generator, 1200, ANALYSIS_DAY - 3 * HOUR, 30 * HOUR);
    const sixHours = await expectRollupEqualsRaw(model.id, { bucket: '6h' });
    expect(sixHours.accuracy.map((p) => p.bucketStart)).toEqual([0, 1, 2, 3].map((k) => iso(ANALYSIS_DAY + k * 6 * HOUR)));
    const days = await expectRollupEqualsRaw(model.id, {
      bucket: '1d',
      from: iso(ANALYSIS_DAY - 24 * HOUR),
      to: iso(ANALYSIS_DAY + 48 * HOUR),
    });
    // −3 h … +27 h around the analysis day: three days
    expect(days.accuracy).toHaveLength(3);
    expect(days.accuracy.reduce((sum, p) => sum + p.count, 0)).toBe(1200);
    const ragged = { from: iso(ANALYSIS_DAY + 25 * 60_000), to: iso(ANALYSIS_DAY + 5 * HOUR + 35 * 60_000) };
    const partial = await expectRollupEqualsRaw(model.id, ragged);
    expect(partial.accuracy.map((p) => p.bucketStart)).toEqual([0, 1, 2, 3, 4, 5].map((h) => iso(ANALYSIS_DAY + h * HOUR)));
    // a range inside one hour has no whole hour: all raw
    await expectRollupEqualsRaw(model.id, { from: iso(ANALYSIS_DAY + 10 * 60_000), to: iso(ANALYSIS_DAY + 50 * 60_000) });
  });

  it('prediction batches racing the reads that fill never go missing', async () => {
    const { model, generator } = await fittedModel(34);
    await log(model.id, generator, 300, ANALYSIS_DAY, 6 * HOUR);
    const writes = Array.from({ length: 6 }, (_, k) => log(model.id, new Lcg(100 + k), 150, ANALYSIS_DAY, 6 * HOUR));
    const reads = Array.from({ length: 4 }, () => trend(model.id, 'estimated.accuracy').expect(200));
    await Promise.all([...writes, ...reads]);
    const settled = await expectRollupEqualsRaw(model.id);
    expect(settled.accuracy.reduce((sum, p) => sum + p.count, 0)).toBe(1200);
    expect((await rows(model.id)).reduce((sum, row) => sum + Number(row.n), 0)).toBe(1200);
  });
});

/** ESTIMATION_PREFILL_DAYS: after a binary fit the last days' hours are computed in the background, not by the first read. */
describe('CBPE rollup prefill after a fit (e2e)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ jobs: { estimationPrefillDays: 3 } });
    // 2026-05-05T00:30: the prefill covers the whole hours of [2026-05-02T00:00, 2026-05-05T00:00).
    app.clock.set('2026-05-05T00:30:00.000Z');
  });
  afterAll(() => app.close());

  const { trend, putReference } = estimationCalls(() => app, ANALYSIS_DAY);
  const stored = (modelId: string): Promise<{ hours: number; n: number; fits: number }[]> =>
    app.get(DataSource).query(
      `SELECT count(*)::int AS hours, coalesce(sum(sums[1] + sums[3]), 0)::int AS n, count(DISTINCT fit_id)::int AS fits
         FROM model_estimation_rollups WHERE model_id = $1`,
      [modelId],
    );

  it('stores the last days of hours after the PUT, so the first read computes none; a refit prefills again under the new fit', async () => {
    const model = await createModel(app, { taskType: 'binary_classification' });
    const generator = new Lcg(41);
    await logPredictions(app, model.id, generator, 1500, REFERENCE_DAY, 12 * HOUR, true);
    await logPredictions(app, model.id, generator, 700, ANALYSIS_DAY, 10 * HOUR);
    await putReference(model.id, { from: iso(REFERENCE_DAY), to: iso(REFERENCE_DAY + 24 * HOUR) }).expect(200);
    await app.get(EstimationPrefill).idle();
    // 72 hours (empty ones too), holding the 700 analysis predictions (the reference day is before the window).
    expect(await stored(model.id)).toEqual([{ hours: 72, n: 700, fits: 1 }]);
    const fitted = await app.get(DataSource).query(`SELECT fit_id FROM model_estimation_rollups WHERE model_id = $1 LIMIT 1`, [model.id]);

    // The first read finds its 24 hours stored: it rewrites no row (same row versions, xmin), and equals the raw read.
    const versions = () =>
      app
        .get(DataSource)
        .query(`SELECT string_agg(xmin::text, ',' ORDER BY bucket_start) AS v FROM model_estimation_rollups WHERE model_id = $1`, [
          model.id,
        ]);
    const before = await versions();
    const rolled = (await trend(model.id, 'estimated.accuracy').expect(200)).body.points as Point[];
    const raw = (await trend(model.id, 'estimated.accuracy', RAW_READ).expect(200)).body.points as Point[];
    expect(rolled.reduce((sum, p) => sum + p.count, 0)).toBe(700);
    rolled.forEach((point, i) => expect(Math.abs(point.value - raw[i].value)).toBeLessThanOrEqual(1e-12));
    expect(await versions()).toEqual(before);

    await putReference(model.id, { from: iso(REFERENCE_DAY), to: iso(REFERENCE_DAY + 6 * HOUR) }).expect(200);
    await app.get(EstimationPrefill).idle();
    const refitted = await app
      .get(DataSource)
      .query(`SELECT DISTINCT fit_id FROM model_estimation_rollups WHERE model_id = $1`, [model.id]);
    expect(refitted).toHaveLength(1);
    expect(refitted[0].fit_id).not.toBe(fitted[0].fit_id);
    expect(await stored(model.id)).toEqual([{ hours: 72, n: 700, fits: 1 }]);
  });
});
