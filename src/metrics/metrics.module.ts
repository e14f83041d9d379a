import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ComputedMetrics } from 'src/metrics/computed-metrics';
import { MetricBaselinesController } from 'src/metrics/metric-baselines.controller';
import { MetricBaselinesRepository } from 'src/metrics/metric-baselines.repository';
import { MetricBaselinesService } from 'src/metrics/metric-baselines.service';
import { metricMaintenanceConfig } from 'src/metrics/metric-maintenance.config';
import { MetricMaintenanceService } from 'src/metrics/metric-maintenance.service';
import { MetricPartitionsRepository } from 'src/metrics/metric-partitions.repository';
import { MetricRollupWorker } from 'src/metrics/metric-rollup-worker.service';
import { MetricPointsRepository } from 'src/metrics/metric-points.repository';
import { MetricRollupsRepository } from 'src/metrics/metric-rollups.repository';
import { MetricTrendService } from 'src/metrics/metric-trend.service';
import { MetricsController } from 'src/metrics/metrics.controller';
import { MetricsService } from 'src/metrics/metrics.service';
import { collectSegmentQuery } from 'src/metrics/segment-query.middleware';
import { ModelsModule } from 'src/models/models.module';
import { PredictionsModule } from 'src/predictions/predictions.module';
import { DataQualityModule } from 'src/data-quality/data-quality.module';

@Module({
  imports: [ModelsModule, PredictionsModule, DataQualityModule, ConfigModule.forFeature(metricMaintenanceConfig)],
  controllers: [MetricsController, MetricBaselinesController],
  providers: [
    MetricPointsRepository,
    MetricRollupsRepository,
    MetricPartitionsRepository,
    MetricMaintenanceService,
    MetricRollupWorker,
    MetricBaselinesRepository,
    MetricBaselinesService,
    MetricTrendService,
    MetricsService,
    ComputedMetrics,
  ],
  exports: [MetricsService, ComputedMetrics, MetricMaintenanceService],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(collectSegmentQuery).forRoutes({ path: 'metrics/trend', method: RequestMethod.GET });
  }
}
