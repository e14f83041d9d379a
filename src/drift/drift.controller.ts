import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import { DriftCheckService } from 'src/drift/drift-check.service';
import { SampleBody, type Validated } from 'src/drift/dto/sample-body';
import { DriftHistoryService } from 'src/drift/drift-history.service';
import { DriftThresholdPreviewService } from 'src/drift/drift-threshold-preview.service';
import { DriftThresholdPreviewDto, PreviewDriftThresholdsDto } from 'src/drift/dto/drift-threshold-preview.dto';
import {
  CheckDriftDto,
  DriftCheckDto,
  DriftCheckPageDto,
  DriftHeatmapDto,
  DriftHeatmapQueryDto,
  FeatureTestOptionsDto,
  ListDriftChecksQueryDto,
} from 'src/drift/dto/drift-check.dto';
import { AcceptsModelName } from 'src/models/model-name.interceptor';
import { ApiExampleBody, EXAMPLE_MODEL_NAME } from 'src/common/openapi/api-example-body';

@ApiTags('drift')
@ApiExtraModels(FeatureTestOptionsDto)
@Controller('drift')
export class DriftController {
  constructor(
    private readonly driftChecks: DriftCheckService,
    private readonly history: DriftHistoryService,
    private readonly thresholdPreviews: DriftThresholdPreviewService,
  ) {}

  /** Compare a current sample with the model's reference (or an inline one) feature by feature; stored, alerted on, and may trigger retraining. */
  @Post('check')
  @AcceptsModelName()
  @ApiExampleBody(CheckDriftDto, {
    modelName: EXAMPLE_MODEL_NAME,
    current: { features: [{ name: 'age', values: [31, 35, 38, 41, 44, 47, 52, 58] }] },
    reference: { features: [{ name: 'age', values: [25, 29, 33, 36, 40, 43, 47, 51] }] },
  })
  @HttpCode(200)
  @ApiOkResponse({ type: DriftCheckDto })
  @ApiProblems(400, 404, 413)
  checkDrift(
    @SampleBody(CheckDriftDto, ['current.features', 'reference.features']) body: Validated<CheckDriftDto>,
  ): Promise<DriftCheckDto> {
    return this.driftChecks.check(body);
  }

  /** Re-decide a model's stored checks with other per-feature thresholds: how many checks and data_drift alerts would have fired. */
  @Post('thresholds/preview')
  @AcceptsModelName()
  @HttpCode(200)
  @ApiOkResponse({ type: DriftThresholdPreviewDto })
  @ApiProblems(400, 404)
  previewDriftThresholds(@Body() body: PreviewDriftThresholdsDto): Promise<DriftThresholdPreviewDto> {
    return this.thresholdPreviews.preview(body);
  }

  /** A model's drift checks, newest first. */
  @Get('checks')
  @ApiOkResponse({ type: DriftCheckPageDto })
  @ApiProblems(400, 404)
  listDriftChecks(@Query() query: ListDriftChecksQueryDto): Promise<DriftCheckPageDto> {
    return this.history.listChecks(query);
  }

  /** One drift check with its per-feature results. */
  @Get('checks/:checkId')
  @ApiOkResponse({ type: DriftCheckDto })
  @ApiProblems(400, 404)
  getDriftCheck(@UuidParam('checkId') checkId: string): Promise<DriftCheckDto> {
    return this.history.getCheck(checkId);
  }

  /** Features × time buckets of the highest score and whether any check found drift: the data behind a drift heatmap. */
  @Get('heatmap')
  @ApiOkResponse({ type: DriftHeatmapDto })
  @ApiProblems(400, 404)
  getDriftHeatmap(@Query() query: DriftHeatmapQueryDto): Promise<DriftHeatmapDto> {
    return this.history.getHeatmap(query);
  }
}
