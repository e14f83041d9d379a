/**
 * `npm run bench:cbpe` — CBPE through the API: GET /metrics/trend?metricName=estimated.<m>&bucket=1h over 30 days of
 * one binary model's predictions (10,000,000 by default, `--predictions N`), after PUT /estimation-reference on a
 * labelled reference day before them (100,000 predictions).
 *
 * Data loaded with INSERT … SELECT generate_series (not through the API), scores uniform on [0, 1) (continuous, so
 * about one distinct score per prediction), true label Bernoulli(score²), predicted 1 when score ≥ 0.5; then VACUUM
 * ANALYZE. Times: median of `--calls` (default 5) calls after one warm-up, each over HTTP to the service as its own
 * process (node dist/src/main.js); before them, the first read after the PUT is timed on its own (it fills the hourly
 * CBPE rollup of the new fit from the raw predictions). `--prefill`: the 30 days end at the current hour instead, so
 * the background prefill after the PUT (ESTIMATION_PREFILL_DAYS, default 30) covers them; its duration is timed by
 * polling model_estimation_rollups until every hour of the data it covers is stored, then the first read.
 * Options: `--no-build`, `--write-docs`, `--prefill`.
 */
import { loadavg } from 'node:os';
import {
  createBinaryModels,
  createMonthPartitions,
  describeMachine,
  expectStatus,
  hasFlag,
  median,
  numberOption,
  runBenchmarkOnDatabase,
  timeGets,
  timeMs,
  withClient,
  withService,
  writeDocsSubsection,
} from 'bench/metrics-bench.support';

const PREDICTIONS = numberOption('predictions', 10_000_000);
const CALLS = numberOption('calls', 5);
const REFERENCE = 100_000;
const DAYS = 30;
const HOUR = 3_600_000;
const PREFILL = hasFlag('prefill');
const START_MS = PREFILL ? Math.floor(Date.now() / HOUR) * HOUR - DAYS * 86_400_000 : Date.parse('2026-01-02T00:00:00Z');
const REFERENCE_START = new Date(START_MS - 86_400_000).toISOString();
const START = new Date(START_MS).toISOString();
const END = new Date(START_MS + DAYS * 86_400_000).toISOString();

async function load(url: string, modelId: string): Promise<void> {
  await withClient(url, async (client) => {
    await createMonthPartitions(client, 'model_predictions', Date.parse(REFERENCE_START), Date.parse(END));
    await client.query(`DROP INDEX IF EXISTS ix_model_predictions_time`);
    // Reference day (labelled) and the 30 analysed days, one row per generate_series step, evenly spread in time.
    await client.query(
      `INSERT INTO model_predictions (model_id, prediction_id, environment, predicted_at, score, predicted_class)
       SELECT $1, 'r' || step, 'production', $2::timestamptz + step * (interval '1 day' / $3), s, CASE WHEN s >= 0.5 THEN '1' ELSE '0' END
       FROM (SELECT step, random() AS s FROM generate_series(0, $3 - 1) AS step) AS generated`,
      [modelId, REFERENCE_START, REFERENCE],
    );
    await client.query(
      `INSERT INTO model_labels (model_id, prediction_id, label_class, labelled_at)
       SELECT model_id, prediction_id, CASE WHEN random() < score * score THEN '1' ELSE '0' END, predicted_at + interval '1 day'
       FROM model_predictions WHERE model_id = $1`,
      [modelId],
    );
    await client.query(
      `INSERT INTO model_predictions (model_id, prediction_id, environment, predicted_at, score, predicted_class)
       SELECT $1, 'p' || step, 'production', $2::timestamptz + step * (interval '${DAYS} days' / $3), s, CASE WHEN s >= 0.5 THEN '1' ELSE '0' END
       FROM (SELECT step, random() AS s FROM generate_series(0, $3 - 1) AS step) AS generated`,
      [modelId, START, PREDICTIONS],
    );
    await client.query(`CREATE INDEX ix_model_predictions_time ON model_predictions (model_id, predicted_at)`);
    // The ids, as ingest claims them (reads do not use them; labels posted through the API find their predictions).
    await client.query(
      `INSERT INTO model_prediction_ids (model_id, prediction_id, predicted_at) SELECT model_id, prediction_id, predicted_at FROM model_predictions WHERE model_id = $1`,
      [modelId],
    );
    await client.query('VACUUM ANALYZE model_predictions');
    await client.query('VACUUM ANALYZE model_labels');
  });
}

async function main(url: string): Promise<void> {
  const [modelId] = await createBinaryModels(url, ['bench-cbpe']);
  const loadMs = await timeMs(() => load(url, modelId));
  console.log(`loaded ${PREDICTIONS + REFERENCE} predictions in ${(loadMs / 1000).toFixed(1)} s`);
  const { results, buckets } = await withService(url, async (service) => {
    const results: Record<string, number> = {};
    let buckets = 0;
    const body = Buffer.from(JSON.stringify({ from: REFERENCE_START, to: START }));
    const putAt = Date.now();
    results['PUT /estimation-reference (100,000 labelled)'] = await timeMs(() =>
      expectStatus('PUT', `${service.baseUrl}/api/v1/models/${modelId}/estimation-reference`, 200, body),
    );
    if (PREFILL) {
      // The service prefills [its hour − 30 days, its hour): the hours of the data inside that range.
      const to = Math.floor(putAt / HOUR) * HOUR;
      const expected = (Math.min(Date.parse(END), to) - Math.max(START_MS, to - DAYS * 86_400_000)) / HOUR;
      results[`background prefill after the PUT, until all ${expected} hours are stored (polled every 250 ms)`] = await timeMs(async () => {
        for (;;) {
          const stored = await withClient(url, async (client) => {
            const { rows } = await client.query<{ n: number }>(
              'SELECT count(*)::int AS n FROM model_estimation_rollups WHERE model_id = $1 AND bucket_start >= $2 AND bucket_start < $3',
              [modelId, START, END],
            );
            return rows[0].n;
          });
          if (stored >= expected) return;
          await new Promise((done) => setTimeout(done, 250));
        }
      });
    }
    // The first estimated read after the PUT fills the 720 hourly rollup rows of the new fit from the raw predictions;
    // every later read (any estimated.* or estimation_error.* name) reads those rows.
    const firstUrl = `${service.baseUrl}/api/v1/metrics/trend?modelId=${modelId}&metricName=estimated.accuracy&bucket=1h&from=${START}&to=${END}`;
    results[`first GET /metrics/trend estimated.accuracy after the PUT (${PREFILL ? 'after the prefill' : 'fills the rollup'})`] =
      await timeMs(() => expectStatus('GET', firstUrl, 200));
    for (const metricName of ['estimated.accuracy', 'estimated.auc', 'estimation_error.f1']) {
      const trendUrl = `${service.baseUrl}/api/v1/metrics/trend?modelId=${modelId}&metricName=${metricName}&bucket=1h&from=${START}&to=${END}`;
      const { times, text } = await timeGets(trendUrl, CALLS);
      if (metricName === 'estimated.accuracy') buckets = (JSON.parse(text) as { points: unknown[] }).points.length;
      results[`GET /metrics/trend ${metricName}`] = median(times);
      console.log(metricName, times.map((t) => t.toFixed(0)).join(', '));
    }
    return { results, buckets };
  });
  const machine = await describeMachine(url);
  const report = [
    `Run ${new Date().toISOString().slice(0, 10)} on ${machine} (load average at the end ${loadavg()[0].toFixed(1)}).`,
    '',
    `${PREDICTIONS.toLocaleString('en-US')} predictions of one binary model over ${DAYS} days (${buckets} hourly buckets), ` +
      `unlabelled, plus a labelled reference day of ${REFERENCE.toLocaleString('en-US')}; scores uniform (continuous), loaded with generate_series in ${(loadMs / 1000).toFixed(0)} s. ` +
      `Median of ${CALLS} calls after one warm-up. Target: ≤ 1 s for the CBPE trend.`,
    '',
    '| call | median |',
    '| --- | --- |',
    ...Object.entries(results).map(
      ([name, ms]) => `| \`${name}\` | ${ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`} |`,
    ),
  ].join('\n');
  console.log(report);
  if (hasFlag('write-docs')) writeDocsSubsection('CBPE trend (`npm run bench:cbpe`)', report);
}

runBenchmarkOnDatabase('mw_bench_cbpe', main);
