/**
 * Webhook delivery policy: retry classification and backoff (signatures: webhook-signature.policy.ts). Pure functions, no framework.
 * Anchors: Alertmanager/Stripe-style signed webhooks, exponential backoff with jitter (AWS architecture blog
 * "Exponential Backoff and Jitter").
 */
export const MAX_DELIVERY_ATTEMPTS = 12;
export const BASE_RETRY_DELAY_MS = 1_000;
export const MAX_RETRY_DELAY_MS = 5 * 60_000;
export const RETRY_JITTER = 0.2;

/** Webhooks go to absolute http(s) URLs only (no file:, data:, javascript: or relative targets). */
export function isWebhookUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** The wait after the n-th failed attempt: min(1 s × 2ⁿ⁻¹, 5 min) × (1 ± 20 %), never above 5 min. `random` returns [0, 1). */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(BASE_RETRY_DELAY_MS * 2 ** Math.max(attempts - 1, 0), MAX_RETRY_DELAY_MS);
  // uniform jitter factor in [1 − j, 1 + j): 1 + j·(2u − 1) with u ~ U[0, 1)
  const jittered = base * (1 + RETRY_JITTER * (2 * random() - 1));
  return Math.round(Math.min(jittered, MAX_RETRY_DELAY_MS));
}

/** Network errors (no status), 429 and 5xx are worth retrying; 2xx is success; anything else (4xx, 3xx) will not get better. */
export function classifyResponse(statusCode: number | null): 'delivered' | 'retryable' | 'permanent' {
  if (statusCode === null) return 'retryable';
  if (statusCode >= 200 && statusCode < 300) return 'delivered';
  if (statusCode === 429 || statusCode >= 500) return 'retryable';
  return 'permanent';
}

export type DeliveryOutcome = { status: 'delivered' } | { status: 'retry'; nextAttemptAt: Date } | { status: 'failed' };

/** After attempt number `attempts` answered `statusCode` (null: no answer): delivered, retry later, or give up. */
export function decideDeliveryOutcome(
  attempts: number,
  statusCode: number | null,
  now: Date,
  random: () => number = Math.random,
): DeliveryOutcome {
  const kind = classifyResponse(statusCode);
  if (kind === 'delivered') return { status: 'delivered' };
  if (kind === 'permanent' || attempts >= MAX_DELIVERY_ATTEMPTS) return { status: 'failed' };
  return { status: 'retry', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, random)) };
}
