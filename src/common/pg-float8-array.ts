/**
 * PostgreSQL's binary format of a one-dimensional float8[] without nulls (array_send / array_recv, src/backend/utils/
 * adt/arrayfuncs.c): int32 ndim, int32 has-nulls flag, int32 element oid (701), then (int32 length, int32 lower bound)
 * per dimension, then per element an int32 byte length (8) and the big-endian IEEE 754 double. Every double travels
 * as its exact bits, and the server decodes 12 bytes per value instead of parsing decimal text with strtod.
 */

/**
 * Encodes values as array_recv reads them (the driver sends a Buffer parameter in binary format). Self-contained: the
 * body-parsing worker runs it from its source text (src/common/http/sample-json.ts).
 */
export function encodeFloat8ArraySend(values: Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.length === 0 ? 12 : 20 + values.length * 12);
  const view = new DataView(bytes.buffer);
  if (values.length === 0) {
    view.setInt32(8, 701); // ndim 0, no nulls, element oid: the empty float8[]
    return bytes;
  }
  view.setInt32(0, 1);
  view.setInt32(4, 0);
  view.setInt32(8, 701);
  view.setInt32(12, values.length);
  view.setInt32(16, 1);
  for (let index = 0, offset = 20; index < values.length; index++, offset += 12) {
    view.setInt32(offset, 8);
    view.setFloat64(offset + 4, values[index]);
  }
  return bytes;
}

/** Decodes array_send output (read as bytea, e.g. `SELECT array_send(col)`); the inverse of encodeFloat8ArraySend. */
export function decodeFloat8ArraySend(buffer: Uint8Array): Float64Array {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const dimensions = view.getInt32(0);
  if (dimensions === 0) return new Float64Array(0);
  if (dimensions !== 1 || view.getInt32(4) !== 0) throw new Error('expected a one-dimensional float8[] without nulls');
  const length = view.getInt32(12);
  const values = new Float64Array(length);
  for (let index = 0, offset = 20; index < length; index++, offset += 12) values[index] = view.getFloat64(offset + 4);
  return values;
}

/** Encoded bytes as the query parameter the driver sends in binary format (a Buffer view of them, no copy). */
export const binaryParameter = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
