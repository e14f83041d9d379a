import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { NotAudited } from 'src/audit/not-audited.decorator';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AbTestLifecycleService } from 'src/ab-tests/ab-test-lifecycle.service';
import { AbTestResultsService } from 'src/ab-tests/ab-test-results.service';
import { AbTestRolloutService } from 'src/ab-tests/ab-test-rollout.service';
import { AbTestRolloutDto } from 'src/ab-tests/dto/ab-test-rollout.dto';
import { AbTestTrafficService } from 'src/ab-tests/ab-test-traffic.service';
import { AbTestDto, AbTestPageDto, ListAbTestsQueryDto, StartAbTestDto, StopAbTestDto } from 'src/ab-tests/dto/ab-test.dto';
import { AbTestResultsDto } from 'src/ab-tests/dto/ab-test-results.dto';
import {
  AbTestAssignmentDto,
  AbTestObservationsRecordedDto,
  AssignAbTestVariantDto,
  RecordAbTestObservationsDto,
} from 'src/ab-tests/dto/ab-test-traffic.dto';
import { AbTestCumulativeLiftDto, GetAbTestCumulativeLiftQueryDto } from 'src/ab-tests/timeline/ab-test-cumulative-lift.dto';
import { AbTestTimelineService } from 'src/ab-tests/timeline/ab-test-timeline.service';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';

@ApiTags('ab-tests')
@Controller('ab-test')
export class AbTestsController {
  constructor(
    private readonly lifecycle: AbTestLifecycleService,
    private readonly traffic: AbTestTrafficService,
    private readonly results: AbTestResultsService,
    private readonly rollouts: AbTestRolloutService,
    private readonly timeline: AbTestTimelineService,
  ) {}

  /** Start a champion/challenger test on a model; the first variant is the control. */
  @Post('start')
  @ApiCreatedResponse({ type: AbTestDto })
  @ApiProblems(400, 404, 413)
  startAbTest(@Body() body: StartAbTestDto): Promise<AbTestDto> {
    return this.lifecycle.start(body);
  }

  /** Assign a unit to a variant (deterministic, GrowthBook hash version 2); 409 unless the test is running. */
  @Post(':testId/assign')
  @NotAudited()
  @HttpCode(200)
  @ApiOkResponse({ type: AbTestAssignmentDto })
  @ApiProblems(400, 404, 409)
  assignAbTestVariant(@UuidParam('testId') testId: string, @Body() body: AssignAbTestVariantDto): Promise<AbTestAssignmentDto> {
    return this.traffic.assign(testId, body);
  }

  /** Record raw observations and/or per-variant aggregates; all or nothing, a repeated batchId is ignored. */
  @Post(':testId/observations')
  @ApiCreatedResponse({ type: AbTestObservationsRecordedDto })
  @ApiProblems(400, 404, 409, 413)
  recordAbTestObservations(
    @UuidParam('testId') testId: string,
    @Body() body: RecordAbTestObservationsDto,
  ): Promise<AbTestObservationsRecordedDto> {
    return this.traffic.recordObservations(testId, body);
  }

  /** The analysis from the variants' sufficient statistics; frozen once the test is stopped. */
  @Get(':testId/results')
  @ApiOkResponse({ type: AbTestResultsDto })
  @ApiProblems(400, 404)
  getAbTestResults(@UuidParam('testId') testId: string): Promise<AbTestResultsDto> {
    return this.results.getResults(testId);
  }

  /** A rollout's state: its step and coverage, each guardrail's sequential reading, SRM, and every transition so far. */
  @Get(':testId/rollout')
  @ApiOkResponse({ type: AbTestRolloutDto })
  @ApiProblems(400, 404)
  getAbTestRollout(@UuidParam('testId') testId: string): Promise<AbTestRolloutDto> {
    return this.rollouts.get(testId);
  }

  /** The primary metric's cumulative lift of each treatment vs the control, with its CI, per time bucket. */
  @Get(':testId/results/cumulative')
  @ApiOkResponse({ type: AbTestCumulativeLiftDto })
  @ApiProblems(400, 404)
  getAbTestCumulativeLift(
    @UuidParam('testId') testId: string,
    @Query() query: GetAbTestCumulativeLiftQueryDto,
  ): Promise<AbTestCumulativeLiftDto> {
    return this.timeline.getCumulativeLift(testId, query);
  }

  /** Complete the test, optionally naming the winning variant; observations are refused from then on. */
  @Post(':testId/stop')
  @HttpCode(200)
  @ApiOkResponse({ type: AbTestDto })
  @ApiProblems(400, 404, 409)
  stopAbTest(@UuidParam('testId') testId: string, @Body() body: StopAbTestDto): Promise<AbTestDto> {
    return this.lifecycle.stop(testId, body);
  }

  /** List tests, newest first, filtered by status and model; running tests come from v_active_ab_tests. */
  @Get()
  @ApiOkResponse({ type: AbTestPageDto })
  @ApiProblems(400, 404)
  listAbTests(@Query() query: ListAbTestsQueryDto): Promise<AbTestPageDto> {
    return this.lifecycle.list(query);
  }

  /** Get a test with its settings and its variants' counts. */
  @Get(':testId')
  @ApiOkResponse({ type: AbTestDto })
  @ApiProblems(400, 404)
  getAbTest(@UuidParam('testId') testId: string): Promise<AbTestDto> {
    return this.lifecycle.get(testId);
  }
}
