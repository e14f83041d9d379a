import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/** What a service adds to the audit entry of the request it serves (config objects: before and after). */
export interface AuditDetail {
  resourceType: string;
  resourceId: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * The request being served, for code far from the controller (the audit trail): who, which operation, and the
 * detail services add. Only data lives here — never a transaction, so nothing joins one by accident.
 */
export interface RequestContext {
  request: Request & { apiKeyName?: string };
  /** The handler's name (= its operationId), set by the audit interceptor. */
  operation: string | null;
  detail: AuditDetail | null;
  /** How many audit rows this request's transactions appended. */
  audited: number;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** Express middleware: everything the request runs, including its transactions, sees its context. */
export function requestContextMiddleware(request: Request, _response: Response, next: NextFunction): void {
  requestContext.run({ request, operation: null, detail: null, audited: 0 }, next);
}

/** Adds before/after detail to the audit entry of the current request (a no-op outside a request). */
export function describeAuditedChange(detail: AuditDetail): void {
  const context = requestContext.getStore();
  if (context) context.detail = detail;
}

/** Runs `work` outside any request context (event listeners: their writes are the system's, not the caller's). */
export function outsideRequest<Result>(work: () => Result): Result {
  return requestContext.exit(work);
}
