import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CommonErrors } from 'src/common/errors/domain-error';
import { PROBLEM_CONTENT_TYPE, problemFromDomainError } from 'src/common/errors/problem';
import { toDomainError } from 'src/common/errors/to-domain-error';
import { requestIdOf } from 'src/common/http/request-id';
import { retryAfterHeader } from 'src/common/http/retry-after';

/** Renders every error as RFC 9457 problem+json; unexpected ones are logged and reduced to a request id. */
export function sendProblem(exception: unknown, request: Request, response: Response, logger: Logger): void {
  const requestId = requestIdOf(request);
  let error = toDomainError(exception);
  if (!error) {
    logger.error({ err: exception, requestId }, 'Unhandled error');
    error = CommonErrors.INTERNAL_ERROR(`An unexpected error occurred; quote request id ${requestId} when reporting it.`);
  } else if (error.status === 503) {
    logger.warn({ requestId, code: error.code, cause: (exception as Error)?.message }, error.title);
  }
  if (response.headersSent) return;
  const body = problemFromDomainError(error, request.originalUrl ?? request.url, requestId);
  const retryAfter = retryAfterHeader(error.status, body as unknown as Record<string, unknown>);
  if (retryAfter !== undefined) response.setHeader('Retry-After', retryAfter);
  response.status(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<Request>(), http.getResponse<Response>(), this.logger);
  }
}
