import { Controller, Get, Headers, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Public } from 'src/common/auth/auth.decorators';
import { negotiateExpositionFormat } from 'src/observability/exposition.policy';
import { MetricsAuthGuard } from 'src/observability/metrics-auth.guard';
import { ServiceMetrics } from 'src/observability/service-metrics';

/**
 * GET /metrics, outside /api/v1 like the health probes. Not in the OpenAPI document: its body is the Prometheus text
 * format or OpenMetrics (docs/integrations.md), not JSON, and scrapers, not SDKs, read it.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@UseGuards(MetricsAuthGuard)
@Controller('metrics')
export class PrometheusController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get()
  async getPrometheusMetrics(@Headers('accept') accept: string | undefined, @Res() response: Response): Promise<void> {
    const { contentType, body } = await this.metrics.render(negotiateExpositionFormat(accept));
    // A Buffer, so express sends prom-client's content type as it is (for a string it rewrites the charset parameter).
    response.status(200).setHeader('Content-Type', contentType).setHeader('Cache-Control', 'no-store').send(Buffer.from(body));
  }
}
