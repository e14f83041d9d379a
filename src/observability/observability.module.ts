import { Global, Module } from '@nestjs/common';
import { MetricsAuthGuard } from 'src/observability/metrics-auth.guard';
import { ObservabilityRepository } from 'src/observability/observability.repository';
import { PrometheusController } from 'src/observability/prometheus.controller';
import { ServiceMetrics } from 'src/observability/service-metrics';

/** GET /metrics and the ServiceMetrics other modules count into (global, so no module imports it to count). */
@Global()
@Module({
  controllers: [PrometheusController],
  providers: [ServiceMetrics, ObservabilityRepository, MetricsAuthGuard],
  exports: [ServiceMetrics],
})
export class ObservabilityModule {}
