import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsNumber, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { FINITE } from 'src/common/validation/numbers';
import { PaginationQueryDto } from 'src/common/pagination/pagination.dto';
import { ToBoolean } from 'src/common/validation/validation';
import { IsNullable, IsOptional, IsPlainObject } from 'src/common/validation/validators';
import { ModelEntity, TaskType } from 'src/models/model.entity';

export const MODEL_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;
export const MODEL_NAME_MESSAGE = 'must be a slug matching ^[a-z0-9][a-z0-9._-]{0,99}$';

export class CreateModelDto {
  /** Unique slug: lowercase letters, digits, `.`, `_`, `-`; 1–100 characters, starting with a letter or digit. */
  @ApiProperty({ pattern: MODEL_NAME_PATTERN.source, example: 'churn-classifier' })
  @IsString()
  @Matches(MODEL_NAME_PATTERN, { message: `name ${MODEL_NAME_MESSAGE}` })
  name: string;

  /** Human-friendly name. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  displayName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ enum: TaskType, enumName: 'TaskType', default: TaskType.Other })
  @IsOptional()
  @IsEnum(TaskType)
  taskType?: TaskType;

  /** Binary classifiers: a logged prediction without `predictedLabel` counts as 1 when its score is ≥ this; default 0.5. */
  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 1, default: 0.5 })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(0)
  @Max(1)
  decisionThreshold?: number;

  /** Team or person responsible. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  tags?: string[];

  /** Free-form JSON object. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsPlainObject()
  metadata?: Record<string, unknown>;
}

/** Every field optional; `displayName`, `description` and `owner` may be set to null to clear them. */
export class UpdateModelDto extends PartialType(
  OmitType(CreateModelDto, ['name', 'displayName', 'description', 'owner', 'taskType', 'tags', 'metadata'] as const),
) {
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 200 })
  @IsNullable()
  @IsString()
  @MaxLength(200)
  displayName?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 5000 })
  @IsNullable()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 200 })
  @IsNullable()
  @IsString()
  @MaxLength(200)
  owner?: string | null;

  @ApiPropertyOptional({ pattern: MODEL_NAME_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(MODEL_NAME_PATTERN, { message: `name ${MODEL_NAME_MESSAGE}` })
  name?: string;

  @ApiPropertyOptional({ enum: TaskType, enumName: 'TaskType' })
  @IsOptional()
  @IsEnum(TaskType)
  taskType?: TaskType;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsPlainObject()
  metadata?: Record<string, unknown>;
}

/** PUT /models/by-name/{name}: the fields used when the model does not exist yet (ignored when it does). */
export class PutModelByNameDto extends OmitType(CreateModelDto, ['name'] as const) {}

export class ListModelsQueryDto extends PaginationQueryDto {
  /** The model with exactly this name (an empty page when there is none). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ enum: TaskType, enumName: 'TaskType' })
  @IsOptional()
  @IsEnum(TaskType)
  taskType?: TaskType;

  /** Models carrying this tag. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner?: string;

  /** Models whose name starts with this prefix. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  namePrefix?: string;
}

export class DeleteModelQueryDto {
  /** Delete the model together with all its data (metrics, runs, tests, alerts, drift checks) in one transaction. */
  @ApiPropertyOptional({ type: 'boolean', default: false })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  force?: boolean;
}

export class ModelDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  name: string;
  @ApiProperty({ type: 'string', nullable: true })
  displayName: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  description: string | null;
  @ApiProperty({ enum: TaskType, enumName: 'TaskType' })
  taskType: TaskType;
  /** Binary classifiers: score ≥ this is a predicted 1 when a prediction gives no predictedLabel. */
  decisionThreshold: number;
  @ApiProperty({ type: 'string', nullable: true })
  owner: string | null;
  tags: string[];
  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ModelPageDto {
  @ApiProperty({ type: [ModelDto] })
  items: ModelDto[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}

export function mapModel(model: ModelEntity): ModelDto {
  return {
    id: model.id,
    name: model.name,
    displayName: model.displayName,
    description: model.description,
    taskType: model.taskType,
    decisionThreshold: model.decisionThreshold,
    owner: model.owner,
    tags: model.tags,
    metadata: model.metadata,
    createdAt: model.createdAt.toISOString(),
    updatedAt: model.updatedAt.toISOString(),
  };
}
