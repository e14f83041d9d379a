import { Logger as NestLogger, RequestMethod } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { jsonBodyParser } from 'src/common/http/body-limits';
import { applyServerTimeouts } from 'src/common/http/server-timeouts';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { sendProblem } from 'src/common/errors/problem.filter';
import { corsOptions } from 'src/common/http/cors';
import { methodNotAllowed } from 'src/common/http/method-not-allowed';
import { answerClientErrorsWithProblems } from 'src/common/http/client-errors';
import { requireParsedBody } from 'src/common/http/json-only';
import { requestIdMiddleware } from 'src/common/http/request-id';
import { buildOpenApiDocument, setupSwagger } from 'src/common/openapi/openapi';
import { serverConfig, type ServerConfig } from 'src/config/configuration';
import { httpMetricsMiddleware } from 'src/observability/http-metrics.middleware';
import { ServiceMetrics } from 'src/observability/service-metrics';
import { mountUi } from 'src/ui/ui.static';

export const API_PREFIX = 'api/v1';

/** The URL layout; shared with the OpenAPI script, which builds the document without starting anything. */
export function applyRouting(app: NestExpressApplication): void {
  // GET /metrics is where Prometheus looks by default, so it stays outside the prefix like the probes.
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', { path: 'metrics', method: RequestMethod.GET }] });
}

/**
 * Everything that sits in front of Nest's router, applied identically by main.ts, the tests
 * and the OpenAPI script: request ids, security headers, the JSON body limit, the prefix, /docs.
 */
export function configureApp(app: NestExpressApplication, options: { docs?: boolean } = {}): void {
  const config = app.get<ServerConfig>(serverConfig.KEY);
  app.useLogger(app.get(Logger));
  answerClientErrorsWithProblems(app.getHttpServer());
  app.use(requestIdMiddleware);
  app.use(httpMetricsMiddleware(app.get(ServiceMetrics)));
  app.use(
    helmet({
      contentSecurityPolicy: {
        // Swagger UI needs inline styles; no upgrade-insecure-requests, which would break /docs served over plain http on a LAN address.
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  applyServerTimeouts(app.getHttpServer(), config);
  mountUi(app);
  app.use(jsonBodyParser(config));
  const bodyLogger = new NestLogger('HttpBody');
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    sendProblem(error, request, response, bodyLogger);
  });
  if (config.corsOrigins?.length) app.enableCors(corsOptions(config.corsOrigins));
  app.use(methodNotAllowed(app));
  app.use(requireParsedBody);
  app.set('query parser', 'simple');
  applyRouting(app);
  if (options.docs !== false) setupSwagger(app, buildOpenApiDocument(app));
}
