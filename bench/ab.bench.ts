/**
 * npm run bench:ab — A/B tests against a real PostgreSQL server, through HTTP.
 *
 * 1. Results latency: GET /ab-test/{id}/results for a test holding 10,000,000 observations (posted as aggregates)
 *    and for one holding 1,000 (posted as raw values), 200 calls each, interleaved; medians and p95.
 *    The results are computed from each variant's sufficient statistics, so both should take the same time.
 * 2. Ingest: 10,000-value batches of raw observations from 2 concurrent clients; values/s and batch latency.
 * 3. Multi-metric results: 5 variants × 20 metrics (1 primary, 15 secondary, 4 guardrails; continuous, binomial and
 *    ratio), posted as per-variant aggregates, for the frequentist and the Bayesian engine, at 1,000 and 100,000,000
 *    observations per metric; BENCH_RESULTS_CALLS calls each, interleaved. CUPED is on for every continuous and binomial
 *    metric (13 of the 20: each unit carries a covariate), the ratio metrics are analysed without it. Each call is timed
 *    twice, alternately first: with fetch + JSON.parse (the client work a dashboard does) and with node:http to the
 *    body's last byte (the least a client can add); the body's size is reported too.
 *
 * The service runs as its own process (`node dist/src/main.js`, built first unless --no-build) on a fresh database created on the server named by
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), dropped at the end.
 * Options (environment): BENCH_RESULTS_CALLS (200), BENCH_INGEST_BATCHES (per client, 50), BENCH_ONLY=multi (part 3 only),
 * BENCH_CPU_PROF=<dir> (the service runs under node --cpu-prof and writes its profile there when it stops).
 * Flags: --no-build (use dist/ as it is), --keep (keep the database, its name printed, to look at its queries).
 */
import { Agent, get as httpGet } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { buildService, hasFlag, ROOT, startService, type RunningService } from './metrics-bench.support';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RESULTS_CALLS = Number(process.env.BENCH_RESULTS_CALLS ?? 200);
const INGEST_BATCHES_PER_CLIENT = Number(process.env.BENCH_INGEST_BATCHES ?? 50);
const INGEST_CLIENTS = 2;
const ONLY_MULTI = process.env.BENCH_ONLY === 'multi';
const BATCH_SIZE = 10_000;
const BIG_TEST_OBSERVATIONS = 10_000_000;
const SMALL_TEST_OBSERVATIONS = 1_000;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Deterministic normal variates (Box–Muller over a small LCG), so every run posts the same data. */
function normalGenerator(seed: number): (mean: number, sd: number) => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 1) / 4294967297;
  };
  return (mean, sd) => mean + sd * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

function summarize(milliseconds: number[]): { median: number; p95: number; min: number; max: number } {
  const sorted = [...milliseconds].sort((left, right) => left - right);
  return { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), min: sorted[0], max: sorted[sorted.length - 1] };
}

class Api {
  constructor(private readonly base: string) {}

  async call(method: string, path: string, body?: string | object): Promise<any> {
    const response = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
    return text.length > 0 ? JSON.parse(text) : null;
  }

  /** Wall time of one call, body read included. */
  async timed(method: string, path: string, body?: string): Promise<number> {
    const started = performance.now();
    await this.call(method, path, body);
    return performance.now() - started;
  }

  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  /**
   * Wall time of one GET with node:http (keep-alive) to the body's last byte, not parsed: the service's latency with
   * as little client work as a client can do; fetch (undici) and JSON.parse of a large body add their own time to
   * `timed`. Returns the time and the body's size in bytes.
   */
  async timedToLastByte(path: string): Promise<{ milliseconds: number; bytes: number }> {
    const started = performance.now();
    return new Promise((done, fail) => {
      httpGet(`${this.base}/api/v1${path}`, { agent: this.agent }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () =>
          response.statusCode === 200
            ? done({ milliseconds: performance.now() - started, bytes })
            : fail(new Error(`GET ${path}: ${response.statusCode}`)),
        );
      }).on('error', fail);
    });
  }
}

async function startTest(api: Api, modelId: string, name: string): Promise<string> {
  const test = await api.call('POST', '/ab-test/start', {
    name,
    modelId,
    primaryMetric: 'latency_ms',
    metricType: 'continuous',
    baselineMean: 120,
    baselineStdDev: 30,
    variants: [
      { name: 'control', modelVersion: 'v1', weight: 1 },
      { name: 'challenger', modelVersion: 'v2', weight: 1 },
    ],
  });
  return test.id as string;
}

/** Aggregates of n draws of N(mean, sd): Σx = n·mean, Σx² = (n − 1)·sd² + n·mean² (a sample with exactly those moments). */
function aggregateOf(variant: string, count: number, mean: number, sd: number) {
  return { variant, count, sum: count * mean, sumSquares: (count - 1) * sd * sd + count * mean * mean };
}

async function benchResults(api: Api, modelId: string) {
  const big = await startTest(api, modelId, 'bench: 10M observations');
  const perPost = 1_000_000;
  for (let posted = 0; posted < BIG_TEST_OBSERVATIONS; posted += 2 * perPost) {
    await api.call('POST', `/ab-test/${big}/observations`, {
      batchId: `big-${posted}`,
      aggregates: [aggregateOf('control', perPost, 120, 30), aggregateOf('challenger', perPost, 119.5, 29)],
    });
  }
  const small = await startTest(api, modelId, 'bench: 1,000 observations');
  const normal = normalGenerator(1);
  const observations = Array.from({ length: SMALL_TEST_OBSERVATIONS }, (_, index) => {
    const variant = index % 2 === 0 ? 'control' : 'challenger';
    return { variant, value: normal(variant === 'control' ? 120 : 119.5, 30) };
  });
  await api.call('POST', `/ab-test/${small}/observations`, { observations });

  const totals = await Promise.all([big, small].map((id) => api.call('GET', `/ab-test/${id}/results`)));
  const counts = totals.map((results) => results.variants.reduce((sum: number, variant: { count: number }) => sum + variant.count, 0));
  if (counts[0] !== BIG_TEST_OBSERVATIONS || counts[1] !== SMALL_TEST_OBSERVATIONS) throw new Error(`unexpected counts ${counts}`);

  for (let warmup = 0; warmup < 20; warmup++) {
    await api.timed('GET', `/ab-test/${big}/results`);
    await api.timed('GET', `/ab-test/${small}/results`);
  }
  const latencies = { big: [] as number[], small: [] as number[] };
  for (let call = 0; call < RESULTS_CALLS; call++) {
    // Alternate which goes first so neither profits from the other's warm caches.
    const order: Array<'big' | 'small'> = call % 2 === 0 ? ['big', 'small'] : ['small', 'big'];
    for (const which of order) latencies[which].push(await api.timed('GET', `/ab-test/${which === 'big' ? big : small}/results`));
  }
  return { big: summarize(latencies.big), small: summarize(latencies.small), recommendation: totals[0].recommendation };
}

const MULTI_VARIANTS = ['control', 'v1', 'v2', 'v3', 'v4'];
const MULTI_METRICS = Array.from({ length: 20 }, (_, index) => ({
  name: `metric_${index}`,
  role: index === 0 ? 'primary' : index >= 16 ? 'guardrail' : 'secondary',
  type: ['continuous', 'binomial', 'ratio'][index % 3],
  ...(index >= 16 ? { tolerance: 0.02, direction: 'lower_is_better' } : {}),
  // CUPED on every metric it applies to (continuous and binomial).
  ...(index % 3 !== 2 ? { covariate: true } : {}),
}));

/** One metric's aggregates for every variant, with `count` units each (moments chosen, not drawn). */
function metricAggregates(type: string, count: number, variantIndex: number) {
  const lift = 1 + 0.01 * variantIndex;
  if (type === 'binomial') {
    const successes = Math.round(count * 0.1 * lift);
    const covariateSuccesses = Math.round(count * 0.1);
    return {
      count,
      sum: successes,
      covariateSum: covariateSuccesses,
      covariateSumSquares: covariateSuccesses,
      covariateSumProducts: Math.round(count * 0.05),
    };
  }
  const mean = 10 * lift;
  const base = { count, sum: count * mean, sumSquares: (count - 1) * 4 + count * mean * mean };
  // Covariate x with mean 5, variance 2 and cov(x, y) = 1.
  if (type !== 'ratio')
    return {
      ...base,
      covariateSum: count * 5,
      covariateSumSquares: (count - 1) * 2 + count * 25,
      covariateSumProducts: count - 1 + count * 5 * mean,
    };
  return {
    ...base,
    denominatorSum: count * 2,
    denominatorSumSquares: count - 1 + count * 4,
    sumProducts: (count - 1) * 0.5 + count * mean * 2,
  };
}

async function startMultiMetricTest(api: Api, modelId: string, engine: string, observationsPerMetric: number): Promise<string> {
  const test = await api.call('POST', '/ab-test/start', {
    name: `bench: 5 × 20, ${engine}, ${observationsPerMetric}`,
    modelId,
    engine,
    metrics: MULTI_METRICS,
    variants: MULTI_VARIANTS.map((name) => ({ name, weight: 1 })),
  });
  const perVariant = observationsPerMetric / MULTI_VARIANTS.length;
  for (const metric of MULTI_METRICS) {
    await api.call('POST', `/ab-test/${test.id}/observations`, {
      metric: metric.name,
      aggregates: MULTI_VARIANTS.map((variant, index) => ({ variant, ...metricAggregates(metric.type, perVariant, index) })),
    });
  }
  return test.id as string;
}

async function benchMultiMetric(api: Api, modelId: string) {
  const cases: Array<{ engine: string; observations: number; id: string }> = [];
  for (const engine of ['frequentist', 'bayesian']) {
    for (const observations of [1_000, 100_000_000])
      cases.push({ engine, observations, id: await startMultiMetricTest(api, modelId, engine, observations) });
  }
  for (const entry of cases) {
    const results = await api.call('GET', `/ab-test/${entry.id}/results`);
    if (results.metrics.length !== 20 || results.comparisons.length !== 4) throw new Error('unexpected multi-metric results shape');
    if (results.comparisons[0].cuped === undefined) throw new Error('CUPED is not on for the primary metric');
    for (let warmup = 0; warmup < 20; warmup++) await api.timed('GET', `/ab-test/${entry.id}/results`);
  }
  const latencies = cases.map((): number[] => []);
  const toLastByte = cases.map((): number[] => []);
  const bytes = cases.map(() => 0);
  // The floor every authenticated GET pays (Express, Nest, guards, logging, one indexed row): the model itself.
  const floor: number[] = [];
  for (let call = 0; call < RESULTS_CALLS; call++) {
    floor.push((await api.timedToLastByte(`/models/${modelId}`)).milliseconds);
    for (let offset = 0; offset < cases.length; offset++) {
      const index = (call + offset) % cases.length;
      const path = `/ab-test/${cases[index].id}/results`;
      // Alternate which client goes first, as the cases do.
      if (call % 2 === 1) latencies[index].push(await api.timed('GET', path));
      const raw = await api.timedToLastByte(path);
      toLastByte[index].push(raw.milliseconds);
      bytes[index] = raw.bytes;
      if (call % 2 === 0) latencies[index].push(await api.timed('GET', path));
    }
  }
  const perCase = cases.map((entry, index) => ({
    engine: entry.engine,
    observations: entry.observations,
    bytes: bytes[index],
    ...summarize(latencies[index]),
    toLastByte: summarize(toLastByte[index]),
  }));
  return { cases: perCase, floor: summarize(floor) };
}

async function benchIngest(api: Api, modelId: string) {
  const testId = await startTest(api, modelId, 'bench: ingest');
  const normal = normalGenerator(2);
  // A few distinct payloads, serialised before the clock starts: the bench measures the service, not JSON.stringify.
  const payloads = Array.from({ length: 4 }, () =>
    JSON.stringify(
      Array.from({ length: BATCH_SIZE }, (_, index) => {
        const variant = index % 2 === 0 ? 'control' : 'challenger';
        return { variant, value: Math.round(normal(120, 30) * 1000) / 1000 };
      }),
    ),
  );
  const body = (client: number, batch: number) =>
    `{"batchId":"ingest-${client}-${batch}","observations":${payloads[(client + batch) % payloads.length]}}`;
  await api.call('POST', `/ab-test/${testId}/observations`, body(99, 0)); // warm-up batch, counted below

  const batchLatencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: INGEST_CLIENTS }, async (_, client) => {
      for (let batch = 0; batch < INGEST_BATCHES_PER_CLIENT; batch++) {
        batchLatencies.push(await api.timed('POST', `/ab-test/${testId}/observations`, body(client, batch)));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const values = INGEST_CLIENTS * INGEST_BATCHES_PER_CLIENT * BATCH_SIZE;
  const test = await api.call('GET', `/ab-test/${testId}`);
  const recorded = test.variants.reduce((sum: number, variant: { count: number }) => sum + variant.count, 0);
  if (recorded !== values + BATCH_SIZE) throw new Error(`ingest lost observations: ${recorded} recorded, ${values + BATCH_SIZE} posted`);
  return { values, seconds, valuesPerSecond: values / seconds, batch: summarize(batchLatencies) };
}

async function main(): Promise<void> {
  const database = `mw_bench_ab_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER_URL });
  await admin.connect();
  const [{ server_version: serverVersion }] = (await admin.query('SHOW server_version')).rows;
  await admin.query(`CREATE DATABASE "${database}"`);
  let service: RunningService | null = null;
  try {
    if (!hasFlag('no-build')) buildService();
    // 2,400 calls in about 15 s would pass the default rate limit (6,000 a minute): the bench measures latency, not it
    process.env.RATE_LIMIT_PER_MINUTE = '0';
    service = await startService(withDatabase(SERVER_URL, database), await freePort());
    const api = new Api(service.baseUrl);
    const model = await api.call('POST', '/models', { name: `bench-ab-${randomBytes(3).toString('hex')}` });

    const results = ONLY_MULTI ? null : await benchResults(api, model.id);
    const ingest = ONLY_MULTI ? null : await benchIngest(api, model.id);
    const multiMetric = await benchMultiMetric(api, model.id);

    const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, PostgreSQL ${serverVersion}`;
    const format = (value: number) => value.toFixed(2);
    const report = [
      `Run ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
      '',
      ...(results === null || ingest === null ? [] : singleMetricReport(results, ingest, format)),
      `| GET results, 5 variants × 20 metrics, CUPED on (${RESULTS_CALLS} calls each) | median ms | p95 ms | min ms | max ms | node:http to last byte: median / p95 ms | body bytes |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...multiMetric.cases.map(
        (entry) =>
          `| ${entry.engine}, ${entry.observations.toLocaleString('en-US')} observations per metric | ${format(entry.median)} | ${format(entry.p95)} | ${format(entry.min)} | ${format(entry.max)} | ${format(entry.toLastByte.median)} / ${format(entry.toLastByte.p95)} | ${entry.bytes.toLocaleString('en-US')} |`,
      ),
      '',
      `Floor, \`GET /api/v1/models/{id}\` with node:http to the last byte, interleaved: median ${format(multiMetric.floor.median)} ms, p95 ${format(multiMetric.floor.p95)} ms.`,
    ].join('\n');
    console.log(report);
    mkdirSync(resolve(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      resolve(ROOT, 'bench', 'results', 'ab.json'),
      JSON.stringify({ date: new Date().toISOString(), machine, results, ingest, multiMetric }, null, 2),
    );
  } finally {
    if (service) await service.stop();
    if (hasFlag('keep')) console.log(`kept database ${database}`);
    else await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
}

function singleMetricReport(
  results: Awaited<ReturnType<typeof benchResults>>,
  ingest: Awaited<ReturnType<typeof benchIngest>>,
  format: (value: number) => string,
): string[] {
  return [
    `| GET /ab-test/{id}/results (${RESULTS_CALLS} calls each) | median ms | p95 ms | min ms | max ms |`,
    '| --- | ---: | ---: | ---: | ---: |',
    `| test holding 10,000,000 observations | ${format(results.big.median)} | ${format(results.big.p95)} | ${format(results.big.min)} | ${format(results.big.max)} |`,
    `| test holding 1,000 observations | ${format(results.small.median)} | ${format(results.small.p95)} | ${format(results.small.min)} | ${format(results.small.max)} |`,
    '',
    `| ingest: ${INGEST_CLIENTS} clients × ${INGEST_BATCHES_PER_CLIENT} batches × ${BATCH_SIZE.toLocaleString('en-US')} values | result |`,
    '| --- | ---: |',
    `| values/s | ${Math.round(ingest.valuesPerSecond).toLocaleString('en-US')} |`,
    `| batch latency median / p95 (ms) | ${format(ingest.batch.median)} / ${format(ingest.batch.p95)} |`,
    `| wall time for ${ingest.values.toLocaleString('en-US')} values (s) | ${ingest.seconds.toFixed(1)} |`,
    '',
    '',
  ];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
