import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from 'src/database/data-source-options';
import { loadMigrations } from 'src/database/load-migrations';
import { startEmbeddedPostgresChild } from 'test/support/embedded-child';
import type { TestDatabase } from 'test/support/test-database';

/** Helpers of the migration tests: a database migrated step by step, and plain queries on it. */

/** An empty database (no migrations), on the server when DATABASE_URL is set, else an embedded one. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgresChild();
    return { url: embedded.url, kind: 'embedded', drop: () => embedded.stop() };
  }
  const name = `mw_migrate_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`).finally(() => admin.end());
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'server',
    async drop() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => client.end());
    },
  };
}

/** Runs the migrations, all of them or those before the one named `before`. */
export async function migrate(url: string, before?: string): Promise<void> {
  const all = loadMigrations();
  const migrations = before
    ? all.slice(
        0,
        all.findIndex((migration) => migration.name === before),
      )
    : all;
  const dataSource = new DataSource({ ...buildDataSourceOptions(url, 1), migrations });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' }).finally(() => dataSource.destroy());
}

export async function query<Row>(url: string, sql: string, parameters: unknown[] = []): Promise<Row[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** The partitions of a partitioned table, by name. */
export const partitionsOf = (url: string, parent: string) =>
  query<{ name: string }>(
    url,
    `SELECT child.relname AS name FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid
     WHERE pg_inherits.inhparent = $1::regclass ORDER BY 1`,
    [parent],
  ).then((rows) => rows.map((row) => row.name));
