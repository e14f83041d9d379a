import { Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import { SampleBody, type Validated } from 'src/drift/dto/sample-body';
import { PutReferenceDto, PutReferenceFeatureDto, ReferenceDto, ReferenceFeatureSummaryDto } from 'src/drift/dto/reference.dto';
import { ReferenceService } from 'src/drift/reference.service';

@ApiTags('drift')
@Controller('models/:modelId/reference')
export class ReferenceController {
  constructor(private readonly references: ReferenceService) {}

  /** Replace the model's whole reference data (up to 500 features × 1,000,000 values) atomically. */
  @Put()
  @ApiBody({ type: PutReferenceDto })
  @ApiOkResponse({ type: ReferenceDto })
  @ApiProblems(400, 404, 413)
  putReferenceData(
    @UuidParam('modelId') modelId: string,
    @SampleBody(PutReferenceDto, ['features']) body: Validated<PutReferenceDto>,
  ): Promise<ReferenceDto> {
    return this.references.putReference(modelId, body);
  }

  /** Add or replace one reference feature (for references larger than one request body). */
  @Put('features/:featureName')
  @ApiBody({ type: PutReferenceFeatureDto })
  @ApiOkResponse({ type: ReferenceFeatureSummaryDto })
  @ApiProblems(400, 404, 409, 413)
  putReferenceFeature(
    @UuidParam('modelId') modelId: string,
    @Param('featureName') featureName: string,
    @SampleBody(PutReferenceFeatureDto, ['']) body: Validated<PutReferenceFeatureDto>,
  ): Promise<ReferenceFeatureSummaryDto> {
    return this.references.putReferenceFeature(modelId, featureName, body);
  }

  /** Per-feature summaries of the stored reference (never the raw values). */
  @Get()
  @ApiOkResponse({ type: ReferenceDto })
  @ApiProblems(400, 404)
  getReferenceData(@UuidParam('modelId') modelId: string): Promise<ReferenceDto> {
    return this.references.getReference(modelId);
  }
}
