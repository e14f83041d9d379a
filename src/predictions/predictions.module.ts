import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { metricMaintenanceConfig } from 'src/metrics/metric-maintenance.config';
import { ModelsModule } from 'src/models/models.module';
import { EstimationController } from 'src/predictions/estimation.controller';
import { EstimationPrefill } from 'src/predictions/estimation-prefill.service';
import { EstimationReferenceService } from 'src/predictions/estimation-reference.service';
import { EstimationRepository } from 'src/predictions/estimation.repository';
import { EstimationService } from 'src/predictions/estimation.service';
import { EstimationRollupsRepository } from 'src/predictions/estimation-rollups.repository';
import { EstimationRollupsService } from 'src/predictions/estimation-rollups.service';
import { PredictionJobs } from 'src/predictions/prediction-jobs.service';
import { PredictionPartitions } from 'src/predictions/prediction-partitions.service';
import { PredictionPartitionsRepository } from 'src/predictions/prediction-partitions.repository';
import { PredictionsController } from 'src/predictions/predictions.controller';
import { PredictionsRepository } from 'src/predictions/predictions.repository';
import { PredictionRollupsRepository } from 'src/predictions/prediction-rollups.repository';
import { PredictionsService } from 'src/predictions/predictions.service';
import { RealizedMetricsService } from 'src/predictions/realized-metrics.service';

@Module({
  imports: [ModelsModule, ConfigModule.forFeature(metricMaintenanceConfig)],
  controllers: [PredictionsController, EstimationController],
  providers: [
    PredictionsRepository,
    PredictionRollupsRepository,
    PredictionsService,
    RealizedMetricsService,
    PredictionJobs,
    PredictionPartitionsRepository,
    PredictionPartitions,
    EstimationRepository,
    EstimationReferenceService,
    EstimationService,
    EstimationRollupsRepository,
    EstimationRollupsService,
    EstimationPrefill,
  ],
  exports: [PredictionsService, RealizedMetricsService, EstimationService],
})
export class PredictionsModule {}
