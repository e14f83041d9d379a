import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import {
  EstimationQualityDto,
  EstimationQualityQueryDto,
  EstimationReferenceDto,
  PutEstimationReferenceDto,
} from 'src/predictions/dto/estimation.dto';
import { EstimationPrefill } from 'src/predictions/estimation-prefill.service';
import { EstimationReferenceService } from 'src/predictions/estimation-reference.service';
import { EstimationService } from 'src/predictions/estimation.service';

@ApiTags('predictions')
@Controller('models/:modelId')
export class EstimationController {
  constructor(
    private readonly references: EstimationReferenceService,
    private readonly estimation: EstimationService,
    private readonly prefill: EstimationPrefill,
  ) {}

  /** Fit performance estimation (CBPE) on the labelled predictions of [from, to) and store the fit; PUT again to refit. */
  @Put('estimation-reference')
  @ApiOperation({
    description:
      "For a binary model, the estimates of the reference's environment over the last ESTIMATION_PREFILL_DAYS days (default 30) " +
      'are then computed in the background, so that the first trend read does not wait for them.',
  })
  @ApiOkResponse({ type: EstimationReferenceDto })
  @ApiProblems(400, 404)
  async putEstimationReference(
    @UuidParam('modelId') modelId: string,
    @Body() body: PutEstimationReferenceDto,
  ): Promise<EstimationReferenceDto> {
    const reference = await this.references.putReference(modelId, body);
    this.prefill.start(modelId, reference.environment);
    return reference;
  }

  /** The stored estimation reference, and whether its labels changed since it was fitted (`stale`). */
  @Get('estimation-reference')
  @ApiOkResponse({ type: EstimationReferenceDto })
  @ApiProblems(400, 404)
  getEstimationReference(@UuidParam('modelId') modelId: string): Promise<EstimationReferenceDto> {
    return this.references.getReference(modelId);
  }

  /** How the CBPE estimates compared with the realized values once labels landed: bias, MAE and band coverage per metric. */
  @Get('estimation-quality')
  @ApiOkResponse({ type: EstimationQualityDto })
  @ApiProblems(400, 404)
  getEstimationQuality(@UuidParam('modelId') modelId: string, @Query() query: EstimationQualityQueryDto): Promise<EstimationQualityDto> {
    return this.estimation.getQuality(modelId, query);
  }
}
