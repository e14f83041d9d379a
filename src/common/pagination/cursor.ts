import { CommonErrors } from 'src/common/errors/domain-error';

/** Cursors are base64url JSON of the last row's sort key: opaque to clients, stable under concurrent inserts. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<Key extends Record<string, string | number>>(cursor: string | undefined, fields: (keyof Key)[]): Key | null {
  if (cursor === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Key;
    if (parsed && typeof parsed === 'object' && fields.every((field) => ['string', 'number'].includes(typeof parsed[field]))) {
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
