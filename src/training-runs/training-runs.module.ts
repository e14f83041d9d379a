import { Module } from '@nestjs/common';
import { MetricsModule } from 'src/metrics/metrics.module';
import { ModelsModule } from 'src/models/models.module';
import { TrainingRunCompletion } from 'src/training-runs/training-run-completion';
import { TrainingRunUpdatesService } from 'src/training-runs/training-run-updates.service';
import { TrainingRunsController } from 'src/training-runs/training-runs.controller';
import { TrainingRunsRepository } from 'src/training-runs/training-runs.repository';
import { TrainingRunsService } from 'src/training-runs/training-runs.service';
import { TrainingSummaryService } from 'src/training-runs/training-summary.service';

@Module({
  imports: [ModelsModule, MetricsModule],
  controllers: [TrainingRunsController],
  providers: [TrainingRunsRepository, TrainingRunsService, TrainingRunUpdatesService, TrainingSummaryService, TrainingRunCompletion],
  exports: [TrainingRunsService, TrainingRunUpdatesService],
})
export class TrainingRunsModule {}
