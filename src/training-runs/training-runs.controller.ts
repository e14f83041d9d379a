import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import { CallerName } from 'src/training-runs/caller-name.decorator';
import {
  CreateTrainingRunDto,
  ListTrainingRunsQueryDto,
  TrainingRunDto,
  TrainingRunPageDto,
  TrainingSummaryDto,
  UpdateTrainingRunDto,
} from 'src/training-runs/dto/training-run.dto';
import { TrainingRunUpdatesService } from 'src/training-runs/training-run-updates.service';
import { TrainingRunsService } from 'src/training-runs/training-runs.service';
import { TrainingSummaryService } from 'src/training-runs/training-summary.service';
import { AcceptsModelName } from 'src/models/model-name.interceptor';
import { ApiExampleBody, EXAMPLE_MODEL_NAME } from 'src/common/openapi/api-example-body';

@ApiTags('training-runs')
@Controller()
export class TrainingRunsController {
  constructor(
    private readonly runs: TrainingRunsService,
    private readonly updates: TrainingRunUpdatesService,
    private readonly summaries: TrainingSummaryService,
  ) {}

  /**
   * Log a training run: `queued` (default) for one about to start, or `running`/`succeeded`/`failed`
   * after the fact with its timestamps. 409 `TRAINING_RUN_ACTIVE_EXISTS` (with `existingRunId`) when
   * the model already has a queued or running automated (non-manual) run.
   */
  @Post('training-runs')
  @AcceptsModelName()
  @ApiExampleBody(CreateTrainingRunDto, { modelName: EXAMPLE_MODEL_NAME, trigger: 'manual', status: 'running' })
  @ApiCreatedResponse({ type: TrainingRunDto })
  @ApiProblems(400, 404, 409, 413)
  createTrainingRun(@Body() body: CreateTrainingRunDto, @CallerName() callerName: string | undefined): Promise<TrainingRunDto> {
    return this.runs.create(body, callerName);
  }

  /** List runs, newest queued first, filtered by model, status, trigger and queue time. */
  @Get('training-runs')
  @ApiOkResponse({ type: TrainingRunPageDto })
  @ApiProblems(400)
  listTrainingRuns(@Query() query: ListTrainingRunsQueryDto): Promise<TrainingRunPageDto> {
    return this.runs.list(query);
  }

  /** One run, with its duration. */
  @Get('training-runs/:runId')
  @ApiOkResponse({ type: TrainingRunDto })
  @ApiProblems(400, 404)
  getTrainingRun(@UuidParam('runId') runId: string): Promise<TrainingRunDto> {
    return this.runs.get(runId);
  }

  /**
   * Move a run through its lifecycle and record its results. Transitions: queued → running | cancelled;
   * running → succeeded | failed | cancelled; terminal statuses are final (409
   * `TRAINING_RUN_INVALID_TRANSITION`). Concurrent updates of one run are applied one at a time.
   */
  @Patch('training-runs/:runId')
  @ApiOkResponse({ type: TrainingRunDto })
  @ApiProblems(400, 404, 409, 413)
  updateTrainingRun(@UuidParam('runId') runId: string, @Body() body: UpdateTrainingRunDto): Promise<TrainingRunDto> {
    return this.updates.update(runId, body);
  }

  /**
   * Extend an automated run's lease (the retrain policy's queued/running timeout counts from the last heartbeat or
   * update): send it regularly while the pipeline works. 409 once the run is final.
   */
  @Post('training-runs/:runId/heartbeat')
  @HttpCode(200)
  @ApiOkResponse({ type: TrainingRunDto })
  @ApiProblems(400, 404, 409)
  recordTrainingRunHeartbeat(@UuidParam('runId') runId: string): Promise<TrainingRunDto> {
    return this.updates.heartbeat(runId);
  }

  /** Counts by status and trigger, success rate, mean duration and the last runs of one model. */
  @Get('models/:modelId/training-summary')
  @ApiOkResponse({ type: TrainingSummaryDto })
  @ApiProblems(400, 404)
  getTrainingSummary(@UuidParam('modelId') modelId: string): Promise<TrainingSummaryDto> {
    return this.summaries.summary(modelId);
  }
}
