import { applyDecorators } from '@nestjs/common';
import { IsISO8601, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { METRIC_NAME_PATTERN } from 'src/metrics/metrics.types';

/** ISO-8601 date-time with an explicit offset (`Z` or `±hh:mm`), so no value depends on the server's time zone. */
export const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function IsTimestamp(): PropertyDecorator {
  return applyDecorators(
    IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date-time' }),
    Matches(TIMESTAMP_PATTERN, { message: '$property must be an ISO-8601 date-time with an offset (Z or ±hh:mm)' }),
  );
}

export function IsMetricName(): PropertyDecorator {
  return applyDecorators(IsString(), Matches(METRIC_NAME_PATTERN, { message: `$property must match ${METRIC_NAME_PATTERN.source}` }));
}

/** Environment names and model versions: non-empty text of bounded length. */
export function IsLabel(maxLength: number): PropertyDecorator {
  return applyDecorators(IsString(), MinLength(1), MaxLength(maxLength));
}

export function parseOptionalTimestamp(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}
