import { Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { requestIdOf } from 'src/common/http/request-id';

export interface BodyLimits {
  /** BODY_LIMIT: the operations that carry samples (reference data, drift checks). */
  bodyLimitBytes: number;
  /** METRICS_BODY_LIMIT: POST /metrics/record (a 10,000-point batch is 1–3 MB). */
  metricsBodyLimitBytes: number;
  /** DEFAULT_BODY_LIMIT: every other operation. */
  defaultBodyLimitBytes: number;
}

/** Operations whose bodies carry samples (up to 500 features × 1,000,000 values). */
const SAMPLE_ROUTES = [/^PUT \/api\/v1\/models\/[^/]+\/reference(\/features\/[^/]+)?\/?$/, /^POST \/api\/v1\/drift\/check\/?$/];
const METRICS_ROUTE = /^POST \/api\/v1\/metrics\/record\/?$/;

/**
 * The JSON body parser with a limit per operation, so a big body is refused (413) before it is read where
 * no big body belongs: one global 64 MB limit let a 20 MB metrics batch be read and parsed. The 413 names the
 * variable that sets the limit.
 */
export function jsonBodyParser(limits: BodyLimits): RequestHandler {
  const logger = new Logger('HttpBody');
  const parsers = [
    { name: 'BODY_LIMIT', parse: express.json({ limit: limits.bodyLimitBytes, strict: true }) },
    { name: 'METRICS_BODY_LIMIT', parse: express.json({ limit: limits.metricsBodyLimitBytes, strict: true }) },
    { name: 'DEFAULT_BODY_LIMIT', parse: express.json({ limit: limits.defaultBodyLimitBytes, strict: true }) },
  ];
  return (request: Request, response: Response, next: NextFunction) => {
    const route = `${request.method} ${request.path}`;
    const parser = SAMPLE_ROUTES.some((pattern) => pattern.test(route)) ? parsers[0] : METRICS_ROUTE.test(route) ? parsers[1] : parsers[2];
    parser.parse(request, response, (error?: unknown) => {
      const failure = error as { type?: string; received?: number; expected?: number } | undefined;
      if (failure?.type === 'request.aborted') {
        // The client went away mid-upload (closed the tab, timed out, was killed): nothing to answer, nothing went wrong here.
        logger.log(
          { requestId: requestIdOf(request), received: failure.received, expected: failure.expected },
          'Client aborted the upload',
        );
        return;
      }
      if (failure?.type === 'entity.too.large') Object.assign(failure, { limitVariable: parser.name });
      next(error);
    });
  };
}
