import { retryAfterHeader } from 'src/common/http/retry-after';

describe('retryAfterHeader', () => {
  it('uses retryAfterSeconds (cooldown 409) or a numeric retryAfter, rounded up, and 1 s for a bare 429/503', () => {
    expect(retryAfterHeader(409, { retryAfter: '2025-07-02T09:00:00.000Z', retryAfterSeconds: 2400 })).toBe('2400');
    expect(retryAfterHeader(429, { retryAfter: 0.2 })).toBe('1');
    expect(retryAfterHeader(429, { retryAfter: 12.1 })).toBe('13');
    expect(retryAfterHeader(503, {})).toBe('1');
    expect(retryAfterHeader(409, {})).toBeUndefined();
    expect(retryAfterHeader(400, { retryAfter: 'soon' })).toBeUndefined();
  });
});
