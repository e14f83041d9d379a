/**
 * `npm run bench:realized` — the realized AUC trend over 10 M predictions (issue 17's target: 30 days of 1-hour
 * buckets in ≤ 200 ms through the API).
 *
 * One binary model, 10 M predictions spread evenly over 30 days (score uniform, label 1 with probability = score), 90 %
 * labelled, loaded with generate_series and rolled up with the migration's backfill statement (the path existing data
 * takes). Then the last 1 % of the labels are posted through `POST /labels` (10,000 per request, each request spread
 * over all 720 hours, so it updates every hour's histogram: the slow case of the write path). Timed: `GET
 * /metrics/trend?metricName=realized.auc&bucket=1h` over the 30 days, median of N, for the service running as its own
 * process; also realized.accuracy, a 1-day bucket and, once, the raw path (a segment filter) for comparison.
 * Options: `-- --predictions N` (default 10,000,000), `--runs N` (default 15), `--no-build`, `--write-docs`.
 */
import { BACKFILL_PREDICTION_ROLLUPS } from 'src/database/migrations/1796350000000-create-prediction-rollups';
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

const TOTAL = numberOption('predictions', 10_000_000);
const RUNS = numberOption('runs', 15);
const START = '2026-01-01T00:00:00Z';
const END = '2026-01-31T00:00:00Z';
const SPAN_MS = Date.parse(END) - Date.parse(START);
const LATE_BATCH = 10_000;

async function main(url: string): Promise<void> {
  const [modelId] = await createBinaryModels(url, ['bench-realized']);
  const loadMs = await timeMs(() =>
    withClient(url, async (client) => {
      // setseed: the same data on every run. Label 1 with probability = score; every 100th prediction left for the API.
      await createMonthPartitions(client, 'model_predictions', Date.parse(START), Date.parse(END));
      await client.query('SELECT setseed(0.17)');
      await client.query(
        `INSERT INTO model_predictions (model_id, prediction_id, environment, predicted_at, score, predicted_class, segment)
         SELECT $1, 'p' || n, 'production', $2::timestamptz + (n * $3::float8 / $4) * interval '1 millisecond', s, CASE WHEN s >= 0.5 THEN '1' ELSE '0' END,
           '{"fleet": "all"}'
         FROM (SELECT n, random() AS s FROM generate_series(0, $4 - 1) AS n) AS g`,
        [modelId, START, SPAN_MS, TOTAL],
      );
      await client.query(
        `INSERT INTO model_labels (model_id, prediction_id, label_class, labelled_at)
         SELECT model_id, prediction_id, CASE WHEN random() < score THEN '1' ELSE '0' END, predicted_at + interval '2 days'
         FROM model_predictions WHERE model_id = $1 AND right(prediction_id, 2) <> '99'`,
        [modelId],
      );
      await client.query(
        `INSERT INTO model_prediction_ids (model_id, prediction_id, predicted_at) SELECT model_id, prediction_id, predicted_at FROM model_predictions WHERE model_id = $1`,
        [modelId],
      );
      await client.query(BACKFILL_PREDICTION_ROLLUPS);
      await client.query('VACUUM ANALYZE model_predictions, model_prediction_ids, model_labels, model_prediction_rollups');
    }),
  );
  const late = await withClient(url, async (client) => {
    const { rows } = await client.query<{ prediction_id: string; label: number }>(
      `SELECT prediction_id, CASE WHEN random() < score THEN 1 ELSE 0 END AS label
       FROM model_predictions WHERE model_id = $1 AND right(prediction_id, 2) = '99' ORDER BY prediction_id`,
      [modelId],
    );
    return rows;
  });
  await withService(url, async (service) => {
    const lateBodies: Buffer[] = [];
    for (let i = 0; i < late.length; i += LATE_BATCH)
      lateBodies.push(
        Buffer.from(
          JSON.stringify({
            labels: late.slice(i, i + LATE_BATCH).map((row) => ({ modelId, predictionId: row.prediction_id, label: row.label })),
          }),
        ),
      );
    const lateMs = await timeMs(async () => {
      for (const body of lateBodies) await expectStatus('POST', `${service.baseUrl}/api/v1/labels`, 201, body);
    });
    const trendUrl = (metricName: string, bucket: string, extra = '') =>
      `${service.baseUrl}/api/v1/metrics/trend?modelId=${modelId}&metricName=${metricName}&bucket=${bucket}&from=${START}&to=${END}${extra}`;
    const timed = async (trend: string, runs: number) => {
      const { times, text } = await timeGets(trend, runs);
      return { ms: median(times), max: Math.max(...times), points: (JSON.parse(text) as { points: { count: number }[] }).points };
    };
    const aucHourly = await timed(trendUrl('realized.auc', '1h'), RUNS);
    const accuracyHourly = await timed(trendUrl('realized.accuracy', '1h'), RUNS);
    const aucDaily = await timed(trendUrl('realized.auc', '1d'), Math.max(3, Math.floor(RUNS / 3)));
    const raw = await timed(trendUrl('realized.auc', '1h', '&segment.fleet=all'), 1);
    const counted = aucHourly.points.reduce((sum, point) => sum + point.count, 0);
    if (counted !== TOTAL) throw new Error(`the hourly AUC points count ${counted} labelled predictions, expected ${TOTAL}`);
    const row = (label: string, result: { ms: number; max: number; points: unknown[] }, runs: number) =>
      `| ${label} | ${result.points.length} | ${result.ms.toFixed(0)} ms | ${result.max.toFixed(0)} ms | ${runs} |`;
    const report = [
      `Run ${new Date().toISOString().slice(0, 10)} on ${await describeMachine(url)}.`,
      '',
      `${TOTAL.toLocaleString('en-US')} binary predictions of one model over 30 days (${START} to ${END}), 99 % labelled by SQL and rolled up ` +
        `by the migration's backfill (${(loadMs / 1000).toFixed(0)} s for all three), then the other ${late.length.toLocaleString('en-US')} labels ` +
        `through \`POST /labels\` in ${lateBodies.length} requests of ${LATE_BATCH.toLocaleString('en-US')}, each spread over all 720 hours: ` +
        `${(lateMs / 1000).toFixed(1)} s (${Math.round(late.length / (lateMs / 1000)).toLocaleString('en-US')} labels/s). ` +
        'Service as its own process; one warm-up request, then the median of the runs.',
      '',
      '| `GET /metrics/trend` over the 30 days | points | median | max | runs |',
      '| --- | ---: | ---: | ---: | ---: |',
      row('`realized.auc`, `bucket=1h` (rollup: stored U per hour)', aucHourly, RUNS),
      row('`realized.accuracy`, `bucket=1h` (rollup: cell sums only)', accuracyHourly, RUNS),
      row('`realized.auc`, `bucket=1d` (rollup: 720 histograms merged)', aucDaily, Math.max(3, Math.floor(RUNS / 3))),
      row('`realized.auc`, `bucket=1h`, `segment.fleet=all` (raw path, every prediction read)', raw, 1),
      '',
      `Hourly realized AUC through the API: **${aucHourly.ms.toFixed(0)} ms** median (target ≤ 200 ms).`,
    ].join('\n');
    console.log(`\n${report}\n`);
    if (hasFlag('write-docs')) writeDocsSubsection('Realized AUC trend over 10 M predictions (`npm run bench:realized`)', report);
  });
}

runBenchmarkOnDatabase('mw_bench_realized_trend', main);
