import { HttpException } from '@nestjs/common';
import { isDatabaseUnavailable } from 'src/common/errors/database-unavailable';
import { CommonErrors, DomainError } from 'src/common/errors/domain-error';
import { missingReferenceError } from 'src/common/errors/missing-reference';

const STATUS_CODES: Record<number, keyof typeof CommonErrors.definitions> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'NOT_READY',
};

/**
 * Any other error of the body parsers (http-errors: `expose` and a 4xx `status`), e.g. a gzip/deflate/br body that
 * does not decompress: a 400 (or the parser's 413/415) instead of a 500.
 */
function bodyReadError(exception: unknown): DomainError | null {
  const { expose, status, message } = (exception ?? {}) as { expose?: unknown; status?: unknown; message?: unknown };
  if (expose !== true || typeof status !== 'number' || status < 400 || status > 499 || exception instanceof HttpException) return null;
  if (status === 413) return CommonErrors.PAYLOAD_TOO_LARGE('The request body is too large.');
  if (status === 415) return CommonErrors.UNSUPPORTED_MEDIA_TYPE(`The request body cannot be read: ${String(message)}.`);
  return CommonErrors.UNREADABLE_BODY(`The request body could not be read (${String(message)}); check its Content-Encoding.`, {}, [
    { field: 'body', message: 'could not be decoded' },
  ]);
}

/** Maps anything thrown while serving a request to a DomainError; null means "unexpected" (a 500). */
export function toDomainError(exception: unknown): DomainError | null {
  if (exception instanceof DomainError) return exception;
  const bodyParserType = (exception as { type?: unknown })?.type;
  if (bodyParserType === 'entity.parse.failed') {
    return CommonErrors.MALFORMED_JSON('The request body is not valid JSON.');
  }
  if (bodyParserType === 'entity.too.large') {
    const { limit, limitVariable } = exception as { limit?: number; limitVariable?: string };
    return CommonErrors.PAYLOAD_TOO_LARGE(`The request body exceeds the limit of ${limit} bytes (${limitVariable ?? 'BODY_LIMIT'}).`, {
      limit,
    });
  }
  if (bodyParserType === 'encoding.unsupported' || bodyParserType === 'charset.unsupported') {
    return CommonErrors.UNSUPPORTED_MEDIA_TYPE('The request body encoding or charset is not supported.');
  }
  const bodyError = bodyReadError(exception);
  if (bodyError) return bodyError;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (status === 503 && typeof response === 'object' && response !== null && 'details' in response) {
      return CommonErrors.NOT_READY('A readiness check failed.', { checks: (response as { details: unknown }).details });
    }
    const code = STATUS_CODES[status];
    if (code) {
      const message = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
      const detail = Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
      return CommonErrors[code](detail);
    }
    if (status < 500) return new DomainError(`HTTP_${status}`, status, exception.message, exception.message);
    return null;
  }
  const missing = missingReferenceError(exception);
  if (missing) return missing;
  if (isDatabaseUnavailable(exception)) {
    return CommonErrors.DATABASE_UNAVAILABLE('The database is not reachable right now; retry later.');
  }
  return null;
}
