/** The `from`/`to` window of the read endpoints. Pure: no framework. */
import type { FieldError } from 'src/common/errors/domain-error';

export const DEFAULT_RANGE_MS = 30 * 24 * 3_600_000;

export interface TimeRange {
  from: Date;
  to: Date;
}

/**
 * [from, to) with the defaults of the read endpoints: `to` defaults to now, `from` to 30 days before
 * `to`. Returns a field error when from ≥ to.
 */
export function resolveTimeRange(from: Date | undefined, to: Date | undefined, now: Date): { range: TimeRange; error?: FieldError } {
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_RANGE_MS);
  const range = { from: start, to: end };
  if (start.getTime() >= end.getTime()) return { range, error: { field: 'from', message: 'must be earlier than to' } };
  return { range };
}
