import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  /** Path of the offending field, e.g. `points[3].value`. */
  field: string;
  message: string;
}

/** RFC 9457 problem details (media type application/problem+json). */
export class ProblemDetailsDto {
  /** URI identifying the problem type, e.g. `urn:modelwatch:problem:model-not-found`. */
  type: string;
  /** Short, human-readable summary of the problem type. */
  title: string;
  /** The HTTP status code. */
  @ApiProperty({ type: 'integer', example: 404 })
  status: number;
  /** Explanation specific to this occurrence. */
  detail: string;
  /** The request path. */
  instance: string;
  /** Stable machine-readable error code, e.g. `MODEL_NOT_FOUND`. */
  code: string;
  /** The request id (also in the X-Request-Id response header). */
  requestId: string;
  /** Each invalid field (validation errors). */
  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldErrorDto[];
}
