import { Module } from '@nestjs/common';
import { ModelsModule } from 'src/models/models.module';
import { PredictionJobs } from 'src/predictions/prediction-jobs.service';
import { PredictionsController } from 'src/predictions/predictions.controller';
import { PredictionsRepository } from 'src/predictions/predictions.repository';
import { PredictionsService } from 'src/predictions/predictions.service';
import { RealizedMetricsService } from 'src/predictions/realized-metrics.service';

@Module({
  imports: [ModelsModule],
  controllers: [PredictionsController],
  providers: [PredictionsRepository, PredictionsService, RealizedMetricsService, PredictionJobs],
  exports: [PredictionsService, RealizedMetricsService],
})
export class PredictionsModule {}
