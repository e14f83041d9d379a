import { Module } from '@nestjs/common';
import { ModelsModule } from 'src/models/models.module';
import { EstimationController } from 'src/predictions/estimation.controller';
import { EstimationReferenceService } from 'src/predictions/estimation-reference.service';
import { EstimationRepository } from 'src/predictions/estimation.repository';
import { EstimationService } from 'src/predictions/estimation.service';
import { EstimationRollupsRepository } from 'src/predictions/estimation-rollups.repository';
import { EstimationRollupsService } from 'src/predictions/estimation-rollups.service';
import { PredictionJobs } from 'src/predictions/prediction-jobs.service';
import { PredictionsController } from 'src/predictions/predictions.controller';
import { PredictionsRepository } from 'src/predictions/predictions.repository';
import { PredictionRollupsRepository } from 'src/predictions/prediction-rollups.repository';
import { PredictionsService } from 'src/predictions/predictions.service';
import { RealizedMetricsService } from 'src/predictions/realized-metrics.service';

@Module({
  imports: [ModelsModule],
  controllers: [PredictionsController, EstimationController],
  providers: [
    PredictionsRepository,
    PredictionRollupsRepository,
    PredictionsService,
    RealizedMetricsService,
    PredictionJobs,
    EstimationRepository,
    EstimationReferenceService,
    EstimationService,
    EstimationRollupsRepository,
    EstimationRollupsService,
  ],
  exports: [PredictionsService, RealizedMetricsService, EstimationService],
})
export class PredictionsModule {}
