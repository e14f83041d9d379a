import { parseTimestamp, TIMESTAMP_MAX_MS, TIMESTAMP_MIN_MS } from 'src/common/validation/timestamp';

describe('parseTimestamp', () => {
  it.each([
    ['2025-03-01T10:00:00Z', '2025-03-01T10:00:00.000Z'],
    ['2025-03-01T10:00Z', '2025-03-01T10:00:00.000Z'],
    ['2025-03-01T11:30:00.250+01:00', '2025-03-01T10:30:00.250Z'],
    ['2025-03-01T11:30:00+0100', '2025-03-01T10:30:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2025-03-01T10:00:00.123456789Z', '2025-03-01T10:00:00.123Z'],
  ])('parses %s', (text, iso) => {
    expect(parseTimestamp(text).date?.toISOString()).toBe(iso);
  });

  it.each([
    '2025-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-03-01T24:00:00Z',
    '2025-03-01T10:00:00',
    '2025-03-01',
    'yesterday',
    '2025-03-01T10:00:60Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999-01:00',
    '2025-03-01T10:00:00+25:00',
  ])('rejects %s', (text) => {
    expect(parseTimestamp(text).date).toBeUndefined();
  });
});

describe('parseTimestamp: epoch milliseconds, offsets and the range', () => {
  it('accepts epoch milliseconds as a number, and as digits only where asked (query strings)', () => {
    expect(parseTimestamp(1_767_225_600_000).date?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(parseTimestamp('1767225600000').date).toBeUndefined();
    expect(parseTimestamp('1767225600000', { digitsAsEpoch: true }).date?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(parseTimestamp(1.5).error).toMatch(/integer/);
  });

  it('tells a client without an offset to add Z', () => {
    expect(parseTimestamp('2026-01-01T10:00:00').error).toMatch(/add Z/);
    expect(parseTimestamp('2026-01-01').error).toMatch(/add Z/);
  });

  it('holds one range at both ends, for strings and numbers alike', () => {
    expect(parseTimestamp('0001-01-01T00:00:00Z').date?.getTime()).toBe(TIMESTAMP_MIN_MS);
    expect(parseTimestamp('9999-12-31T23:59:59.999Z').date?.getTime()).toBe(TIMESTAMP_MAX_MS);
    expect(parseTimestamp(TIMESTAMP_MIN_MS - 1).error).toMatch(/between/);
    expect(parseTimestamp(TIMESTAMP_MAX_MS + 1).error).toMatch(/between/);
    expect(parseTimestamp(-8.64e15).error).toMatch(/between/);
  });
});
