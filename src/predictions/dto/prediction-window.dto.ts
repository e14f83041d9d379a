import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'src/common/validation/validators';
import { IsTimestamp } from 'src/common/validation/timestamp';
import { IsLabel } from 'src/metrics/dto/metric-fields.validation';

/** A window of logged predictions that something is learned or fitted from (a reference). */
export class PredictionWindowDto {
  /** Start of the window, inclusive, by prediction time. */
  @IsTimestamp({ required: true })
  from: string;

  /** End of the window, exclusive; after `from`. */
  @IsTimestamp({ required: true })
  to: string;

  /** Environment of the window's predictions; default `production`. */
  @ApiPropertyOptional({ default: 'production' })
  @IsOptional()
  @IsLabel(100)
  environment?: string;
}
