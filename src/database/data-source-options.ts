import type { DataSourceOptions } from 'typeorm';
import { loadEntities } from 'src/database/load-entities';
import { loadMigrations } from 'src/database/load-migrations';

export const MIGRATIONS_TABLE = 'typeorm_migrations';

/** The one description of the database, shared by the app, ormconfig.ts and the tests. */
export function buildDataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: loadEntities(),
    migrations: loadMigrations(),
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'all',
    migrationsRun: false,
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL ≥ 13 (and PGlite), so no extension is installed.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    poolSize,
    extra: { max: poolSize, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 },
    logging: false,
  };
}

/** "postgres://user:***@host:port/db" for logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}
