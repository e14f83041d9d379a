import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import { MetricDegradationDto, MetricDegradationQueryDto } from 'src/metrics/dto/metric-baseline.dto';
import {
  LatestMetricsDto,
  LatestMetricsQueryDto,
  type RecordMetricsBody,
  RecordMetricsDto,
  RecordMetricsResultDto,
} from 'src/metrics/dto/metric-point.dto';
import { CompareMetricsQueryDto, MetricComparisonDto, MetricTrendDto, MetricTrendQueryDto } from 'src/metrics/dto/metric-trend.dto';
import { MetricBaselinesService } from 'src/metrics/metric-baselines.service';
import { MetricTrendService } from 'src/metrics/metric-trend.service';
import { MetricsService } from 'src/metrics/metrics.service';
import { AcceptsModelName } from 'src/models/model-name.interceptor';
import { ApiExampleBody, EXAMPLE_MODEL_NAME } from 'src/common/openapi/api-example-body';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly trends: MetricTrendService,
    private readonly baselines: MetricBaselinesService,
  ) {}

  /** Record 1–10,000 points all or nothing; points whose idempotencyKey was already recorded are skipped. */
  @Post('record')
  @AcceptsModelName('points')
  @ApiExampleBody(RecordMetricsDto, { points: [{ modelName: EXAMPLE_MODEL_NAME, metricName: 'accuracy', value: 0.91 }] })
  @ApiCreatedResponse({ type: RecordMetricsResultDto })
  @ApiProblems(400, 404, 413)
  recordMetrics(@Body() body: RecordMetricsBody): Promise<RecordMetricsResultDto> {
    return this.metrics.record(body);
  }

  /**
   * A metric over time in epoch-aligned buckets, with a summary, robust anomaly flags and a Holt forecast.
   * Filter by segment with `segment.<key>=<value>` query parameters.
   */
  @Get('trend')
  @ApiOkResponse({ type: MetricTrendDto })
  @ApiProblems(400, 404)
  getMetricTrend(@Query() query: MetricTrendQueryDto): Promise<MetricTrendDto> {
    return this.trends.getTrend(query);
  }

  /** The latest value of each metric, environment and version of a model. */
  @Get('latest')
  @ApiOkResponse({ type: LatestMetricsDto })
  @ApiProblems(400, 404)
  listLatestMetrics(@Query() query: LatestMetricsQueryDto): Promise<LatestMetricsDto> {
    return this.metrics.latest(query);
  }

  /** Summary statistics of one metric across models (`modelIds`) or across versions of one model (`modelId` + `modelVersions`). */
  @Get('compare')
  @ApiOkResponse({ type: MetricComparisonDto })
  @ApiProblems(400, 404)
  compareMetrics(@Query() query: CompareMetricsQueryDto): Promise<MetricComparisonDto> {
    return this.metrics.compare(query);
  }

  /** The mean of each baselined metric over the last window, compared with its baseline. */
  @Get('degradation')
  @ApiOkResponse({ type: MetricDegradationDto })
  @ApiProblems(400, 404)
  getMetricDegradation(@Query() query: MetricDegradationQueryDto): Promise<MetricDegradationDto> {
    return this.baselines.degradation(query.modelId, query.window);
  }
}
