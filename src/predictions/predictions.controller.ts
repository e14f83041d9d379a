import { Body, Controller, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiExampleBody, EXAMPLE_MODEL_NAME } from 'src/common/openapi/api-example-body';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import { AcceptsModelName } from 'src/models/model-name.interceptor';
import {
  type RecordLabelsBody,
  RecordLabelsDto,
  RecordLabelsQueryDto,
  RecordLabelsResultDto,
  type RecordPredictionsBody,
  RecordPredictionsDto,
  RecordPredictionsResultDto,
} from 'src/predictions/dto/prediction.dto';
import { PredictionsService } from 'src/predictions/predictions.service';

@ApiTags('predictions')
@Controller()
export class PredictionsController {
  constructor(private readonly predictions: PredictionsService) {}

  /** Log 1–10,000 predictions all or nothing, checked against each model's task type; a predictionId already logged for the model is skipped. */
  @Post('predictions')
  @AcceptsModelName('predictions')
  @ApiExampleBody(RecordPredictionsDto, { predictions: [{ modelName: EXAMPLE_MODEL_NAME, predictionId: 'request-0001', score: 0.83 }] })
  @ApiCreatedResponse({ type: RecordPredictionsResultDto })
  @ApiProblems(400, 404, 413)
  recordPredictions(@Body() body: RecordPredictionsBody): Promise<RecordPredictionsResultDto> {
    return this.predictions.recordPredictions(body);
  }

  /** Record 1–10,000 ground-truth labels all or nothing; a label may precede its prediction (kept pending until it is logged). */
  @Post('labels')
  @AcceptsModelName('labels')
  @ApiExampleBody(RecordLabelsDto, { labels: [{ modelName: EXAMPLE_MODEL_NAME, predictionId: 'request-0001', label: 1 }] })
  @ApiCreatedResponse({ type: RecordLabelsResultDto })
  @ApiProblems(400, 404, 409, 413)
  recordLabels(@Body() body: RecordLabelsBody, @Query() query: RecordLabelsQueryDto): Promise<RecordLabelsResultDto> {
    return this.predictions.recordLabels(body, query.overwrite ?? false);
  }
}
