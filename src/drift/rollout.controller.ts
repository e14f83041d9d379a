import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AbTestRolloutEvaluationDto } from 'src/ab-tests/dto/ab-test-rollout.dto';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import { RolloutCoordinator } from 'src/drift/rollout-coordinator.service';

/** Safe rollouts' explicit evaluation (the coordinator's, since it raises alerts and calls the pipeline). */
@ApiTags('ab-tests')
@Controller('ab-test')
export class RolloutController {
  constructor(private readonly coordinator: RolloutCoordinator) {}

  /**
   * Evaluate a rollout now, as the minute job does: hold, advance a step, promote or roll back; each transition
   * raises an alert and sends a signed `rollout.*` webhook to the model's pipeline.
   */
  @Post(':testId/rollout/evaluate')
  @HttpCode(200)
  @ApiOkResponse({ type: AbTestRolloutEvaluationDto })
  @ApiProblems(400, 404)
  evaluateAbTestRollout(@UuidParam('testId') testId: string): Promise<AbTestRolloutEvaluationDto> {
    return this.coordinator.evaluate(testId);
  }
}
