import { Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { requestIdOf } from 'src/common/http/request-id';
import { SampleJsonPool } from 'src/common/http/sample-json';
import { MAX_ABS_VALUE } from 'src/common/validation/numbers';

export interface BodyLimits {
  /** BODY_LIMIT: the operations that carry samples (reference data, drift checks). */
  bodyLimitBytes: number;
  /** METRICS_BODY_LIMIT: POST /metrics/record (a 10,000-point batch is 1–3 MB). */
  metricsBodyLimitBytes: number;
  /** PREDICTIONS_BODY_LIMIT: POST /predictions and POST /labels (10,000 predictions with 20 features are ~7 MB). */
  predictionsBodyLimitBytes: number;
  /** DEFAULT_BODY_LIMIT: every other operation. */
  defaultBodyLimitBytes: number;
}

/** Operations whose bodies carry samples (up to 500 features × 1,000,000 values); reference uploads store theirs. */
const REFERENCE_ROUTE = /^PUT \/api\/v1\/models\/[^/]+\/reference(\/features\/[^/]+)?\/?$/;
const DRIFT_CHECK_ROUTE = /^POST \/api\/v1\/drift\/check\/?$/;
const METRICS_ROUTE = /^POST \/api\/v1\/metrics\/record\/?$/;
const PREDICTIONS_ROUTE = /^POST \/api\/v1\/(predictions|labels)\/?$/;

/**
 * The JSON body parser with a limit per operation, so a big body is refused (413) before it is read where
 * no big body belongs: one global 64 MB limit let a 20 MB metrics batch be read and parsed. The 413 names the
 * variable that sets the limit.
 */
export function jsonBodyParser(limits: BodyLimits): RequestHandler {
  const logger = new Logger('HttpBody');
  const pool = new SampleJsonPool();
  const parsers = [
    // reference uploads store their values, so the workers also encode them for the database; drift checks do not
    { name: 'BODY_LIMIT', parse: sampleBodyParser(limits.bodyLimitBytes, pool, { arraySend: true }) },
    { name: 'BODY_LIMIT', parse: sampleBodyParser(limits.bodyLimitBytes, pool, { arraySend: false }) },
    { name: 'METRICS_BODY_LIMIT', parse: express.json({ limit: limits.metricsBodyLimitBytes, strict: true }) },
    { name: 'PREDICTIONS_BODY_LIMIT', parse: express.json({ limit: limits.predictionsBodyLimitBytes, strict: true }) },
    { name: 'DEFAULT_BODY_LIMIT', parse: express.json({ limit: limits.defaultBodyLimitBytes, strict: true }) },
  ];
  return (request: Request, response: Response, next: NextFunction) => {
    const route = `${request.method} ${request.path}`;
    const parser = REFERENCE_ROUTE.test(route)
      ? parsers[0]
      : DRIFT_CHECK_ROUTE.test(route)
        ? parsers[1]
        : METRICS_ROUTE.test(route)
          ? parsers[2]
          : PREDICTIONS_ROUTE.test(route)
            ? parsers[3]
            : parsers[4];
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

/**
 * The sample routes' parser: the raw body (same limit, Content-Type and Content-Encoding handling as express.json)
 * goes to the parsing workers (src/common/http/sample-json.ts), and fails the way express.json fails (the same
 * `type`s, so the problem mapping is one).
 */
function sampleBodyParser(limit: number, pool: SampleJsonPool, options: { arraySend: boolean }): RequestHandler {
  const raw = express.raw({ limit, type: 'application/json' });
  return (request, response, next) => {
    raw(request, response, (error?: unknown) => {
      if (error || !Buffer.isBuffer(request.body)) return next(error);
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
      if (charset !== undefined && !charset.startsWith('utf-')) {
        return next(Object.assign(new Error(`unsupported charset "${charset.toUpperCase()}"`), httpError('charset.unsupported', 415)));
      }
      const bytes = request.body as Buffer;
      request.body = undefined;
      pool
        .parse(bytes, { maxAbs: MAX_ABS_VALUE, arraySend: options.arraySend })
        .then((result) => {
          if (!result.ok) return next(Object.assign(new SyntaxError(result.message), httpError('entity.parse.failed', 400)));
          request.body = result.body;
          next();
        })
        .catch(next);
    });
  };
}

function httpError(type: string, status: number): { type: string; status: number; statusCode: number; expose: boolean } {
  return { type, status, statusCode: status, expose: true };
}
