import {
  classifyResponse,
  decideDeliveryOutcome,
  isWebhookUrl,
  MAX_DELIVERY_ATTEMPTS,
  MAX_RETRY_DELAY_MS,
  retryDelayMs,
} from 'src/alerts/webhook.policy';

describe('retryDelayMs', () => {
  const middle = () => 0.5; // 2·0.5 − 1 = 0: no jitter
  it('doubles from one second per failed attempt', () => {
    expect([1, 2, 3, 4, 5, 9].map((attempts) => retryDelayMs(attempts, middle))).toEqual([1000, 2000, 4000, 8000, 16000, 256000]);
  });

  it('is capped at five minutes', () => {
    // 1 s × 2⁹ = 512 s > 300 s
    expect(retryDelayMs(10, middle)).toBe(300_000);
    expect(retryDelayMs(11, () => 0.999999)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('spreads by ±20 % with the injected random source', () => {
    // 4000 × (1 + 0.2 × (2·0 − 1)) = 3200; 4000 × (1 + 0.2 × (2·0.75 − 1)) = 4400
    expect(retryDelayMs(3, () => 0)).toBe(3200);
    expect(retryDelayMs(3, () => 0.75)).toBe(4400);
    // at the cap jitter only shortens: 300 000 × 0.8 = 240 000
    expect(retryDelayMs(12, () => 0)).toBe(240_000);
  });
});

describe('classifyResponse', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [null, 'retryable'],
    [429, 'retryable'],
    [500, 'retryable'],
    [503, 'retryable'],
    [400, 'permanent'],
    [404, 'permanent'],
    [410, 'permanent'],
    [301, 'permanent'],
  ])('%s → %s', (statusCode, kind) => {
    expect(classifyResponse(statusCode)).toBe(kind);
  });
});

describe('decideDeliveryOutcome', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  it('retries a 5xx with the backoff delay', () => {
    expect(decideDeliveryOutcome(2, 502, now, () => 0.5)).toEqual({ status: 'retry', nextAttemptAt: new Date('2025-01-01T00:00:02Z') });
  });

  it('gives up after the last attempt and at once on a 4xx', () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(12);
    expect(decideDeliveryOutcome(11, null, now, () => 0.5).status).toBe('retry');
    expect(decideDeliveryOutcome(12, null, now, () => 0.5)).toEqual({ status: 'failed' });
    expect(decideDeliveryOutcome(1, 422, now)).toEqual({ status: 'failed' });
  });

  it('counts a 2xx as delivered on any attempt', () => {
    expect(decideDeliveryOutcome(12, 200, now)).toEqual({ status: 'delivered' });
  });
});

describe('isWebhookUrl', () => {
  it('accepts absolute http(s) URLs only', () => {
    expect(['https://hooks.example.com/a?b=1', 'http://127.0.0.1:8080/x', 'http://localhost/x'].map(isWebhookUrl)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['ftp://example.com/x', 'javascript:alert(1)', 'file:///etc/passwd', '/relative', 'example.com/x', ''].map(isWebhookUrl),
    ).toEqual([false, false, false, false, false, false]);
  });
});
