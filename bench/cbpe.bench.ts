/**
 * `npm run bench:cbpe` — CBPE through the API: GET /metrics/trend?metricName=estimated.<m>&bucket=1h over 30 days of
 * one binary model's predictions (10,000,000 by default, `--predictions N`), after PUT /estimation-reference on a
 * labelled reference day before them (100,000 predictions).
 *
 * Data loaded with INSERT … SELECT generate_series (not through the API), scores uniform on [0, 1) (continuous, so
 * about one distinct score per prediction), true label Bernoulli(score²), predicted 1 when score ≥ 0.5; then VACUUM
 * ANALYZE. Times: median of `--calls` (default 5) calls after one warm-up, each over HTTP to the service as its own
 * process (node dist/src/main.js). Options: `--no-build`, `--write-docs`.
 */
import { loadavg } from 'node:os';
import {
  buildService,
  createBenchDatabase,
  describeMachine,
  median,
  request,
  runBenchmark,
  startService,
  timeMs,
  withClient,
  writeDocsSubsection,
} from 'bench/metrics-bench.support';

const option = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
};
const flag = (name: string) => process.argv.includes(`--${name}`);
const PREDICTIONS = option('predictions', 10_000_000);
const CALLS = option('calls', 5);
const REFERENCE = 100_000;
const DAYS = 30;
const REFERENCE_START = '2026-01-01T00:00:00Z';
const START = '2026-01-02T00:00:00Z';
const END = new Date(Date.parse(START) + DAYS * 86_400_000).toISOString();

async function load(url: string): Promise<{ modelId: string; loadMs: number }> {
  return withClient(url, async (client) => {
    const started = Date.now();
    const model = await client.query<{ id: string }>(
      `INSERT INTO models (name, task_type) VALUES ('bench-cbpe', 'binary_classification') RETURNING id`,
    );
    const modelId = model.rows[0].id;
    await client.query(`ALTER TABLE model_predictions SET UNLOGGED`).catch(() => undefined);
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
    await client.query(`ALTER TABLE model_predictions SET LOGGED`).catch(() => undefined);
    await client.query('VACUUM ANALYZE model_predictions');
    await client.query('VACUUM ANALYZE model_labels');
    return { modelId, loadMs: Date.now() - started };
  });
}

async function main(): Promise<void> {
  if (!flag('no-build')) buildService();
  const database = await createBenchDatabase('mw_bench_cbpe');
  try {
    const { modelId, loadMs } = await load(database.url);
    console.log(`loaded ${PREDICTIONS + REFERENCE} predictions in ${(loadMs / 1000).toFixed(1)} s`);
    const service = await startService(database.url, 39_000 + Math.floor(Math.random() * 1000));
    const results: Record<string, number> = {};
    let buckets = 0;
    try {
      const body = Buffer.from(JSON.stringify({ from: REFERENCE_START, to: START }));
      let fitMs = 0;
      fitMs = await timeMs(async () => {
        const response = await request('PUT', `${service.baseUrl}/api/v1/models/${modelId}/estimation-reference`, body);
        if (response.status !== 200) throw new Error(`PUT estimation-reference: ${response.status} ${response.text.slice(0, 300)}`);
      });
      results['PUT /estimation-reference (100,000 labelled)'] = fitMs;
      for (const metricName of ['estimated.accuracy', 'estimated.auc', 'estimation_error.f1']) {
        const url = `${service.baseUrl}/api/v1/metrics/trend?modelId=${modelId}&metricName=${metricName}&bucket=1h&from=${START}&to=${END}`;
        const first = await request('GET', url);
        if (first.status !== 200) throw new Error(`GET ${metricName}: ${first.status} ${first.text.slice(0, 300)}`);
        if (metricName === 'estimated.accuracy') buckets = (JSON.parse(first.text) as { points: unknown[] }).points.length;
        const times: number[] = [];
        for (let call = 0; call < CALLS; call++) times.push(await timeMs(() => request('GET', url)));
        results[`GET /metrics/trend ${metricName}`] = median(times);
        console.log(metricName, times.map((t) => t.toFixed(0)).join(', '));
      }
    } finally {
      await service.stop();
    }
    const machine = await describeMachine(database.url);
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
    if (flag('write-docs')) writeDocsSubsection('CBPE trend (`npm run bench:cbpe`)', report);
  } finally {
    await database.drop();
  }
}

runBenchmark(main);
