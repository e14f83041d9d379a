import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID } from 'class-validator';
import { IsOptional } from 'src/common/validation/validators';
import { MODEL_NAME_PATTERN } from 'src/models/dto/model.dto';

/**
 * The model a write names: `modelId` or `modelName`, exactly one. A request's `modelName` is turned into
 * `modelId` by ModelNameInterceptor before validation, so services only ever see `modelId`.
 */
export class ModelReferenceDto {
  /** The model's id (or give `modelName` instead). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsUUID()
  modelId: string;

  /** The model's name, instead of `modelId` (exactly one of the two). */
  @ApiPropertyOptional({ pattern: MODEL_NAME_PATTERN.source })
  @IsOptional()
  @IsString()
  modelName?: string;
}
