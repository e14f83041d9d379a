export interface RetryOptions {
  /** Further attempts after the first (default 3; 0 turns retrying off). */
  retries?: number;
  /** First backoff delay; doubled on each attempt, with jitter (default 250 ms). */
  baseDelayMs?: number;
  /** Longest wait between attempts, whatever Retry-After says (default 30 s). */
  maxDelayMs?: number;
}

const RETRIED_STATUSES = new Set([429, 503]);
/** Network failures are retried only for methods that are safe to repeat. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Seconds or an HTTP date (RFC 9110 §10.2.3) → milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: a uniform wait in [0, base·2^attempt]. */
export function backoffMs(attempt: number, baseDelayMs: number, random = Math.random): number {
  return random() * baseDelayMs * 2 ** attempt;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A fetch that retries 429 and 503 answers (the service rejected the request before doing anything: rate limit,
 * database unavailable) after `Retry-After`, or with backoff when there is none, and network errors of idempotent
 * requests. The request is cloned for every attempt, so bodies can be sent again.
 */
export function retryingFetch(fetchImpl: typeof fetch, options: RetryOptions = {}): (request: Request) => Promise<Response> {
  const retries = options.retries ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  return async (request: Request) => {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetchImpl(request.clone());
      } catch (error) {
        if (attempt >= retries || !IDEMPOTENT_METHODS.has(request.method)) throw error;
        await sleep(Math.min(maxDelayMs, backoffMs(attempt, baseDelayMs)));
        continue;
      }
      if (!RETRIED_STATUSES.has(response.status) || attempt >= retries) return response;
      const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoffMs(attempt, baseDelayMs);
      await response.body?.cancel();
      await sleep(Math.min(maxDelayMs, wait));
    }
  };
}
