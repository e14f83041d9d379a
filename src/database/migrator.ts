import { DataSource, MigrationExecutor } from 'typeorm';

/** Arbitrary but fixed: the advisory lock key that serialises migrations across instances. */
const MIGRATION_LOCK_KEY = 7_346_001;

/**
 * Runs pending migrations on one connection that first takes an advisory lock, so several
 * instances starting together migrate once, and a pool of one connection is enough.
 * (On PGlite there is one process per data directory, guarded by the lock file, so the weaker
 * advisory lock there does not matter.)
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await queryRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const executor = new MigrationExecutor(dataSource, queryRunner);
    executor.transaction = 'all';
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await queryRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await queryRunner.release();
  }
}
