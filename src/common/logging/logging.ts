import type { Options } from 'pino-http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One JSON line per request (request id, method, path, status, duration); credentials are redacted. */
export function pinoHttpOptions(level: string): Options {
  return {
    level,
    genReqId: (request: IncomingMessage) => String((request as IncomingMessage & { id?: string }).id ?? ''),
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.secret', '*.webhookSecret'],
      censor: '[redacted]',
    },
    customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    customSuccessMessage: (request: IncomingMessage, response: ServerResponse) => `${request.method} ${request.url} ${response.statusCode}`,
    customErrorMessage: (request: IncomingMessage, response: ServerResponse) => `${request.method} ${request.url} ${response.statusCode}`,
  };
}
