import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from 'src/common/auth/auth.decorators';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import {
  PutRetrainPolicyDto,
  RetrainPolicyDto,
  RetrainPolicySavedDto,
  RetrainTriggeredDto,
  TriggerRetrainDto,
} from 'src/drift/dto/retrain.dto';
import { RetrainCoordinator } from 'src/drift/retrain-coordinator.service';
import { RetrainPoliciesService } from 'src/drift/retrain-policies.service';

@ApiTags('retrain')
@Controller()
export class RetrainController {
  constructor(
    private readonly policies: RetrainPoliciesService,
    private readonly coordinator: RetrainCoordinator,
  ) {}

  /** Set when the model is retrained automatically and where its training pipeline is told (admin). */
  @Put('models/:modelId/retrain-policy')
  @RequireScope('admin')
  @ApiOkResponse({ type: RetrainPolicySavedDto })
  @ApiProblems(400, 404)
  putRetrainPolicy(@UuidParam('modelId') modelId: string, @Body() body: PutRetrainPolicyDto): Promise<RetrainPolicySavedDto> {
    return this.policies.putPolicy(modelId, body);
  }

  /** The model's retrain policy (the webhook secret is never returned). */
  @Get('models/:modelId/retrain-policy')
  @ApiOkResponse({ type: RetrainPolicyDto })
  @ApiProblems(400, 404)
  getRetrainPolicy(@UuidParam('modelId') modelId: string): Promise<RetrainPolicyDto> {
    return this.policies.getPolicy(modelId);
  }

  /**
   * Queue a retraining run: creates the training run, raises an info retrain_triggered alert and queues the signed
   * webhook to the policy's pipeline URL. 409 while an automated run is queued or running (`activeRunId`) or within
   * the cooldown of the last one (`retryAfter`; `force` skips the cooldown).
   */
  @Post('retrain/trigger')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RetrainTriggeredDto })
  @ApiProblems(400, 404, 409)
  triggerRetrain(@Body() body: TriggerRetrainDto): Promise<RetrainTriggeredDto> {
    return this.coordinator.trigger(body);
  }
}
