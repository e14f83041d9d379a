import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { METRIC_NAME_PATTERN } from 'src/metrics/metrics.types';

export function IsMetricName(): PropertyDecorator {
  return applyDecorators(IsString(), Matches(METRIC_NAME_PATTERN, { message: `$property must match ${METRIC_NAME_PATTERN.source}` }));
}

/** Environment names and model versions: non-empty text of bounded length. */
export function IsLabel(maxLength: number): PropertyDecorator {
  return applyDecorators(IsString(), MinLength(1), MaxLength(maxLength));
}

/** A timestamp field after IsTimestamp (a canonical ISO string) as a Date. */
export function parseOptionalTimestamp(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}
