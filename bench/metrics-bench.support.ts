/**
 * Shared plumbing of the benchmarks that run the service (bench:ingest, bench:trend, bench:predictions, bench:cbpe,
 * bench:realized, …): command-line options, a dedicated database on the real PostgreSQL server, the service started
 * as its own process from the compiled dist/ (so its memory is measured alone), HTTP and timing helpers and the
 * docs/benchmarks.md section writer.
 */
import { spawn, spawnSync, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from 'src/database/data-source-options';
import { runMigrations } from 'src/database/migrator';
import { monthBounds, monthOf, partitionName } from 'src/database/monthly-partitions.policy';

export const ROOT = resolve(__dirname, '..');
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** `--name N` on the command line (`npm run bench:… -- --name N`), or the fallback. */
export function numberOption(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
}

/** Whether `--name` is on the command line. */
export function hasFlag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  return withClient(SERVER_URL, work);
}

/** A fresh, migrated database; drop() removes it. */
export async function createBenchDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  await admin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  const url = databaseUrl(name);
  const dataSource = new DataSource(buildDataSourceOptions(url, 1));
  await dataSource.initialize();
  await runMigrations(dataSource).finally(() => dataSource.destroy());
  return { url, drop: () => admin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))) };
}

/**
 * Creates the month partitions of a monthly partitioned table (model_performance_metrics, model_predictions) for
 * every month in [from, to], as the service would on demand: SQL loads then land in their month, not the default.
 */
export async function createMonthPartitions(client: Client, parent: string, from: Date | number, to: Date | number): Promise<void> {
  for (let month = monthOf(from); month <= monthOf(to); month = monthOf(monthBounds(month).to)) {
    const bounds = monthBounds(month);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${partitionName(month, parent)} PARTITION OF ${parent}
         FOR VALUES FROM ('${bounds.from.toISOString()}') TO ('${bounds.to.toISOString()}')`,
    );
  }
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Registers binary classification models with these names; their ids, in the same order. */
export function createBinaryModels(url: string, names: string[]): Promise<string[]> {
  return createModels(url, names, 'binary_classification');
}

/** Registers models of one task type with these names; their ids, in the same order. */
export function createModels(url: string, names: string[], taskType: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO models (name, task_type)
       SELECT name, $2 FROM unnest($1::text[]) WITH ORDINALITY AS given (name, position) ORDER BY position
       RETURNING id`,
      [names, taskType],
    );
    return rows.map((row) => row.id);
  });
}

/** Compiles the service once (nest build → dist/), as `npm start` does. */
export function buildService(): void {
  const result = spawnSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('nest build failed');
}

export interface RunningService {
  baseUrl: string;
  pid: number;
  /** Peak resident set size of the service process so far (VmHWM), in bytes. */
  peakRssBytes(): number;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/src/main.js` on the database and waits until /health/ready answers 200.
 * BENCH_CPU_PROF=<dir> runs it under `node --cpu-prof` (as bench:ab does), a profile per thread written at exit.
 */
export async function startService(url: string, port: number): Promise<RunningService> {
  const main = resolve(ROOT, 'dist/src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run buildService() first`);
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, main], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', API_KEYS: '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const status = await request('GET', `${baseUrl}/health/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) break;
    if (attempt > 300 || child.exitCode !== null) throw new Error('the service did not become ready');
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    baseUrl,
    pid: child.pid!,
    peakRssBytes: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024,
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Runs work against the service started on the database (on a port in 39000–39999) and stops the service after. */
export async function withService<T>(url: string, work: (service: RunningService) => Promise<T>): Promise<T> {
  const service = await startService(url, 39_000 + Math.floor(Math.random() * 1000));
  try {
    return await work(service);
  } finally {
    await service.stop();
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** One HTTP request over a keep-alive connection; resolves with the status and body text. */
export function request(method: string, url: string, body?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const outgoing = http.request(
      url,
      { method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': body.length } : {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', fail);
      },
    );
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

/** One request that must answer `expected`; resolves with the body text. */
export async function expectStatus(method: string, url: string, expected: number, body?: Buffer): Promise<string> {
  const response = await request(method, url, body);
  if (response.status !== expected) throw new Error(`${method} ${url} answered ${response.status}: ${response.text.slice(0, 300)}`);
  return response.text;
}

/** One warm-up GET of `url`, then `runs` timed ones, each of which must answer 200: their times in ms and the last body. */
export async function timeGets(url: string, runs: number): Promise<{ times: number[]; text: string }> {
  let text = await expectStatus('GET', url, 200);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push(await timeMs(async () => (text = await expectStatus('GET', url, 200))));
  return { times, text };
}

/** `clients` workers, each posting the next unsent body to `path` until none is left; the sum of the answers' `recorded`. */
export async function postBatches(baseUrl: string, path: string, bodies: Buffer[], clients: number): Promise<number> {
  let next = 0;
  let recorded = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const text = await expectStatus('POST', `${baseUrl}${path}`, 201, bodies[next++]);
      recorded += (JSON.parse(text) as { recorded: number }).recorded;
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  return recorded;
}

/**
 * One long-lived psql session with \timing on: time(sql) runs a statement and resolves with the duration
 * psql reports (the round trip from psql to the server, result included; the rows go to /dev/null).
 */
export class PsqlSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private output = '';
  private errors = '';
  private waiting: { done: (ms: number) => void; fail: (error: Error) => void } | null = null;

  constructor(url: string) {
    this.child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url]);
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => (this.errors += chunk));
    this.child.stdout.on('data', (chunk: string) => {
      this.output += chunk;
      const match = /Time: ([\d.]+) ms/.exec(this.output);
      if (!match || !this.waiting) return;
      this.output = this.output.slice(match.index + match[0].length);
      const { done } = this.waiting;
      this.waiting = null;
      done(Number(match[1]));
    });
    this.child.on('exit', (code) => this.waiting?.fail(new Error(`psql exited with ${code}: ${this.errors}`)));
    this.child.stdin.write('\\timing on\n\\o /dev/null\n');
  }

  time(sql: string): Promise<number> {
    return new Promise((done, fail) => {
      this.waiting = { done, fail };
      this.child.stdin.write(`${sql.trim().replace(/;?$/, ';')}\n`);
    });
  }

  close(): Promise<void> {
    return new Promise((done) => {
      this.child.once('exit', () => done());
      this.child.stdin.end('\\q\n');
    });
  }
}

/** Runs a psql command (e.g. \copy) and returns its wall time in ms. */
export function psqlWallTime(url: string, command: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', command], { encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return elapsed;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** "2 cores, 24 GiB, Node v20…, PostgreSQL 15.x" for the report. */
export async function describeMachine(url: string): Promise<string> {
  const version = await withClient(
    url,
    async (client) => (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version,
  );
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, PostgreSQL ${version.split(' ')[0]} (local server, default settings); the machine is shared, 1-minute load average ${loadavg()[0].toFixed(1)} when the run ended`;
}

const DOC = resolve(ROOT, 'docs/benchmarks.md');
const SECTION = '## Metrics ingest and trend';

/** Replaces (or appends) the `### <heading>` subsection of "## Metrics ingest and trend" in docs/benchmarks.md. */
export function writeDocsSubsection(heading: string, body: string): void {
  let text = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  if (!text.includes(SECTION))
    text = `${text.trimEnd()}\n\n${SECTION}\n\nMeasured by \`npm run bench:ingest\` and \`npm run bench:trend\` (bench/ingest.bench.ts, bench/trend.bench.ts) against a real PostgreSQL server; each rewrites its subsection.\n`;
  const start = text.indexOf(SECTION);
  const nextSection = text.indexOf('\n## ', start + SECTION.length);
  const sectionEnd = nextSection === -1 ? text.length : nextSection + 1;
  let section = text.slice(start, sectionEnd);
  const subsection = `### ${heading}`;
  const block = `${subsection}\n\n${body.trim()}\n`;
  const subStart = section.indexOf(subsection);
  if (subStart === -1) {
    section = `${section.trimEnd()}\n\n${block}`;
  } else {
    const subEnd = section.indexOf('\n### ', subStart + subsection.length);
    section = `${section.slice(0, subStart)}${block}${subEnd === -1 ? '' : `\n${section.slice(subEnd + 1)}`}`;
  }
  text = `${text.slice(0, start)}${section.trimEnd()}\n${nextSection === -1 ? '' : `\n${text.slice(sectionEnd)}`}`;
  mkdirSync(dirname(DOC), { recursive: true });
  writeFileSync(DOC, text.endsWith('\n') ? text : `${text}\n`);
}

/** Runs a benchmark's main() and exits with its outcome (pools and child processes may keep the loop alive). */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * runBenchmark for a benchmark on its own database: compiles the service unless `--no-build`, creates the fresh,
 * migrated database `name`, runs work on its URL and drops the database whatever happened.
 */
export function runBenchmarkOnDatabase(name: string, work: (url: string) => Promise<void>): void {
  runBenchmark(async () => {
    if (!hasFlag('no-build')) buildService();
    const database = await createBenchDatabase(name);
    try {
      await work(database.url);
    } finally {
      await database.drop();
    }
  });
}
