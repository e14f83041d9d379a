import type { Server } from 'node:http';

export interface ServerTimeouts {
  /** REQUEST_TIMEOUT_MS: the whole request, body included, must arrive within this (0: no limit). */
  requestTimeoutMs: number;
  /** HEADERS_TIMEOUT_MS: the request line and headers must arrive within this. */
  headersTimeoutMs: number;
  /** KEEP_ALIVE_TIMEOUT_MS: an idle keep-alive connection is closed after this (0: never). */
  keepAliveTimeoutMs: number;
}

/**
 * Node's HTTP server timeouts, set from configuration instead of left at Node's defaults. Set before
 * listen: requestTimeout and headersTimeout are read when the server starts checking connections.
 * A load balancer in front should close idle connections before KEEP_ALIVE_TIMEOUT_MS does.
 */
export function applyServerTimeouts(server: Server, timeouts: ServerTimeouts): void {
  server.requestTimeout = timeouts.requestTimeoutMs;
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
}
