import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { CommonErrors } from 'src/common/errors/domain-error';
import { sendProblem } from 'src/common/errors/problem.filter';

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): unknown;
}

/**
 * 405 with `Allow` for a known path asked with a method it does not serve (Express would fall through to a 404).
 * The route table is read from the router once, at the first request, when every controller is mounted.
 */
export function methodNotAllowed(app: NestExpressApplication) {
  const logger = new Logger('HttpMethod');
  let routes: RouteLayer[] | undefined;
  return (request: Request, response: Response, next: NextFunction) => {
    routes ??= (app.getHttpAdapter().getInstance().router.stack as unknown as RouteLayer[]).filter((layer) => layer.route);
    const allowed = new Set<string>();
    for (const layer of routes) {
      if (layer.match(request.path)) for (const method of Object.keys(layer.route!.methods)) allowed.add(method.toUpperCase());
    }
    if (allowed.size === 0 || allowed.has(request.method) || (request.method === 'HEAD' && allowed.has('GET'))) return next();
    if (allowed.has('GET')) allowed.add('HEAD');
    allowed.add('OPTIONS');
    const allow = [...allowed].sort().join(', ');
    response.setHeader('Allow', allow);
    if (request.method === 'OPTIONS') {
      response.status(204).end();
      return;
    }
    sendProblem(
      CommonErrors.METHOD_NOT_ALLOWED(`${request.method} is not allowed on ${request.path}; allowed: ${allow}.`, {
        allow: [...allowed].sort(),
      }),
      request,
      response,
      logger,
    );
  };
}
