/**
 * The Retry-After header (RFC 9110 §10.2.3, delay-seconds) for a problem: from its `retryAfterSeconds` (the retrain
 * cooldown's 409) or a numeric `retryAfter` (429), at least 1 for 429/503, none for other problems.
 */
export function retryAfterHeader(status: number, body: Record<string, unknown>): string | undefined {
  const seconds =
    typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : typeof body.retryAfter === 'number' ? body.retryAfter : undefined;
  if (seconds !== undefined) return String(Math.max(status === 429 || status === 503 ? 1 : 0, Math.ceil(seconds)));
  return status === 429 || status === 503 ? '1' : undefined;
}
