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
    extra: { max: poolSize, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000, onConnect: keepClientErrorsHandled },
    logging: false,
  };
}

/**
 * A pooled client emits 'error' when its backend is terminated (57P01: pg_terminate_backend, a failover, a
 * PgBouncer restart) or its socket dies. TypeORM listens only while a query runner holds the client and
 * removes its listener on release, so an error arriving in between was unhandled and killed the process
 * (test/connection-loss.e2e-spec.ts). This listener stays for the client's life; the error itself still
 * reaches the query in flight (a 503) and the pool, which discards the client.
 */
function keepClientErrorsHandled(client: { on(event: 'error', listener: (error: Error) => void): unknown }): void {
  client.on('error', () => undefined);
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
