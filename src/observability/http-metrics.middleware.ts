import type { NextFunction, Request, Response } from 'express';
import { routeLabel, statusClass } from 'src/observability/exposition.policy';
import type { ServiceMetrics } from 'src/observability/service-metrics';

/** Times every request from arrival to the last byte (or a closed connection) and labels it with its route template. */
export function httpMetricsMiddleware(metrics: ServiceMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const route = request.route as { path?: unknown } | undefined;
      metrics.observeHttpRequest(
        { method: request.method, route: routeLabel(request.baseUrl, route?.path), status_class: statusClass(response.statusCode) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    };
    response.once('finish', record);
    response.once('close', record);
    next();
  };
}
