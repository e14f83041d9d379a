import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from 'src/common/auth/auth.decorators';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import { DataQualityService } from 'src/data-quality/data-quality.service';
import {
  DataQualityDto,
  DataQualityExpectationsDto,
  DataQualityQueryDto,
  SetDataQualityExpectationsDto,
  SetDataQualityReferenceDto,
} from 'src/data-quality/dto/data-quality.dto';

@ApiTags('data-quality')
@Controller('models/:modelId')
export class DataQualityController {
  constructor(private readonly dataQuality: DataQualityService) {}

  /** Learn each feature's expectation (type, [min, max], categories, nullable) from the model's predictions logged in [from, to). */
  @Put('data-quality-reference')
  @ApiOkResponse({ type: DataQualityExpectationsDto })
  @ApiProblems(400, 404)
  setDataQualityReference(
    @UuidParam('modelId') modelId: string,
    @Body() body: SetDataQualityReferenceDto,
  ): Promise<DataQualityExpectationsDto> {
    return this.dataQuality.setReference(modelId, body);
  }

  /** Give expectations explicitly (they win over learned ones) and set the data_quality alert thresholds. */
  @Put('data-quality-expectations')
  @RequireScope('admin')
  @ApiOkResponse({ type: DataQualityExpectationsDto })
  @ApiProblems(400, 404)
  setDataQualityExpectations(
    @UuidParam('modelId') modelId: string,
    @Body() body: SetDataQualityExpectationsDto,
  ): Promise<DataQualityExpectationsDto> {
    return this.dataQuality.setExpectations(modelId, body);
  }

  /** The model's effective expectations, reference window and thresholds. */
  @Get('data-quality-expectations')
  @ApiOkResponse({ type: DataQualityExpectationsDto })
  @ApiProblems(400, 404)
  getDataQualityExpectations(@UuidParam('modelId') modelId: string): Promise<DataQualityExpectationsDto> {
    return this.dataQuality.getExpectations(modelId);
  }

  /** Missing, out-of-range, unseen-category and type-mismatch shares of each expected feature per bucket of logged predictions. */
  @Get('data-quality')
  @ApiOkResponse({ type: DataQualityDto })
  @ApiProblems(400, 404)
  getDataQuality(@UuidParam('modelId') modelId: string, @Query() query: DataQualityQueryDto): Promise<DataQualityDto> {
    return this.dataQuality.getDataQuality(modelId, query);
  }
}
