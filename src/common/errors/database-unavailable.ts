/**
 * "The database is not there right now": every way a lost or refused connection surfaces from pg, pg-pool
 * and TypeORM, so that the problem filter answers 503 with Retry-After instead of 500. The classes were
 * found by provoking them (test/connection-loss.e2e-spec.ts terminates backends in and out of transactions
 * under write load; test/foundation.e2e-spec.ts cuts a TCP proxy), not by reading names.
 */

/**
 * SQLSTATEs and socket codes. Class 08 (connection exception) is matched by prefix, except 08P01 (protocol_violation):
 * the server refusing what the driver sent (e.g. a bind with the wrong number of parameters) is a bug, not an outage,
 * and retrying it after Retry-After would fail the same way.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: pg_terminate_backend, a failover, a PgBouncer restart
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
  '53300', // too_many_connections
]);

const PROTOCOL_VIOLATION = '08P01';

/** pg and pg-pool raise these as plain Errors without a code. */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i, // "Connection terminated unexpectedly", "… due to connection timeout"
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Client was closed and is not queryable/i,
  /connect ECONNREFUSED/i,
  /terminating connection due to administrator command/i,
  /This socket has been ended by the other party/i,
];

/**
 * TypeORM's names for "the connection this query runner held is gone": after a connection error the runner
 * releases itself, and the next query (or the rollback) of that transaction throws one of these.
 */
const UNAVAILABLE_ERROR_NAMES = new Set([
  'QueryRunnerProviderAlreadyReleasedError',
  'QueryRunnerAlreadyReleasedError',
  'CannotConnectAlreadyConnectedError',
  'ConnectionIsNotSetError',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: any = error, depth = 0; current && depth < 4; current = current.driverError ?? current.cause, depth++) {
    const code = typeof current.code === 'string' ? current.code : '';
    if (UNAVAILABLE_CODES.has(code) || (code.startsWith('08') && code !== PROTOCOL_VIOLATION)) return true;
    const message = typeof current.message === 'string' ? current.message : '';
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    const name = typeof current.name === 'string' ? current.name : '';
    if (UNAVAILABLE_ERROR_NAMES.has(name) || UNAVAILABLE_ERROR_NAMES.has(current.constructor?.name)) return true;
  }
  return false;
}
