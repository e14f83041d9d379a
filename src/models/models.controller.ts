import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import { CreateModelDto, DeleteModelQueryDto, ListModelsQueryDto, ModelDto, ModelPageDto, UpdateModelDto } from 'src/models/dto/model.dto';
import { ModelsService } from 'src/models/models.service';

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  /** Register a model. */
  @Post()
  @ApiCreatedResponse({ type: ModelDto })
  @ApiProblems(400, 409, 413)
  createModel(@Body() body: CreateModelDto): Promise<ModelDto> {
    return this.models.create(body);
  }

  /** List models, filtered by task type, tag, owner or name prefix. */
  @Get()
  @ApiOkResponse({ type: ModelPageDto })
  @ApiProblems(400)
  listModels(@Query() query: ListModelsQueryDto): Promise<ModelPageDto> {
    return this.models.list(query);
  }

  /** One model. */
  @Get(':modelId')
  @ApiOkResponse({ type: ModelDto })
  @ApiProblems(400, 404)
  getModel(@UuidParam('modelId') modelId: string): Promise<ModelDto> {
    return this.models.get(modelId);
  }

  /** Change a model's fields; `displayName`, `description` and `owner` can be cleared with null. */
  @Patch(':modelId')
  @ApiOkResponse({ type: ModelDto })
  @ApiProblems(400, 404, 409, 413)
  updateModel(@UuidParam('modelId') modelId: string, @Body() body: UpdateModelDto): Promise<ModelDto> {
    return this.models.update(modelId, body);
  }

  /** Delete a model; 409 while it has data unless `force=true`. */
  @Delete(':modelId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems(400, 404, 409)
  deleteModel(@UuidParam('modelId') modelId: string, @Query() query: DeleteModelQueryDto): Promise<void> {
    return this.models.delete(modelId, query.force ?? false);
  }
}
