import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every migration class in src/database/migrations, oldest first. Loaded with require so the
 * same code works under ts-node, jest and the compiled dist/ without a hand-kept list.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function loadMigrations(): Function[] {
  const directory = join(__dirname, 'migrations');
  return readdirSync(directory)
    .filter((file) => /^\d{13}-[a-z0-9-]+\.(ts|js)$/.test(file))
    .sort()
    .flatMap((file) => Object.values(require(join(directory, file)) as Record<string, unknown>))
    .filter((exported): exported is Function => typeof exported === 'function'); // eslint-disable-line @typescript-eslint/no-unsafe-function-type
}
