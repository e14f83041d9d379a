import { CommonErrors } from 'src/common/errors/domain-error';
import { findUnsafeInput } from 'src/common/validation/input-safety';
import { isStorableTime } from 'src/common/validation/timestamp';

/** Cursors are base64url JSON of the last row's sort key: opaque to clients, stable under concurrent inserts. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<Key extends Record<string, string | number>>(cursor: string | undefined, fields: (keyof Key)[]): Key | null {
  if (cursor === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Key;
    const wellFormed = parsed && typeof parsed === 'object' && fields.every((field) => ['string', 'number'].includes(typeof parsed[field]));
    // A forged cursor may carry NUL or lone surrogates that the query-string check could not see through base64.
    if (wellFormed && findUnsafeInput(parsed) === null) {
      return parsed;
    }
  } catch {
    // fall through to the 400 below
  }
  throw CommonErrors.INVALID_CURSOR('The cursor is not one this service issued.', {}, [{ field: 'cursor', message: 'invalid cursor' }]);
}

/** Rows were fetched with limit + 1: trims the extra one and derives nextCursor from the last row kept. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorKey: (row: Row) => Record<string, string | number>,
): { items: Item[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const kept = hasMore ? rows.slice(0, limit) : rows;
  return { items: kept.map(toItem), nextCursor: hasMore ? encodeCursor(cursorKey(kept[kept.length - 1])) : null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The key of a keyset cursor on (timestamp, id): `{ <timeField>: ISO time, id }`. */
export function timeCursorKey(timeField: string, at: Date, id: string): Record<string, string> {
  return { [timeField]: at.toISOString(), id };
}

/**
 * Decodes a (timestamp, id) cursor made by timeCursorKey. A time that does not parse or an id that is not a
 * UUID, or a time outside the timestamp range (e.g. year −271821), is refused here with 400 INVALID_CURSOR, before it can reach SQL as a cast error (a 500).
 * Times are written from the service clock (millisecond precision), so the ISO string compares exactly.
 */
export function decodeTimeCursor(cursor: string | undefined, timeField: string): { at: Date; id: string } | undefined {
  const decoded = decodeCursor<Record<string, string>>(cursor, [timeField, 'id']);
  if (!decoded) return undefined;
  const at = new Date(decoded[timeField]);
  if (!isStorableTime(at) || !UUID.test(decoded.id)) {
    throw CommonErrors.INVALID_CURSOR('The cursor is not one this service issued.', {}, [{ field: 'cursor', message: 'invalid cursor' }]);
  }
  return { at, id: decoded.id };
}
