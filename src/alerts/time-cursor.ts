import { CommonErrors } from 'src/common/errors/domain-error';
import { decodeCursor } from 'src/common/pagination/cursor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Keyset cursors on (timestamp, id). The timestamps are written from the service clock (millisecond
 * precision), so the ISO string in the cursor compares exactly with the stored value.
 */
export function encodeTimeCursor(at: Date, id: string): { at: string; id: string } {
  return { at: at.toISOString(), id };
}

export function decodeTimeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  const decoded = decodeCursor<{ at: string; id: string }>(cursor, ['at', 'id']);
  if (!decoded) return undefined;
  const at = new Date(decoded.at);
  if (Number.isNaN(at.getTime()) || !UUID.test(decoded.id)) {
    throw CommonErrors.INVALID_CURSOR('The cursor is not one this service issued.', {}, [{ field: 'cursor', message: 'invalid cursor' }]);
  }
  return { at, id: decoded.id };
}
