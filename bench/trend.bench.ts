/**
 * `npm run bench:trend` — GET /metrics/trend and GET /metrics/latest against the same SQL in psql, on a
 * table of 1,000,000 and then 10,000,000 points.
 *
 * Data (loaded with SQL generate_series, not through the API): 20,000 points per series, one every
 * 5 minutes (≈ 69 days), 5 metrics per model; 10 models (1M rows), then 90 more (10M rows). Secondary
 * indexes are dropped for each load and rebuilt, then VACUUM ANALYZE. For each size: the trend of one
 * model/metric over its full range with bucket=1h and p95 (1,667 buckets), and the latest values of that
 * model; median of 50 timed calls after 5 warm-up calls, beside the median of the same SQL run in one psql
 * session (\timing), API call and SQL run alternating so both see the same load. Options: `--no-build`, `--write-docs`.
 */
import type { Client } from 'pg';
import {
  buildService,
  createBenchDatabase,
  describeMachine,
  median,
  PsqlSession,
  request,
  startService,
  timeMs,
  withClient,
  runBenchmark,
  writeDocsSubsection,
} from 'bench/metrics-bench.support';
import { bucketAggregateQuery, latestQuery } from 'src/metrics/metric-points.repository';
import { MetricAggregation } from 'src/metrics/metrics.types';
import { BUCKET_MS } from 'src/metrics/trend.stats';

const argument = (name: string) => process.argv.indexOf(`--${name}`);
const POINTS_PER_SERIES = 20_000;
const STEP_SECONDS = 300;
const METRICS = ['accuracy', 'auc', 'f1', 'latency.p95_ms', 'error_rate'];
const START = '2025-01-01T00:00:00Z';
const END = new Date(Date.parse(START) + POINTS_PER_SERIES * STEP_SECONDS * 1000).toISOString();
const CALLS = 50;
const WARM_UP = 5;

/** Adds `models` models with 5 × 20,000 points each, with the secondary indexes dropped during the load. */
async function load(client: Client, models: number): Promise<number> {
  const indexes = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'model_performance_metrics' AND indexname NOT ILIKE 'pk_%'`,
  );
  for (const index of indexes.rows) await client.query(`DROP INDEX "${index.indexname}"`);
  const started = Date.now();
  await client.query(`INSERT INTO models (name) SELECT 'bench-' || gen_random_uuid() FROM generate_series(1, $1)`, [models]);
  // session_replication_role = replica skips the per-row foreign-key triggers during the bulk load (the ids come from models).
  await client.query(`SET session_replication_role = replica`);
  await client.query(
    `INSERT INTO model_performance_metrics (model_id, model_version, metric_name, value, environment, recorded_at, sample_size)
     SELECT model.id, 'v1', metric.name,
            0.8 + 0.1 * sin(step / 288.0) + 0.05 * random(),
            'production', $1::timestamptz + step * interval '${STEP_SECONDS} seconds', 1000
     FROM (SELECT id FROM models WHERE NOT EXISTS (SELECT 1 FROM model_performance_metrics point WHERE point.model_id = models.id)) AS model
     CROSS JOIN unnest($2::text[]) AS metric(name)
     CROSS JOIN generate_series(0, $3 - 1) AS step`,
    [START, METRICS, POINTS_PER_SERIES],
  );
  await client.query(`SET session_replication_role = DEFAULT`);
  // The bench loads with SQL, not the API: the inbox rows the API would have written, folded into the rollups and
  // latest values by the service's rollup worker once it starts (measure waits for that).
  await client.query(
    `INSERT INTO metric_rollup_inbox (model_id, model_version, metric_name, environment, segment, value, recorded_at)
     SELECT model_id, model_version, metric_name, environment, segment, value, recorded_at FROM model_performance_metrics point
     WHERE NOT EXISTS (SELECT 1 FROM metric_latest latest WHERE latest.model_id = point.model_id)`,
  );
  for (const index of indexes.rows) await client.query(index.indexdef);
  await client.query('VACUUM ANALYZE model_performance_metrics');
  await client.query('VACUUM ANALYZE models');
  return Date.now() - started;
}

/** $n placeholders replaced by SQL literals, so psql runs the very statement the service sends. */
function inline(query: { sql: string; parameters: unknown[] }): string {
  return query.sql.replace(/\$(\d+)/g, (_, index: string) => {
    const value = query.parameters[Number(index) - 1];
    if (typeof value === 'number') return String(value);
    const text = value instanceof Date ? value.toISOString() : String(value);
    return `'${text.replace(/'/g, "''")}'`;
  });
}

/**
 * Median API time and median psql time of the same statement, measured alternately (API call, then
 * SQL run) so both see the same load on this shared machine.
 */
async function compare(url: string, psql: PsqlSession, sql: string): Promise<{ api: number; sql: number }> {
  for (let call = 0; call < WARM_UP; call++) {
    const response = await request('GET', url);
    if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${response.text.slice(0, 300)}`);
    await psql.time(sql);
  }
  const api: number[] = [];
  const database: number[] = [];
  for (let call = 0; call < CALLS; call++) {
    api.push(await timeMs(() => request('GET', url)));
    database.push(await psql.time(sql));
  }
  return { api: median(api), sql: median(database) };
}

interface Measurement {
  rows: number;
  loadMs: number;
  trendApi: number;
  trendSql: number;
  latestApi: number;
  latestSql: number;
  plan: string;
  latestPlan: string;
  buckets: number;
}

async function measure(databaseUrl: string, baseUrl: string, modelId: string, rows: number, loadMs: number): Promise<Measurement> {
  // Wait (up to 10 minutes) for the service's rollup worker to fold the loaded points.
  for (const end = Date.now() + 600_000; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 200))) {
    const pending = await withClient(
      databaseUrl,
      async (client) => (await client.query('SELECT 1 FROM metric_rollup_inbox LIMIT 1')).rowCount,
    );
    if (pending === 0) break;
  }
  const filter = { modelId, metricName: 'accuracy', environment: 'production', from: new Date(START), to: new Date(END) };
  const trendSql = inline(bucketAggregateQuery(filter, BUCKET_MS['1h'], MetricAggregation.P95));
  const latestSql = inline(latestQuery(modelId, {}));
  const trendUrl = `${baseUrl}/api/v1/metrics/trend?modelId=${modelId}&metricName=accuracy&from=${START}&to=${END}&bucket=1h&aggregation=p95`;
  const trend = JSON.parse((await request('GET', trendUrl)).text) as { points: unknown[]; summary: { count: number } };
  if (trend.summary.count !== POINTS_PER_SERIES) throw new Error(`trend saw ${trend.summary.count} points`);
  const explain = (sql: string) =>
    withClient(databaseUrl, async (client) =>
      (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`)).rows
        .map((row) => row['QUERY PLAN'])
        .join('\n'),
    );
  const plan = await explain(trendSql);
  const latestPlan = await explain(latestSql);
  if (!/Index Only Scan using ix_model_performance_metrics_series/.test(plan))
    throw new Error(`the trend query is not an index-only scan:\n${plan}`);
  const psql = new PsqlSession(databaseUrl);
  try {
    const trendTimes = await compare(trendUrl, psql, trendSql);
    const latestTimes = await compare(`${baseUrl}/api/v1/metrics/latest?modelId=${modelId}`, psql, latestSql);
    return {
      rows,
      loadMs,
      trendApi: trendTimes.api,
      trendSql: trendTimes.sql,
      latestApi: latestTimes.api,
      latestSql: latestTimes.sql,
      plan,
      latestPlan,
      buckets: trend.points.length,
    };
  } finally {
    await psql.close();
  }
}

async function main(): Promise<void> {
  if (argument('no-build') < 0) buildService();
  const database = await createBenchDatabase('mw_bench_metrics_trend');
  try {
    const results: Measurement[] = [];
    let modelId = '';
    for (const [models, rows] of [
      [10, 1_000_000],
      [90, 10_000_000],
    ] as const) {
      const loadMs = await withClient(database.url, (client) => load(client, models));
      modelId ||= await withClient(
        database.url,
        async (client) => (await client.query<{ id: string }>(`SELECT id FROM models ORDER BY name LIMIT 1`)).rows[0].id,
      );
      const count = await withClient(
        database.url,
        async (client) =>
          (await client.query<{ count: number }>('SELECT count(*)::int AS count FROM model_performance_metrics')).rows[0].count,
      );
      if (count !== rows) throw new Error(`expected ${rows} rows, found ${count}`);
      // A fresh service per size, so no cache of the previous size helps (the service has none anyway).
      const service = await startService(database.url, 39_000 + Math.floor(Math.random() * 1000));
      try {
        results.push(await measure(database.url, service.baseUrl, modelId, rows, loadMs));
      } finally {
        await service.stop();
      }
      console.log(results[results.length - 1]);
    }
    const [small, large] = results;
    const format = (ms: number) => `${ms.toFixed(1)} ms`;
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    const machine = await describeMachine(database.url);
    const report = [
      `Run ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
      '',
      `One model/metric over its full range (${POINTS_PER_SERIES.toLocaleString('en-US')} points, ${START} to ${END}) with \`bucket=1h&aggregation=p95\` (${large.buckets.toLocaleString('en-US')} buckets), ` +
        `and \`GET /metrics/latest\` of that model (5 metrics × 20,000 points). Median of ${CALLS} calls after ${WARM_UP} warm-up calls, over HTTP keep-alive to the service (\`node dist/src/main.js\`); ` +
        `"SQL" is the same statement the service sends, run in one psql session (\\timing), alternating with the API calls. Data loaded with generate_series, then VACUUM ANALYZE.`,
      '',
      '| table size | trend API | trend SQL | API / SQL | latest API | latest SQL | API / SQL |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...results.map(
        (result) =>
          `| ${result.rows.toLocaleString('en-US')} rows | ${format(result.trendApi)} | ${format(result.trendSql)} | ${ratio(result.trendApi, result.trendSql)} | ${format(result.latestApi)} | ${format(result.latestSql)} | ${ratio(result.latestApi, result.latestSql)} |`,
      ),
      '',
      `10M / 1M trend API median: **${ratio(large.trendApi, small.trendApi)}** (target ≤ 1.3); trend API / SQL at 10M: **${ratio(large.trendApi, large.trendSql)}** (target ≤ 1.5).`,
      '',
      'What the API adds to the SQL (≈ 5–6 ms, measured separately with a CPU profile and in-process timings): the HTTP and Nest pipeline of the endpoint ' +
        "(≈ 1.5 ms; `/health/live` alone costs ≈ 1 ms), node-postgres's extended-protocol round trip and row parsing (≈ 1 ms more than psql), " +
        'summary, anomalies and response mapping (≈ 0.7 ms for 1,667 buckets) and serialising and sending ≈ 140 kB of JSON (≈ 1.5 ms). ' +
        'It is a fixed cost per request and per bucket, not per point: the SQL is the part that grows with the points in range. ' +
        'Medians move by ±10–20 % between runs on this shared machine, so the API / SQL ratio lands either side of 1.5 from run to run.',
      '',
      'The trend statement is an index-only range scan of `ix_model_performance_metrics_series` (model_id, metric_name, recorded_at) INCLUDE (environment, model_version, value); ' +
        'time bucketing is done in SQL (`floor(extract(epoch FROM recorded_at) * 1000 / bucket_ms)`), summary, anomalies and forecast in TypeScript on the bucket rows. `EXPLAIN (ANALYZE, BUFFERS)` at 10M rows:',
      '',
      '```',
      large.plan,
      '```',
      '',
      "`GET /metrics/latest` reads the view `v_latest_model_performance`: a hash aggregate of max(recorded_at) per (model, metric, environment, version) over the model's range of the same index " +
        "(all its points: 5 × 20,000 here, so its cost follows the model's point count), then one index-only probe per series for the value. Its plan at 10M rows:",
      '',
      '```',
      large.latestPlan,
      '```',
    ].join('\n');
    console.log(`\n${report}\n`);
    if (argument('write-docs') > 0) writeDocsSubsection('Trend and latest (`npm run bench:trend`)', report);
  } finally {
    await database.drop();
  }
}

runBenchmark(main);
