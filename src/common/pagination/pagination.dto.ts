import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { ToNumber } from 'src/common/validation/validation';
import { IsOptional } from 'src/common/validation/validators';

/** `?limit=&cursor=`: keyset pagination shared by every list endpoint. */
export class PaginationQueryDto {
  /** Page size, 1–500. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  /** Opaque cursor from the previous page's `nextCursor`. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}
