/**
 * Delivery lanes: the outbox delivers each channel (or, for webhooks queued without a channel, each URL)
 * in its own lane, so one receiver that accepts connections and never answers cannot hold the deliveries
 * of another. A lane runs at most LANE_CONCURRENCY deliveries at once (counted over all instances), and
 * its circuit breaker opens after CIRCUIT_THRESHOLD attempts in a row got no HTTP answer: while open, the
 * lane's rows stay pending without using attempts; afterwards one probe at a time runs (half-open) until
 * an answer closes the breaker again.
 */
export const LANE_CONCURRENCY = 8;
export const CIRCUIT_THRESHOLD = 3;
export const CIRCUIT_OPEN_MS = 30_000;
export const CIRCUIT_MAX_OPEN_MS = 10 * 60_000;

export interface LaneState {
  consecutiveFailures: number;
  openUntil: Date | null;
}

/**
 * The breaker after one attempt. `answered`: the receiver sent an HTTP status (any status: a 500 is an
 * answer and is retried with backoff; only silence holds a lane). Each further failure doubles the time
 * open, from CIRCUIT_OPEN_MS up to CIRCUIT_MAX_OPEN_MS.
 */
export function nextLaneState(previous: LaneState, answered: boolean, now: Date): LaneState {
  if (answered) return { consecutiveFailures: 0, openUntil: null };
  const consecutiveFailures = previous.consecutiveFailures + 1;
  if (consecutiveFailures < CIRCUIT_THRESHOLD) return { consecutiveFailures, openUntil: null };
  const openMs = Math.min(CIRCUIT_OPEN_MS * 2 ** Math.min(consecutiveFailures - CIRCUIT_THRESHOLD, 20), CIRCUIT_MAX_OPEN_MS);
  return { consecutiveFailures, openUntil: new Date(now.getTime() + openMs) };
}
