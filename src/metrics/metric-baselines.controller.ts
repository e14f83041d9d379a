import { Body, Controller, Delete, Get, HttpCode, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import {
  BaselineEnvironmentQueryDto,
  ListBaselinesQueryDto,
  MetricBaselineDto,
  MetricBaselinePageDto,
  PutBaselineDto,
} from 'src/metrics/dto/metric-baseline.dto';
import { MetricBaselinesService } from 'src/metrics/metric-baselines.service';
import { MetricNameParam } from 'src/metrics/metric-name.param';
import { METRIC_NAME_PATTERN } from 'src/metrics/metrics.types';

const METRIC_NAME_DOC = {
  name: 'metricName',
  schema: { type: 'string', pattern: METRIC_NAME_PATTERN.source },
  description: 'URL-encode `/` as %2F.',
} as const;

@ApiTags('metrics')
@Controller('models/:modelId/baselines')
export class MetricBaselinesController {
  constructor(private readonly baselines: MetricBaselinesService) {}

  /** Set a metric's baseline: a given `value`, or computed from the points recorded in [from, to). */
  @Put(':metricName')
  @ApiParam(METRIC_NAME_DOC)
  @ApiOkResponse({ type: MetricBaselineDto })
  @ApiProblems(400, 404, 422)
  putBaseline(
    @UuidParam('modelId') modelId: string,
    @MetricNameParam() metricName: string,
    @Body() body: PutBaselineDto,
  ): Promise<MetricBaselineDto> {
    return this.baselines.put(modelId, metricName, body);
  }

  /** List a model's baselines, by metric name and environment. */
  @Get()
  @ApiOkResponse({ type: MetricBaselinePageDto })
  @ApiProblems(400, 404)
  listBaselines(@UuidParam('modelId') modelId: string, @Query() query: ListBaselinesQueryDto): Promise<MetricBaselinePageDto> {
    return this.baselines.list(modelId, query);
  }

  /** Delete a metric's baseline (of `environment`, default production). */
  @Delete(':metricName')
  @HttpCode(204)
  @ApiParam(METRIC_NAME_DOC)
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems(400, 404)
  deleteBaseline(
    @UuidParam('modelId') modelId: string,
    @MetricNameParam() metricName: string,
    @Query() query: BaselineEnvironmentQueryDto,
  ): Promise<void> {
    return this.baselines.delete(modelId, metricName, query.environment);
  }
}
