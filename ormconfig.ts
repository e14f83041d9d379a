import 'reflect-metadata';
import 'tsconfig-paths/register';
import { DataSource } from 'typeorm';
import { loadEnvironment } from 'src/config/configuration';
import { buildDataSourceOptions } from 'src/database/data-source-options';

/**
 * The DataSource for the TypeORM CLI (`npm run migration:run | migration:revert | migration:generate`).
 * It needs a PostgreSQL server: set DATABASE_URL (the embedded default lives inside the running service).
 */
const env = loadEnvironment();
if (!env.databaseUrl) {
  throw new Error('The migration CLI needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/modelwatch).');
}
export default new DataSource(buildDataSourceOptions(env.databaseUrl, 2));
