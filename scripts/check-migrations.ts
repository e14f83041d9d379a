import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadEnvironment } from 'src/config/configuration';
import { buildDataSourceOptions } from 'src/database/data-source-options';
import { runMigrations } from 'src/database/migrator';

/**
 * Fails when the entities and the migrations disagree (the `migration:generate --check` idea):
 * migrates a scratch database on the DATABASE_URL server, then asks TypeORM what it would change.
 */
async function main(): Promise<void> {
  const serverUrl = loadEnvironment().databaseUrl;
  if (!serverUrl) throw new Error('migration:check needs DATABASE_URL (a PostgreSQL server to make a scratch database on)');
  const name = `mw_migration_check_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataSource = new DataSource(buildDataSourceOptions(url.toString(), 2));
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
    if (upQueries.length > 0) {
      console.error('The entities and the migrations disagree; TypeORM would run:');
      for (const query of upQueries) console.error(`  ${query.query}`);
      process.exitCode = 1;
    } else {
      console.log(`entities match the ${applied.length} migrations`);
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
