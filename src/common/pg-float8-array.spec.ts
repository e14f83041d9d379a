import { decodeFloat8ArraySend, encodeFloat8ArraySend } from 'src/common/pg-float8-array';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('PostgreSQL binary float8[]', () => {
  it("encodes exactly what the server's array_send produces", () => {
    // psql: SELECT encode(array_send('{1,-0.5}'::float8[]),'hex'), encode(array_send('{}'::float8[]),'hex')
    expect(hex(encodeFloat8ArraySend(Float64Array.of(1, -0.5)))).toBe(
      '0000000100000000000002bd0000000200000001000000083ff000000000000000000008bfe0000000000000',
    );
    expect(hex(encodeFloat8ArraySend(new Float64Array(0)))).toBe('0000000000000000000002bd');
  });

  it('round-trips every double bit for bit, −0 and subnormals included', () => {
    const values = Float64Array.of(-Number.MAX_VALUE, -1e-300, -0, 0, Number.MIN_VALUE, 0.1, 1 / 3, 1e308);
    const decoded = decodeFloat8ArraySend(encodeFloat8ArraySend(values));
    expect(decoded).toHaveLength(values.length);
    values.forEach((value, index) => expect(Object.is(decoded[index], value)).toBe(true));
    expect(decodeFloat8ArraySend(encodeFloat8ArraySend(new Float64Array(0)))).toHaveLength(0);
  });

  it('refuses a multi-dimensional array or one with nulls', () => {
    const withNulls = encodeFloat8ArraySend(Float64Array.of(1));
    new DataView(withNulls.buffer).setInt32(4, 1);
    expect(() => decodeFloat8ArraySend(withNulls)).toThrow(/one-dimensional/);
  });
});
