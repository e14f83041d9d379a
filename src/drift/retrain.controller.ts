import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from 'src/common/auth/auth.decorators';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import { PutRetrainPolicyDto, RetrainPolicyDto } from 'src/drift/dto/retrain.dto';
import { RetrainPoliciesService } from 'src/drift/retrain-policies.service';

@ApiTags('retrain')
@Controller()
export class RetrainController {
  constructor(private readonly policies: RetrainPoliciesService) {}

  /** Set when the model is retrained automatically and where its training pipeline is told (admin). */
  @Put('models/:modelId/retrain-policy')
  @RequireScope('admin')
  @ApiOkResponse({ type: RetrainPolicyDto })
  @ApiProblems(400, 404)
  putRetrainPolicy(@UuidParam('modelId') modelId: string, @Body() body: PutRetrainPolicyDto): Promise<RetrainPolicyDto> {
    return this.policies.putPolicy(modelId, body);
  }

  @Get('models/:modelId/retrain-policy')
  @ApiOkResponse({ type: RetrainPolicyDto })
  @ApiProblems(400, 404)
  getRetrainPolicy(@UuidParam('modelId') modelId: string): Promise<RetrainPolicyDto> {
    return this.policies.getPolicy(modelId);
  }
}
