import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Express middleware: takes X-Request-Id from the caller when it is sane, otherwise makes one; echoes it back. */
export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.header('x-request-id');
  const requestId = given && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
  (request as Request & { id: string }).id = requestId;
  response.setHeader('X-Request-Id', requestId);
  next();
}

export function requestIdOf(request: Request): string {
  return String((request as Request & { id?: string }).id ?? 'unknown');
}
