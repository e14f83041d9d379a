import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { DataQualityController } from 'src/data-quality/data-quality.controller';
import { DataQualityRepository } from 'src/data-quality/data-quality.repository';
import { DataQualityService } from 'src/data-quality/data-quality.service';
import { collectSegmentQuery } from 'src/metrics/segment-query.middleware';
import { ModelsModule } from 'src/models/models.module';

/**
 * Data-quality checks on prediction features and drift samples. Used by metrics (trend series) and drift (the check
 * result); it uses neither back. Its alerts live in DataQualityAlertsModule, apart, because alerts depend on metrics.
 */
@Module({
  imports: [ModelsModule],
  controllers: [DataQualityController],
  providers: [DataQualityRepository, DataQualityService],
  exports: [DataQualityService],
})
export class DataQualityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(collectSegmentQuery).forRoutes({ path: 'models/:modelId/data-quality', method: RequestMethod.GET });
  }
}
