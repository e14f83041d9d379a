import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { ModelsService } from 'src/models/models.service';
import { mapTrainingRun, TrainingSummaryDto } from 'src/training-runs/dto/training-run.dto';
import { daysSince, successRate, summarizeRunGroups } from 'src/training-runs/training-run.policy';
import { TrainingRunsRepository } from 'src/training-runs/training-runs.repository';

/** GET /models/{modelId}/training-summary. */
@Injectable()
export class TrainingSummaryService {
  constructor(
    private readonly runs: TrainingRunsRepository,
    private readonly models: ModelsService,
    private readonly clock: Clock,
  ) {}

  async summary(modelId: string): Promise<TrainingSummaryDto> {
    await this.models.getSummary(modelId);
    const groups = await this.runs.summaryGroups(modelId);
    const lastSucceeded = await this.runs.findLastSucceeded(modelId);
    const last = await this.runs.findLatest(modelId);
    const counts = summarizeRunGroups(groups);
    return {
      modelId,
      ...counts,
      successRate: successRate(counts.byStatus.succeeded, counts.byStatus.failed),
      lastSucceededRun: lastSucceeded ? mapTrainingRun(lastSucceeded) : null,
      lastRun: last ? mapTrainingRun(last) : null,
      daysSinceLastSuccess: daysSince(lastSucceeded?.finishedAt ?? null, this.clock.now()),
    };
  }
}
