import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CommonErrors } from 'src/common/errors/domain-error';
import { sendProblem } from 'src/common/errors/problem.filter';

const logger = new Logger('HttpBody');

/**
 * Runs after the body parsers: a request that carries a body none of them accepted (a non-JSON Content-Type, or none)
 * is a 415 here, instead of reaching validation as an empty body and failing with a misleading "name must be ...".
 */
export function requireParsedBody(request: Request, response: Response, next: NextFunction): void {
  const hasBody =
    request.headers['transfer-encoding'] !== undefined ||
    (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');
  if (request.body !== undefined || !hasBody) return next();
  const given = request.headers['content-type'];
  sendProblem(
    CommonErrors.UNSUPPORTED_MEDIA_TYPE(
      given
        ? `Content-Type ${given} is not accepted; send the body as application/json.`
        : 'The body has no Content-Type; send it as application/json.',
      {},
      [{ field: 'Content-Type', message: 'must be application/json' }],
    ),
    request,
    response,
    logger,
  );
}
