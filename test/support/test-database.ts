import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from 'src/database/data-source-options';
import { runMigrations } from 'src/database/migrator';
import { startEmbeddedPostgresChild } from 'test/support/embedded-child';
import { embeddedTemplatePath } from 'test/support/embedded-template';

export interface TestDatabase {
  url: string;
  kind: 'server' | 'embedded';
  drop(): Promise<void>;
}

const TEMPLATE_LOCK_KEY = 7_346_002;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A database of its own for one test file, already migrated.
 * With DATABASE_URL (a real server): a clone of a template migrated once per `jest` run.
 * Without it: an in-memory embedded PostgreSQL (PGlite, in a child process) on a random port, migrated here.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  const runId = process.env.MW_TEST_RUN_ID ?? 'adhoc';
  if (!serverUrl) {
    const embedded = await startMigratedEmbedded(runId);
    return { url: embedded.url, kind: 'embedded', drop: () => embedded.stop() };
  }
  const template = `mw_tpl_${runId}`;
  const name = `mw_test_${runId}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // Template creation and cloning are serialised: CREATE DATABASE … TEMPLATE needs the template idle.
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE "${template}"`);
      const dataSource = new DataSource(buildDataSourceOptions(withDatabase(serverUrl, template), 2));
      await dataSource.initialize();
      await runMigrations(dataSource).finally(() => dataSource.destroy());
    }
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]).catch(() => undefined);
    await admin.end();
  }
  return {
    url: withDatabase(serverUrl, name),
    kind: 'server',
    async drop() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => client.end());
    },
  };
}

/**
 * The embedded counterpart of the server's template database: the first file of a run migrates an empty cluster and
 * dumps it; every later file starts its own in-memory PGlite from that dump, skipping initdb and the migrations
 * (measured at load 4 on 2 cores: 7.8 s for the first file, 2.4–2.6 s for each later one). A lock file serialises the first build across jest workers.
 */
async function startMigratedEmbedded(runId: string) {
  const template = embeddedTemplatePath(runId);
  if (existsSync(template)) return startEmbeddedPostgresChild(12, template);
  const releaseLock = await lockFile(`${template}.lock`);
  try {
    if (existsSync(template)) return startEmbeddedPostgresChild(12, template);
    const embedded = await startEmbeddedPostgresChild();
    const dataSource = new DataSource(buildDataSourceOptions(embedded.url, 1));
    await dataSource.initialize();
    await runMigrations(dataSource).finally(() => dataSource.destroy());
    await embedded.dump(`${template}.part`);
    renameSync(`${template}.part`, template);
    return embedded;
  } finally {
    releaseLock();
  }
}

/** An exclusive lock file; one older than two minutes is a crashed holder's and is taken over. */
async function lockFile(path: string): Promise<() => void> {
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(path, { force: true });
      else await new Promise((done) => setTimeout(done, 100));
    }
  }
}
