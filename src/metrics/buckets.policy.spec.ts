import {
  alignToBucket,
  BUCKET_MS,
  BUCKET_SIZES,
  bucketCount,
  chooseBucket,
  DEFAULT_TARGET_BUCKETS,
  isBucketSize,
  MAX_BUCKETS,
  normalizePoints,
} from 'src/metrics/buckets.policy';

const MIN = 60_000;
const DAY = 86_400_000;

describe('bucket sizes and constants', () => {
  it('lists the sizes smallest first with their milliseconds', () => {
    expect(BUCKET_SIZES).toEqual(['1m', '5m', '15m', '1h', '6h', '1d', '1w']);
    // 1m = 60·1000; 5m = 300 000; 15m = 900 000; 1h = 3 600 000; 6h = 21 600 000; 1d = 86 400 000; 1w = 7·86 400 000
    expect(BUCKET_MS).toEqual({
      '1m': 60_000,
      '5m': 300_000,
      '15m': 900_000,
      '1h': 3_600_000,
      '6h': 21_600_000,
      '1d': 86_400_000,
      '1w': 604_800_000,
    });
    expect(MAX_BUCKETS).toBe(5000);
    expect(DEFAULT_TARGET_BUCKETS).toBe(500);
    expect(isBucketSize('15m')).toBe(true);
    expect(isBucketSize('2h')).toBe(false);
    expect(isBucketSize(undefined)).toBe(false);
  });
});

describe('alignToBucket (epoch-aligned, UTC)', () => {
  // python3: t = int(datetime(2024,3,14,10,37,12,345000,tzinfo=timezone.utc).timestamp()*1000) = 1710412632345
  const t = new Date('2024-03-14T10:37:12.345Z');
  it('floors to the bucket grid anchored at 1970-01-01T00:00Z', () => {
    expect(t.getTime()).toBe(1710412632345);
    expect(alignToBucket(t, '1m')).toBe(Date.parse('2024-03-14T10:37:00Z'));
    // t // 900000 * 900000 = 1710412200000 = 10:30Z
    expect(alignToBucket(t, '15m')).toBe(1710412200000);
    // t // 21600000 * 21600000 = 1710396000000 = 06:00Z
    expect(alignToBucket(t, '6h')).toBe(1710396000000);
    expect(alignToBucket(t, '1d')).toBe(Date.parse('2024-03-14T00:00:00Z'));
    // weeks start on Thursdays (1970-01-01 was a Thursday); 2024-03-14 is a Thursday (python weekday() = 3):
    // t // 604800000 * 604800000 = 1710374400000 = 2024-03-14T00:00Z
    expect(alignToBucket(t, '1w')).toBe(1710374400000);
    expect(alignToBucket(Date.parse('2024-03-13T23:59:59.999Z'), '1w')).toBe(Date.parse('2024-03-07T00:00:00Z'));
  });
  it('is idempotent on a bucket start, accepts a size in ms, and floors negative times downwards', () => {
    expect(alignToBucket(1710374400000, '1w')).toBe(1710374400000);
    expect(alignToBucket(7_250_000, 3_600_000)).toBe(7_200_000);
    // floor(-1 / 3 600 000) = -1 → -3 600 000
    expect(alignToBucket(-1, '1h')).toBe(-3_600_000);
  });
  it('rejects invalid sizes and timestamps', () => {
    expect(() => alignToBucket(0, 0)).toThrow(RangeError);
    expect(() => alignToBucket(new Date('nope'), '1h')).toThrow(RangeError);
  });
});

describe('bucketCount = buckets intersecting [from, to)', () => {
  it('counts aligned and misaligned ranges', () => {
    expect(bucketCount(0, MIN, '1m')).toBe(1);
    // [1 ms, 60 001 ms) touches bucket 0 and bucket 1
    expect(bucketCount(1, MIN + 1, '1m')).toBe(2);
    // [0, 60 001): buckets 0 and 1 (the second only by its first millisecond)
    expect(bucketCount(0, MIN + 1, '1m')).toBe(2);
    // one day of 1h buckets = 24
    expect(bucketCount(new Date('2024-01-01T00:00:00Z'), new Date('2024-01-02T00:00:00Z'), '1h')).toBe(24);
    // 00:30 → 02:30: buckets 00, 01, 02
    expect(bucketCount(Date.parse('2024-01-01T00:30:00Z'), Date.parse('2024-01-01T02:30:00Z'), '1h')).toBe(3);
  });
  it('is 0 for empty or reversed ranges', () => {
    expect(bucketCount(5, 5, '1m')).toBe(0);
    expect(bucketCount(10, 5, '1m')).toBe(0);
  });
});

describe('chooseBucket', () => {
  const from = Date.parse('2024-01-01T00:00:00Z');
  it('keeps 1m at exactly 500 aligned buckets and moves to 5m at 501', () => {
    expect(bucketCount(from, from + 500 * MIN, '1m')).toBe(500);
    expect(chooseBucket(from, from + 500 * MIN)).toBe('1m');
    // 501 one-minute buckets; 5m gives ceil(501/5) = 101
    expect(chooseBucket(from, from + 501 * MIN)).toBe('5m');
  });
  it('counts aligned buckets, so a misaligned 500-minute range needs 501 minute buckets', () => {
    const f = from + 30_000;
    expect(bucketCount(f, f + 500 * MIN, '1m')).toBe(501);
    expect(chooseBucket(f, f + 500 * MIN)).toBe('5m');
  });
  it('picks the smallest size within the target for longer ranges', () => {
    // 2 days: 1m → 2880, 5m → 576, 15m → 192
    expect(chooseBucket(from, from + 2 * DAY)).toBe('15m');
    // 500 days: 6h → 2000, 1d → 500
    expect(chooseBucket(from, from + 500 * DAY)).toBe('1d');
    // 501 days: 1d → 501, 1w → 73 (python: ceil((f+501*D)/W) - f//W; from, a Monday, aligns to Thursday 2023-12-28)
    expect(chooseBucket(from, from + 501 * DAY)).toBe('1w');
  });
  it('returns 1w when even 1w exceeds the target', () => {
    // 20·365 days → 1044 weeks > 500 (python: ceil((f+7300*D)/W) - f//W)
    expect(chooseBucket(from, from + 20 * 365 * DAY)).toBe('1w');
  });
  it('honours a custom target', () => {
    expect(chooseBucket(from, from + 60 * MIN, 60)).toBe('1m');
    expect(chooseBucket(from, from + 61 * MIN, 60)).toBe('5m');
  });
});

describe('normalizePoints', () => {
  it('converts Dates to epoch ms', () => {
    expect(normalizePoints([{ bucketStart: new Date(60_000), value: 1, count: 2 }])).toEqual([{ t: 60_000, value: 1, count: 2 }]);
  });
  it('rejects non-finite values, negative counts and out-of-order or duplicate starts', () => {
    expect(() => normalizePoints([{ bucketStart: 0, value: NaN, count: 1 }])).toThrow(RangeError);
    expect(() => normalizePoints([{ bucketStart: 0, value: 1, count: -1 }])).toThrow(RangeError);
    expect(() =>
      normalizePoints([
        { bucketStart: 1000, value: 1, count: 1 },
        { bucketStart: 1000, value: 2, count: 1 },
      ]),
    ).toThrow(RangeError);
  });
});
