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
 * `--task multiclass`: three classes, p(a) uniform in [0.2, 0.8] and the rest split 3 : 2 between b and c, the label
 * drawn from them; timed on `realized.accuracy` and `realized.macro_f1` from model_multiclass_rollups.
 * `--task regression`: the same for a regression model (label y uniform in [100, 120], prediction y ± 5 uniform, 99 %
 * labelled by SQL, the rest through the API), timed on `realized.mae` and `realized.r2` from its hourly rollup
 * (model_regression_rollups) and, once, the raw path.
 * Options: `-- --predictions N` (default 10,000,000), `--runs N` (default 15), `--task binary|regression|multiclass`, `--no-build`,
 * `--write-docs`.
 */
import { BACKFILL_PREDICTION_ROLLUPS } from 'src/database/migrations/1796350000000-create-prediction-rollups';
import { BACKFILL_REGRESSION_ROLLUPS } from 'src/database/migrations/1796410000000-create-regression-rollups';
import { BACKFILL_MULTICLASS_ROLLUPS } from 'src/database/migrations/1796420000000-create-multiclass-rollups';
import {
  createModels,
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
const TASK_NAME = process.argv.includes('--task') ? process.argv[process.argv.indexOf('--task') + 1] : 'binary';
if (TASK_NAME !== 'binary' && TASK_NAME !== 'regression' && TASK_NAME !== 'multiclass')
  throw new Error(`--task binary|regression|multiclass, not ${TASK_NAME}`);

const REGRESSION_LABEL = (n: string) => `(100 + 20 * ((${n} * 0.6180339887498949) - floor(${n} * 0.6180339887498949)))::float8`;

/** A multiclass label drawn from the prediction's probabilities of a, b, c (b and c in the ratio 3 : 2). */
const MULTICLASS_LABEL = `CASE WHEN random() < (probabilities ->> 'a')::float8 THEN 'a' WHEN random() < 0.6 THEN 'b' ELSE 'c' END`;

/** What differs between the runs of each task type: the rows generated, the backfill, the late labels, what is timed. */
const TASKS = {
  regression: {
    taskType: 'regression',
    // Prediction n's label y_n = 100 + 20·frac(n·0.618…) (spread evenly over [100, 120]), its prediction y_n ± 5 uniform.
    predictions: `INSERT INTO model_predictions (model_id, prediction_id, environment, predicted_at, prediction, segment)
         SELECT $1, 'p' || n, 'production', $2::timestamptz + (n * $3::float8 / $4) * interval '1 millisecond',
           ${REGRESSION_LABEL('n')} + 10 * (random() - 0.5), '{"fleet": "all"}'
         FROM generate_series(0, $4 - 1) AS n`,
    labels: `INSERT INTO model_labels (model_id, prediction_id, label_value, labelled_at)
         SELECT model_id, prediction_id, ${REGRESSION_LABEL('substr(prediction_id, 2)::bigint')}, predicted_at + interval '2 days'
         FROM model_predictions WHERE model_id = $1 AND right(prediction_id, 2) <> '99'`,
    late: `SELECT prediction_id, ${REGRESSION_LABEL('substr(prediction_id, 2)::bigint')} AS label
         FROM model_predictions WHERE model_id = $1 AND right(prediction_id, 2) = '99' ORDER BY prediction_id`,
    backfill: BACKFILL_REGRESSION_ROLLUPS,
    rollupTable: 'model_regression_rollups',
    timed: [
      { metric: 'realized.mae', bucket: '1h', what: 'rollup: 720 rows of 7 sums', runs: RUNS },
      { metric: 'realized.r2', bucket: '1h', what: 'rollup', runs: RUNS },
      { metric: 'realized.mae', bucket: '1d', what: 'rollup: 24 hours merged per bucket', runs: Math.max(3, Math.floor(RUNS / 3)) },
      { metric: 'realized.mae', bucket: '1h', what: 'raw path, every prediction read', runs: 1, raw: true },
    ],
  },
  multiclass: {
    taskType: 'multiclass_classification',
    // p(a) uniform in [0.2, 0.8], the rest split 3 : 2 between b and c; the predicted class is the most probable one.
    predictions: `INSERT INTO model_predictions (model_id, prediction_id, environment, predicted_at, probabilities, predicted_class, segment)
       SELECT $1, 'p' || n, 'production', $2::timestamptz + (n * $3::float8 / $4) * interval '1 millisecond',
         jsonb_build_object('a', pa, 'b', (1 - pa) * 0.6, 'c', (1 - pa) * 0.4), CASE WHEN pa > (1 - pa) * 0.6 THEN 'a' ELSE 'b' END,
         '{"fleet": "all"}'
       FROM (SELECT n, 0.2 + 0.6 * random() AS pa FROM generate_series(0, $4 - 1) AS n) AS g`,
    labels: `INSERT INTO model_labels (model_id, prediction_id, label_class, labelled_at)
       SELECT model_id, prediction_id, ${MULTICLASS_LABEL}, predicted_at + interval '2 days'
       FROM model_predictions WHERE model_id = $1 AND right(prediction_id, 2) <> '99'`,
    late: `SELECT prediction_id, ${MULTICLASS_LABEL} AS label
       FROM model_predictions WHERE model_id = $1 AND right(prediction_id, 2) = '99' ORDER BY prediction_id`,
    backfill: BACKFILL_MULTICLASS_ROLLUPS,
    rollupTable: 'model_multiclass_rollups',
    timed: [
      { metric: 'realized.accuracy', bucket: '1h', what: 'rollup: 720 rows of sums and confusion counts', runs: RUNS },
      { metric: 'realized.macro_f1', bucket: '1h', what: 'rollup', runs: RUNS },
      { metric: 'realized.accuracy', bucket: '1d', what: 'rollup: 24 hours merged per bucket', runs: Math.max(3, Math.floor(RUNS / 3)) },
      { metric: 'realized.accuracy', bucket: '1h', what: 'raw path, every prediction read', runs: 1, raw: true },
    ],
  },
  binary: {
    taskType: 'binary_classification',
    predictions: `INSERT INTO model_predictions (model_id, prediction_id, environment, predicted_at, score, predicted_class, segment)
         SELECT $1, 'p' || n, 'production', $2::timestamptz + (n * $3::float8 / $4) * interval '1 millisecond', s, CASE WHEN s >= 0.5 THEN '1' ELSE '0' END,
           '{"fleet": "all"}'
         FROM (SELECT n, random() AS s FROM generate_series(0, $4 - 1) AS n) AS g`,
    labels: `INSERT INTO model_labels (model_id, prediction_id, label_class, labelled_at)
         SELECT model_id, prediction_id, CASE WHEN random() < score THEN '1' ELSE '0' END, predicted_at + interval '2 days'
         FROM model_predictions WHERE model_id = $1 AND right(prediction_id, 2) <> '99'`,
    late: `SELECT prediction_id, CASE WHEN random() < score THEN 1 ELSE 0 END AS label
         FROM model_predictions WHERE model_id = $1 AND right(prediction_id, 2) = '99' ORDER BY prediction_id`,
    backfill: BACKFILL_PREDICTION_ROLLUPS,
    rollupTable: 'model_prediction_rollups',
    timed: [
      { metric: 'realized.auc', bucket: '1h', what: 'rollup: stored U per hour', runs: RUNS },
      { metric: 'realized.accuracy', bucket: '1h', what: 'rollup: cell sums only', runs: RUNS },
      { metric: 'realized.auc', bucket: '1d', what: 'rollup: 720 histograms merged', runs: Math.max(3, Math.floor(RUNS / 3)) },
      { metric: 'realized.auc', bucket: '1h', what: 'raw path, every prediction read', runs: 1, raw: true },
    ],
  },
};
const TASK = TASKS[TASK_NAME];

async function main(url: string): Promise<void> {
  const [modelId] = await createModels(url, [`bench-realized-${TASK.taskType}`], TASK.taskType);
  const loadMs = await timeMs(() =>
    withClient(url, async (client) => {
      // setseed: the same data on every run. Every 100th prediction's label is left for the API.
      await createMonthPartitions(client, 'model_predictions', Date.parse(START), Date.parse(END));
      await client.query('SELECT setseed(0.17)');
      await client.query(TASK.predictions, [modelId, START, SPAN_MS, TOTAL]);
      await client.query(TASK.labels, [modelId]);
      await client.query(
        `INSERT INTO model_prediction_ids (model_id, prediction_id, predicted_at) SELECT model_id, prediction_id, predicted_at FROM model_predictions WHERE model_id = $1`,
        [modelId],
      );
      await client.query(TASK.backfill);
      await client.query(`VACUUM ANALYZE model_predictions, model_prediction_ids, model_labels, ${TASK.rollupTable}`);
    }),
  );
  const late = await withClient(
    url,
    async (client) => (await client.query<{ prediction_id: string; label: number }>(TASK.late, [modelId])).rows,
  );
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
    const results = [];
    for (const entry of TASK.timed)
      results.push({ ...entry, ...(await timed(trendUrl(entry.metric, entry.bucket, entry.raw ? '&segment.fleet=all' : ''), entry.runs)) });
    const counted = results[0].points.reduce((sum, point) => sum + point.count, 0);
    if (counted !== TOTAL)
      throw new Error(`the hourly ${results[0].metric} points count ${counted} labelled predictions, expected ${TOTAL}`);
    const report = [
      `Run ${new Date().toISOString().slice(0, 10)} on ${await describeMachine(url)}.`,
      '',
      `${TOTAL.toLocaleString('en-US')} ${TASK.taskType} predictions of one model over 30 days (${START} to ${END}), 99 % labelled by SQL and rolled up ` +
        `by the migration's backfill (${(loadMs / 1000).toFixed(0)} s for all three), then the other ${late.length.toLocaleString('en-US')} labels ` +
        `through \`POST /labels\` in ${lateBodies.length} requests of ${LATE_BATCH.toLocaleString('en-US')}, each spread over all 720 hours: ` +
        `${(lateMs / 1000).toFixed(1)} s (${Math.round(late.length / (lateMs / 1000)).toLocaleString('en-US')} labels/s). ` +
        'Service as its own process; one warm-up request, then the median of the runs.',
      '',
      '| `GET /metrics/trend` over the 30 days | points | median | max | runs |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...results.map(
        (result) =>
          `| \`${result.metric}\`, \`bucket=${result.bucket}\`${result.raw ? ', `segment.fleet=all`' : ''} (${result.what}) | ${result.points.length} | ${result.ms.toFixed(0)} ms | ${result.max.toFixed(0)} ms | ${result.runs} |`,
      ),
      '',
      `Hourly \`${results[0].metric}\` through the API: **${results[0].ms.toFixed(0)} ms** median (target for realized AUC ≤ 200 ms).`,
    ].join('\n');
    console.log(`\n${report}\n`);
    if (hasFlag('write-docs'))
      writeDocsSubsection(
        `Realized ${TASK_NAME === 'binary' ? 'AUC' : TASK_NAME} trend over 10 M predictions (\`npm run bench:realized\`)`,
        report,
      );
  });
}

runBenchmarkOnDatabase('mw_bench_realized_trend', main);
