import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Every TypeORM entity and view class under src/ (files *.entity.ts and *.view.ts). One list
 * for the app, the migration CLI (ormconfig.ts) and the schema check, so they cannot disagree.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function loadEntities(): Function[] {
  const root = resolve(__dirname, '..');
  const classes = new Set<unknown>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(entity|view)\.(ts|js)$/.test(entry.name)) continue;
    for (const exported of Object.values(require(join(entry.parentPath, entry.name)) as Record<string, unknown>)) {
      if (typeof exported === 'function') classes.add(exported);
    }
  }
  return [...classes] as Function[]; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
}
