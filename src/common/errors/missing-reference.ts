import type { DomainError } from 'src/common/errors/domain-error';

/**
 * A foreign-key violation on insert or update means the referenced row was deleted while the request ran (e.g. a
 * model deleted during a write for it): the resource is gone, a 404, never a 500. Each module registers the error of
 * the tables it owns; the problem mapping (to-domain-error.ts) applies it for every write in one place.
 */
const byTable = new Map<string, (key: string) => DomainError>();

export function onMissingReference(table: string, toError: (key: string) => DomainError): void {
  byTable.set(table, toError);
}

/** The 404 for a 23503 "Key (col)=(value) is not present in table "t"" violation, or null for anything else. */
export function missingReferenceError(exception: unknown): DomainError | null {
  const driverError = ((exception as { driverError?: unknown })?.driverError ?? exception) as { code?: string; detail?: string };
  if (driverError?.code !== '23503' || typeof driverError.detail !== 'string') return null;
  const match = /^Key \((.+)\)=\((.*)\) is not present in table "([^"]+)"/.exec(driverError.detail);
  if (!match) return null;
  const [, column, value, table] = match;
  return byTable.get(table)?.(`${column} ${value}`) ?? null;
}
