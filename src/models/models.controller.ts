import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidParam } from 'src/common/http/uuid-param';
import { ApiProblems } from 'src/common/openapi/api-problems.decorator';
import {
  CreateModelDto,
  DeleteModelQueryDto,
  ListModelsQueryDto,
  ModelDto,
  ModelPageDto,
  PutModelByNameDto,
  UpdateModelDto,
} from 'src/models/dto/model.dto';
import { ApiModelNameParam, ModelNameParam } from 'src/models/model-name.param';
import { ModelsService } from 'src/models/models.service';
import { ApiExampleBody } from 'src/common/openapi/api-example-body';

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

  /** The model with this name. */
  @Get('by-name/:name')
  @ApiModelNameParam()
  @ApiOkResponse({ type: ModelDto })
  @ApiProblems(400, 404)
  getModelByName(@ModelNameParam() name: string): Promise<ModelDto> {
    return this.models.getByName(name);
  }

  /**
   * Get or create the model with this name (idempotent): 201 with the new model, or 200 with the existing one
   * unchanged (the body is used only when creating).
   */
  @Put('by-name/:name')
  @ApiModelNameParam()
  @ApiExampleBody(PutModelByNameDto, { taskType: 'binary_classification', owner: 'risk' })
  @ApiCreatedResponse({ type: ModelDto, description: 'Created.' })
  @ApiOkResponse({ type: ModelDto, description: 'Already existed; returned unchanged.' })
  @ApiProblems(400, 413)
  async putModelByName(
    @ModelNameParam() name: string,
    @Body() body: PutModelByNameDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ModelDto> {
    const { created, model } = await this.models.getOrCreate(name, body);
    response.status(created ? 201 : 200);
    return model;
  }

  /** List models, filtered by exact name, task type, tag, owner or name prefix. */
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
