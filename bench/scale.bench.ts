/**
 * npm run bench:scale [-- --days N --series-step S --total N --series N --full --keep --reuse --no-build --write-docs]: the metrics
 * store at scale (issue 16).
 * The layout: one series at 1 Hz (or one point every S seconds) over N days (default 14: 1.2 M points) and, when --total asks for more points than
 * that, the rest spread over --series − 1 other series (default 10,000 in all), each reporting every 10 s for a
 * stretch that starts somewhere in the range (a sparse series would give one minute-rollup row per point, which is
 * not what a rollup is for). --full is the issue's load: --days 365 --total 100000000 --series 10000.
 * The points and their inbox rows are loaded with SQL a day-slice at a time while the service's rollup worker folds
 * them (at most one slice waits in the inbox); then through the running service: the 1 Hz series' trend at 1d buckets
 * (p95) over the whole range and at 1h over its last 7 days, GET /metrics/latest, the raw-path SQL of the long trend
 * for comparison, ingest through the API (rollups on) against \copy, and a month-partition drop during ingest.
 * --keep leaves the database (mw_bench_scale) for a later --reuse, which measures without loading again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { bucketAggregateQuery } from 'src/metrics/metric-points.repository';
import { monthBounds, monthOf, partitionName } from 'src/database/monthly-partitions.policy';
import { SKETCH_OF } from 'src/metrics/metric-rollups.repository';
import { MetricAggregation } from 'src/metrics/metrics.types';
import {
  buildService,
  createBenchDatabase,
  createMonthPartitions,
  databaseUrl,
  describeMachine,
  hasFlag,
  median,
  numberOption,
  psqlWallTime,
  request,
  runBenchmark,
  startService,
  timeMs,
  withClient,
  writeDocsSubsection,
} from 'bench/metrics-bench.support';

const FULL = hasFlag('full');
const DAYS = numberOption('days', FULL ? 365 : 14);
/** Seconds between the long series' points (1: the issue's 1 Hz; more, for a quick run of the same read shape). */
const SERIES_STEP_S = numberOption('series-step', 1);
const SERIES_POINTS = DAYS * Math.floor(86_400 / SERIES_STEP_S);
const TOTAL = numberOption('total', FULL ? 100_000_000 : SERIES_POINTS);
const SERIES = TOTAL > SERIES_POINTS ? numberOption('series', 10_000) : 1;
const OTHER_MODELS = 100;
const OTHER_STEP_S = 10;
const DAY_MS = 86_400_000;
const INGEST_POINTS = 100_000;
const BATCH = 2_000;
const RUNS = 31;
const WARM_UP = 20;
const RETAINED_POINTS = 200_000;
const DATABASE = 'mw_bench_scale';
/**
 * Rollups built set-based after the load (as migration 1796100000000 builds them for an existing table), month
 * partition by month partition, instead of through the inbox and the worker: at 100 M points the worker path took
 * about 110 minutes on this machine (≈ 15,000 points/s folded), more than a session has.
 */
const BULK_ROLLUPS = FULL || hasFlag('bulk-rollups');

/** What a load left in the database, so that --reuse measures the same layout. */
interface Layout {
  from: number;
  to: number;
  days: number;
  total: number;
  series: number;
  /** Seconds between the long series' points (absent in layouts stored before the option: 1). */
  seriesStepS?: number;
  seriesModel: string;
  ingestModel: string;
  otherModel: string | null;
  loadMs: number;
  insertMs: number;
  /** The set-based rollup build of a bulk load (0 when the worker folded the inbox). */
  rollupMs: number;
  vacuumMs: number;
}

/**
 * Minute, hour and day rollups of every loaded point, one month partition and resolution per statement (no bucket
 * spans two months), and metric_latest from the day rollups' last values; the time it took.
 */
async function buildRollups(url: string, from: number, to: number): Promise<number> {
  return timeMs(() =>
    withClient(url, async (client) => {
      // A month's grouping sorts in memory (the load's session only; the measured reads run with the defaults).
      await client.query(`SET work_mem = '1GB'`);
      for (let month = monthOf(from); month <= monthOf(to); month = monthOf(monthBounds(month).to)) {
        for (const [resolution, seconds] of [
          ['minute', 60],
          ['hour', 3600],
          ['day', 86400],
        ] as const) {
          await client.query(
            `INSERT INTO metric_rollups (model_id, metric_name, environment, model_version, segment, resolution, bucket_start,
               count, sum, sum_squares, min, max, last_value, last_at, sketch)
             SELECT model_id, metric_name, environment, model_version, segment, '${resolution}',
                    to_timestamp(floor(extract(epoch FROM recorded_at) / ${seconds}) * ${seconds}) AS bucket_start,
                    count(*), sum(value), sum(value * value), min(value), max(value),
                    (array_agg(value ORDER BY recorded_at DESC, value DESC))[1], max(recorded_at), ${SKETCH_OF('array_agg(value)')}
             FROM ${partitionName(month, 'model_performance_metrics')}
             GROUP BY model_id, metric_name, environment, model_version, segment, bucket_start`,
          );
        }
        console.log(`${new Date().toISOString()} rollups of ${month} built`);
      }
      await client.query(
        `INSERT INTO metric_latest (model_id, metric_name, environment, model_version, value, recorded_at)
         SELECT DISTINCT ON (model_id, metric_name, environment, model_version) model_id, metric_name, environment, model_version, last_value, last_at
         FROM metric_rollups WHERE resolution = 'day'
         ORDER BY model_id, metric_name, environment, model_version, last_at DESC, last_value DESC`,
      );
    }),
  );
}

/** The 1 Hz series and the other series, loaded a day-slice at a time while the running service folds the inbox. */
async function load(url: string, inboxCount: (cap?: number) => Promise<number>): Promise<Layout> {
  const to = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const from = to - DAYS * DAY_MS;
  const others = TOTAL - SERIES_POINTS;
  const otherSeries = Math.max(SERIES - 1, 1);
  const perOther = Math.ceil(others / otherSeries);
  // Each other series starts at from + s * spread and reports every 10 s, so every point stays inside the range.
  const spreadMs = Math.max(0, (to - from - perOther * OTHER_STEP_S * 1000) / otherSeries);
  const models = await withClient(url, async (client) => {
    const names = ['scale-series', 'scale-ingest', ...Array.from({ length: others > 0 ? OTHER_MODELS : 0 }, (_, i) => `scale-m${i}`)];
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO models (name) SELECT name FROM unnest($1::text[]) WITH ORDINALITY AS given (name, position) ORDER BY position RETURNING id`,
      [names],
    );
    await createMonthPartitions(client, 'model_performance_metrics', from, to + 60 * DAY_MS);
    return rows.map((row) => row.id);
  });
  const [seriesModel, ingestModel, ...otherModels] = models;
  let insertMs = 0;
  const loadMs = await timeMs(async () => {
    for (let day = 0; day < DAYS; day++) {
      // At most one slice waits in the inbox: the load runs beside the worker, not ahead of it.
      const slice = Math.ceil(TOTAL / DAYS);
      while (!BULK_ROLLUPS && day > 0 && (await inboxCount(slice + 1)) > slice) await new Promise((r) => setTimeout(r, 1000));
      const first = Math.floor((day * others) / DAYS);
      const last = Math.floor(((day + 1) * others) / DAYS);
      insertMs += await timeMs(() =>
        withClient(url, (client) =>
          client.query(
            `WITH loaded AS (
               INSERT INTO model_performance_metrics (model_id, metric_name, value, recorded_at)
               SELECT $1::uuid, 'latency', 40 + 20 * random() + (i % 600) / 60.0,
                      to_timestamp(($2::float8 + $3::float8) / 1000) + i * ${SERIES_STEP_S} * interval '1 second'
               FROM generate_series(0, ${Math.floor(86_400 / SERIES_STEP_S) - 1}) i
               UNION ALL
               SELECT ($4::uuid[])[1 + s % ${OTHER_MODELS}], 'x' || (s / ${OTHER_MODELS}), 10 + 5 * random(),
                      to_timestamp(($2::float8 + floor(s * $5::float8) + k * ${OTHER_STEP_S * 1000}) / 1000)
               FROM (SELECT j % $6 AS s, j / $6 AS k FROM generate_series($7::bigint, $8::bigint - 1) j) other
               RETURNING model_id, model_version, metric_name, environment, segment, value, recorded_at
             )
             ${BULK_ROLLUPS ? 'SELECT count(*) FROM loaded' : 'INSERT INTO metric_rollup_inbox (model_id, model_version, metric_name, environment, segment, value, recorded_at) SELECT * FROM loaded'}`,
            [seriesModel, from, day * DAY_MS, otherModels, spreadMs, otherSeries, first, last],
          ),
        ),
      );
      if (day % 30 === 29)
        console.log(`${new Date().toISOString()} loaded day ${day + 1} of ${DAYS}, inbox ${await inboxCount(1_000_000)}`);
    }
    for (const end = Date.now() + 3_600_000; Date.now() < end && (await inboxCount(1)) > 0;) await new Promise((r) => setTimeout(r, 200));
  });
  const rollupMs = BULK_ROLLUPS ? await buildRollups(url, from, to) : 0;
  // Every point inside a month partition and folded once: the load is what it says.
  const [check] = await withClient(
    url,
    async (client) =>
      (
        await client.query<{ stray: number; folded: string }>(
          `SELECT (SELECT count(*)::int FROM model_performance_metrics_default) AS stray,
              (SELECT sum(count) FROM metric_rollups WHERE resolution = 'day') AS folded`,
        )
      ).rows,
  );
  if (check.stray !== 0 || Number(check.folded) !== TOTAL)
    throw new Error(`load check: ${check.stray} points in the default partition, ${check.folded} folded of ${TOTAL}`);
  const vacuumMs = await timeMs(() =>
    withClient(url, async (client) => {
      await client.query('VACUUM ANALYZE model_performance_metrics');
      await client.query('VACUUM ANALYZE metric_rollups');
      await client.query('VACUUM ANALYZE metric_rollup_inbox');
    }),
  );
  const layout: Layout = {
    from,
    to,
    days: DAYS,
    total: TOTAL,
    series: SERIES,
    seriesStepS: SERIES_STEP_S,
    seriesModel,
    ingestModel,
    otherModel: otherModels[0] ?? null,
    loadMs,
    insertMs,
    rollupMs,
    vacuumMs,
  };
  await withClient(url, async (client) => {
    await client.query('CREATE TABLE bench_scale_layout (layout jsonb NOT NULL)');
    await client.query('INSERT INTO bench_scale_layout VALUES ($1)', [JSON.stringify(layout)]);
  });
  return layout;
}

async function main(): Promise<void> {
  if (!hasFlag('no-build')) buildService();
  const reuse = hasFlag('reuse');
  const database = reuse ? { url: databaseUrl(DATABASE), drop: async () => undefined } : await createBenchDatabase(DATABASE);
  const scratch = mkdtempSync(join(tmpdir(), 'mw-scale-'));
  // One polling connection, no parallel scan: the load waits on the worker without competing with it for the cores.
  const poller = new Client({ connectionString: database.url });
  await poller.connect();
  await poller.query('SET max_parallel_workers_per_gather = 0');
  /** Points in the inbox, counted up to `cap` (a bounded scan). */
  const inboxCount = async (cap = 2 ** 31 - 1) =>
    (await poller.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM metric_rollup_inbox LIMIT $1) inbox', [cap])).rows[0]
      .n;
  try {
    const service = await startService(database.url, 39_000 + Math.floor(Math.random() * 1000));
    try {
      const layout: Layout = reuse
        ? await withClient(
            database.url,
            async (client) => (await client.query<{ layout: Layout }>('SELECT layout FROM bench_scale_layout')).rows[0].layout,
          )
        : await load(database.url, inboxCount);
      const { from, to, seriesModel, ingestModel } = layout;
      const points = layout.total;
      const get = async (path: string) => {
        const response = await request('GET', `${service.baseUrl}${path}`);
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.text.slice(0, 300)}`);
        return JSON.parse(response.text) as { source?: string; points?: unknown[] };
      };
      // A running service answers its reads warm: the first calls (JIT, plan and connection caches) are left out.
      const timed = async (path: string) => {
        for (let warm = 0; warm < WARM_UP; warm++) await get(path);
        const times: number[] = [];
        let body: { source?: string; points?: unknown[] } = {};
        for (let run = 0; run < RUNS; run++) times.push(await timeMs(async () => (body = await get(path))));
        return { ms: median(times), body };
      };
      const trendPath = (rangeFrom: number, bucket: string) =>
        `/api/v1/metrics/trend?modelId=${seriesModel}&metricName=latency&aggregation=p95&bucket=${bucket}` +
        `&from=${new Date(rangeFrom).toISOString()}&to=${new Date(to).toISOString()}`;
      const sizes = await withClient(database.url, async (client) => {
        const { rows } = await client.query<{ table_bytes: string; index_bytes: string; rollup_bytes: string; rollup_rows: number }>(
          `SELECT (SELECT sum(pg_table_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'model_performance_metrics'::regclass) AS table_bytes,
                  (SELECT sum(pg_indexes_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'model_performance_metrics'::regclass) AS index_bytes,
                  pg_total_relation_size('metric_rollups') AS rollup_bytes, (SELECT count(*)::int FROM metric_rollups) AS rollup_rows`,
        );
        return rows[0];
      });
      const shortDays = Math.min(7, layout.days);

      const longTrend = await timed(trendPath(from, '1d'));
      const shortTrend = await timed(trendPath(to - shortDays * DAY_MS, '1h'));
      const latest = await timed(`/api/v1/metrics/latest?modelId=${seriesModel}`);
      const otherLatest = layout.otherModel ? await timed(`/api/v1/metrics/latest?modelId=${layout.otherModel}`) : null;
      // The raw path of the long trend: the statement the service would send without rollups.
      const rawQuery = bucketAggregateQuery(
        { modelId: seriesModel, metricName: 'latency', environment: 'production', from: new Date(from), to: new Date(to) },
        DAY_MS,
        MetricAggregation.P95,
      );
      const rawTimes: number[] = [];
      await withClient(database.url, async (client) => {
        for (let run = 0; run < (points > 10_000_000 ? 1 : 3); run++)
          rawTimes.push(await timeMs(() => client.query(rawQuery.sql, rawQuery.parameters)));
      });
      const nonce = randomUUID().slice(0, 8);
      // Ingest with rollups on against \copy of the same rows (\copy writes points only: the API's statement also
      // appends them to the rollup inbox and the worker folds them while ingest runs, on the same 2 cores).
      const start = to - DAY_MS;
      const rows = Array.from({ length: INGEST_POINTS }, (_, i) => ({
        modelId: ingestModel,
        metricName: `m${i % 20}`,
        value: (i % 977) / 10,
        recordedAt: new Date(start + Math.floor(i / 20) * 1000).toISOString(),
        idempotencyKey: `${nonce}-k${i}`,
      }));
      const bodies: Buffer[] = [];
      for (let offset = 0; offset < rows.length; offset += BATCH)
        bodies.push(Buffer.from(JSON.stringify({ points: rows.slice(offset, offset + BATCH) })));
      /** Posts the bodies with 2 clients; the time of each request, and the total. */
      const postAll = async (list: Buffer[]) => {
        const times: number[] = [];
        let next = 0;
        const totalMs = await timeMs(async () => {
          const client = async () => {
            while (next < list.length) {
              const body = list[next++];
              const began = performance.now();
              const response = await request('POST', `${service.baseUrl}/api/v1/metrics/record`, body);
              times.push(performance.now() - began);
              if (response.status !== 201) throw new Error(`record answered ${response.status}`);
            }
          };
          await Promise.all([client(), client()]);
        });
        return { times, totalMs };
      };
      const p99 = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(0.99 * (times.length - 1))];
      const { times: ingestTimes, totalMs: apiMs } = await postAll(bodies);
      const inboxAtEnd = await inboxCount();
      const catchUpMs = await timeMs(async () => {
        for (const end = Date.now() + 300_000; Date.now() < end && (await inboxCount()) > 0;)
          await new Promise((resolve) => setTimeout(resolve, 50));
      });

      // Retention: a whole month partition (2020-01, RETAINED_POINTS points) dropped as the maintenance job drops it
      // (DROP TABLE under the partition lock), 1 s into a second API ingest of the same size.
      const oldMonth = '2020-01';
      await withClient(database.url, async (client) => {
        const bounds = monthBounds(oldMonth);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${partitionName(oldMonth, 'model_performance_metrics')} PARTITION OF model_performance_metrics
             FOR VALUES FROM ('${bounds.from.toISOString()}') TO ('${bounds.to.toISOString()}')`,
        );
        await client.query(
          `INSERT INTO model_performance_metrics (model_id, metric_name, value, recorded_at)
           SELECT $1, 'old', i, $2::timestamptz + i * interval '1 second' FROM generate_series(0, $3 - 1) i`,
          [ingestModel, bounds.from, RETAINED_POINTS],
        );
      });
      const secondBodies = bodies.map((body) => Buffer.from(body.toString().replace(/-k(\d+)"/g, '-r$1"')));
      let dropMs = 0;
      const [duringDrop] = await Promise.all([
        postAll(secondBodies),
        (async () => {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          dropMs = await timeMs(() =>
            withClient(database.url, async (client) => {
              await client.query('BEGIN');
              await client.query(`SELECT pg_advisory_xact_lock(hashtext('metrics:partitions'))`);
              await client.query(`DROP TABLE ${partitionName(oldMonth, 'model_performance_metrics')}`);
              await client.query('COMMIT');
            }),
          );
        })(),
      ]);
      const csvPath = join(scratch, 'points.csv');
      writeFileSync(
        csvPath,
        rows.map((row) => `${ingestModel},${row.metricName},${row.value},${row.recordedAt},copy-${row.idempotencyKey}`).join('\n') + '\n',
      );
      const copyMs = psqlWallTime(
        database.url,
        `\\copy model_performance_metrics(model_id, metric_name, value, recorded_at, idempotency_key) FROM '${csvPath}' WITH (FORMAT csv)`,
      );
      const apiRate = INGEST_POINTS / (apiMs / 1000);
      const copyRate = INGEST_POINTS / (copyMs / 1000);
      const machine = await describeMachine(database.url);
      const perPoint = (bytes: string) => (Number(bytes) / points).toFixed(1);
      const rate = (layout.seriesStepS ?? 1) === 1 ? '1 Hz' : `one point every ${layout.seriesStepS} s`;
      const loaded =
        layout.series > 1
          ? `${layout.series.toLocaleString('en-US')} series: one at ${rate} over ${layout.days} days, the other ${(layout.series - 1).toLocaleString('en-US')} every 10 s for a stretch each`
          : `one series at ${rate} over ${layout.days} days`;
      const report = [
        `Run ${new Date().toISOString().slice(0, 16)}Z on ${machine}.${reuse ? ' Measured on the database an earlier run loaded (`--reuse`).' : ''}`,
        '',
        `**Scale: ${points.toLocaleString('en-US')} points** (${loaded}).`,
        '',
        '| what | result |',
        '| --- | ---: |',
        layout.rollupMs > 0
          ? `| load: SQL inserts a day-slice of points at a time | ${(layout.loadMs / 1000).toFixed(0)} s |`
          : `| load: SQL inserts a day-slice of points and inbox rows at a time while the service's rollup worker folds them, from the first insert to an empty inbox | ${(layout.loadMs / 1000).toFixed(0)} s |`,
        `| of which the INSERT statements | ${(layout.insertMs / 1000).toFixed(0)} s |`,
        ...(layout.rollupMs > 0
          ? [
              `| then the minute/hour/day rollups built set-based per month partition (as migration 1796100000000 does; no worker) | ${(layout.rollupMs / 1000).toFixed(0)} s |`,
            ]
          : []),
        `| then VACUUM ANALYZE of the points, rollups and inbox | ${(layout.vacuumMs / 1000).toFixed(0)} s |`,
        `| load rate, points/s (in rollups) | ${Math.round(points / ((layout.loadMs + layout.rollupMs) / 1000)).toLocaleString('en-US')} |`,
        `| rollup rows (minute, hour, day) | ${sizes.rollup_rows.toLocaleString('en-US')} |`,
        `| table / index / rollups, bytes per point | ${perPoint(sizes.table_bytes)} / ${perPoint(sizes.index_bytes)} / ${perPoint(sizes.rollup_bytes)} |`,
        `| table + index + rollups, total | ${((Number(sizes.table_bytes) + Number(sizes.index_bytes) + Number(sizes.rollup_bytes)) / 2 ** 30).toFixed(1)} GiB |`,
        `| \`GET /metrics/trend\` of the ${rate} series, ${layout.days} d at 1d buckets, p95, median of ${RUNS} (source: ${longTrend.body.source}) | ${longTrend.ms.toFixed(1)} ms |`,
        `| \`GET /metrics/trend\` ${shortDays} d at 1h buckets, p95, median of ${RUNS} (source: ${shortTrend.body.source}) | ${shortTrend.ms.toFixed(1)} ms |`,
        `| long / short | ${(longTrend.ms / shortTrend.ms).toFixed(2)} (target ≤ 1.5) |`,
        `| the same ${layout.days}-day trend on the raw path (the service's raw SQL, percentile_cont, median of ${rawTimes.length}) | ${median(rawTimes).toFixed(0)} ms |`,
        `| \`GET /metrics/latest\` of the ${rate} series' model | ${latest.ms.toFixed(1)} ms |`,
        ...(otherLatest
          ? [`| \`GET /metrics/latest\` of a model with ${Math.ceil((layout.series - 1) / 100)} series | ${otherLatest.ms.toFixed(1)} ms |`]
          : []),
        `| ingest through the API, rollups on (inbox + worker) (${INGEST_POINTS.toLocaleString('en-US')} points, ${BATCH} per request, 2 clients, idempotency key on every point) | ${Math.round(apiRate).toLocaleString('en-US')} points/s |`,
        `| points still in the inbox when the last request was answered; the worker's catch-up from there | ${inboxAtEnd.toLocaleString('en-US')}; ${(catchUpMs / 1000).toFixed(1)} s |`,
        `| \`\\copy\` of the same rows (points only) | ${Math.round(copyRate).toLocaleString('en-US')} points/s |`,
        `| API / \\copy | **${((apiRate / copyRate) * 100).toFixed(0)} %** (target ≥ 70 %) |`,
        `| p99 / max of one ingest request | ${p99(ingestTimes).toFixed(0)} / ${Math.max(...ingestTimes).toFixed(0)} ms |`,
        `| retention: DROP TABLE of a month partition (${RETAINED_POINTS.toLocaleString('en-US')} points) under the partition lock, 1 s into a second ingest of the same size | ${dropMs.toFixed(0)} ms |`,
        `| p99 / max of one ingest request during that second ingest | ${p99(duringDrop.times).toFixed(0)} / ${Math.max(...duringDrop.times).toFixed(0)} ms |`,
        `| peak RSS of the service | ${Math.round(service.peakRssBytes() / 2 ** 20)} MB |`,
      ].join('\n');
      console.log(`\n${report}\n`);
      if (hasFlag('write-docs')) writeDocsSubsection('Scale (`npm run bench:scale`)', report);
    } finally {
      await service.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await poller.end();
    if (!hasFlag('keep') && !reuse) await database.drop();
  }
}

runBenchmark(main);
