import { MAX_ABS_VALUE } from 'src/common/validation/numbers';
import { TIMESTAMP_SCHEMA } from 'src/common/validation/timestamp';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IsLabel, IsMetricName } from 'src/metrics/dto/metric-fields.validation';
import { MAX_POINTS_PER_BATCH, METRIC_NAME_PATTERN } from 'src/metrics/metrics.types';
import { IsOptional } from 'src/common/validation/validators';
import { MODEL_NAME_PATTERN } from 'src/models/dto/model.dto';

/**
 * One point of POST /metrics/record. Documentation only (like RecordMetricsDto): the body is checked by
 * prepareMetricPoints (src/metrics/metric-points.policy.ts), ~50× faster than class-transformer +
 * class-validator on 10,000-point batches, naming each bad field `points[i].field` the same way.
 */
export class MetricPointDto {
  /** The model's id (or give `modelName` instead). */
  @ApiPropertyOptional({ format: 'uuid' })
  modelId?: string;

  /** The model's name, instead of `modelId` (exactly one of the two). */
  @ApiPropertyOptional({ pattern: MODEL_NAME_PATTERN.source })
  modelName?: string;

  /** Letters, digits and `_ . : / -`, 1–100 characters (e.g. `accuracy`, `latency.p95_ms`). */
  @ApiProperty({ pattern: METRIC_NAME_PATTERN.source, example: 'accuracy' })
  metricName: string;

  /** A finite number (NaN and ±Infinity, as numbers or strings, are rejected). */
  @ApiProperty({ type: 'number', minimum: -MAX_ABS_VALUE, maximum: MAX_ABS_VALUE })
  value: number;

  /** When the value was measured (RFC 3339 with offset, or epoch milliseconds); defaults to now, at most 5 minutes in the future. */
  @ApiPropertyOptional({ oneOf: TIMESTAMP_SCHEMA })
  recordedAt?: string | number;

  @ApiPropertyOptional({ type: 'string', nullable: true, minLength: 1, maxLength: 200 })
  modelVersion?: string | null;

  /** Deployment environment; default `production`. */
  @ApiPropertyOptional({ default: 'production', minLength: 1, maxLength: 100 })
  environment?: string;

  /** Slice of traffic the value describes, a flat map of strings (e.g. `{ "region": "eu" }`); default `{}`. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { region: 'eu' } })
  segment?: Record<string, string>;

  /** Number of predictions the value was computed from. */
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: 2_147_483_647 })
  sampleSize?: number | null;

  /** Retry-safe key: a point whose key was already recorded for this model is skipped. */
  @ApiPropertyOptional({ type: 'string', nullable: true, minLength: 1, maxLength: 200 })
  idempotencyKey?: string | null;
}

/** The body of POST /metrics/record (documentation only: see MetricPointDto). */
export class RecordMetricsDto {
  /** 1 to 10,000 points, recorded all or nothing. */
  @ApiProperty({ type: [MetricPointDto], minItems: 1, maxItems: MAX_POINTS_PER_BATCH })
  points: MetricPointDto[];
}

/**
 * The body as the handler receives it: an interface, so the global ValidationPipe (which skips
 * Object-typed parameters) leaves the parsed JSON untouched for prepareMetricPoints.
 */
export interface RecordMetricsBody {
  points?: unknown;
}

export class RecordMetricsResultDto {
  /** Points written. */
  @ApiProperty({ type: 'integer' })
  recorded: number;
  /** Points skipped because their idempotencyKey was already recorded for the model (or repeated in the batch). */
  @ApiProperty({ type: 'integer' })
  duplicates: number;
}

export class LatestMetricsQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  modelId: string;

  /** Only this environment (default: all). */
  @IsOptional()
  @IsLabel(100)
  environment?: string;

  /** Only this metric (default: all). */
  @ApiPropertyOptional({ pattern: METRIC_NAME_PATTERN.source })
  @IsOptional()
  @IsMetricName()
  metricName?: string;
}

export class LatestMetricDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ type: 'string', nullable: true })
  modelVersion: string | null;
  environment: string;
  metricName: string;
  value: number;
  @ApiProperty({ format: 'date-time' })
  recordedAt: string;
}

export class LatestMetricsDto {
  /** The latest point of each (modelVersion, environment, metricName) of the model. */
  @ApiProperty({ type: [LatestMetricDto] })
  items: LatestMetricDto[];
}

export interface LatestMetricRow {
  modelId: string;
  modelVersion: string | null;
  environment: string;
  metricName: string;
  value: number;
  recordedAt: Date;
}

export function mapLatestMetric(row: LatestMetricRow): LatestMetricDto {
  return { ...row, recordedAt: row.recordedAt.toISOString() };
}
