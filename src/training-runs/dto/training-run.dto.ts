import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsEnum, IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import { IsNullable, IsOptional, NestedDto } from 'src/common/validation/validators';
import { PaginationQueryDto } from 'src/common/pagination/pagination.dto';
import { IsFiniteNumberMap, IsPlainObject } from 'src/common/validation/validators';
import { IsTimestamp } from 'src/common/validation/timestamp';
import { METRIC_NAME_PATTERN } from 'src/metrics/metrics.types';
import type { TrainingRunEntity } from 'src/training-runs/training-run.entity';
import { CREATABLE_STATUSES, durationSeconds, TrainingRunStatus, TrainingTrigger } from 'src/training-runs/training-run.policy';
import { ModelReferenceDto } from 'src/models/dto/model-reference.dto';

/** An optional timestamp field (documented as `date-time`). */
function OptionalTimestamp(): PropertyDecorator {
  return applyDecorators(IsOptional(), IsTimestamp());
}

/** Evaluation results: finite numbers under names the metrics module accepts (they become metric points on success). */
function IsMetricValues(): PropertyDecorator {
  return applyDecorators(
    IsFiniteNumberMap(),
    ValidateBy({
      name: 'isMetricNameMap',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'object' || value === null || Object.keys(value).every((name) => METRIC_NAME_PATTERN.test(name)),
        defaultMessage: (args) => `${args?.property} names must match ${METRIC_NAME_PATTERN.source}`,
      },
    }),
  );
}

export class TrainingDatasetInputDto {
  /** Where the training data lives: a table, a path, a dataset version. */
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  ref: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  rows?: number;

  /** Start of the period the data covers. */
  @OptionalTimestamp()
  from?: string;

  /** End of the period the data covers (not before `from`). */
  @OptionalTimestamp()
  to?: string;
}

export class CreateTrainingRunDto extends ModelReferenceDto {
  /** The version the run produced or will produce. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  modelVersion?: string;

  /** Why the run happened. `manual` runs are exempt from the one-active-automated-run-per-model rule. */
  @ApiPropertyOptional({ enum: TrainingTrigger, enumName: 'TrainingTrigger', default: TrainingTrigger.Manual })
  @IsOptional()
  @IsEnum(TrainingTrigger)
  trigger?: TrainingTrigger;

  /** `queued` for a run about to start; `running`, `succeeded` or `failed` to log one after the fact. */
  @ApiPropertyOptional({ enum: CREATABLE_STATUSES, enumName: 'TrainingRunCreateStatus', default: TrainingRunStatus.Queued })
  @IsOptional()
  @IsIn(CREATABLE_STATUSES)
  status?: TrainingRunStatus;

  /** Free-text reason (e.g. "weekly schedule", "PSI 0.31 on feature age"). */
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  reason?: string;

  /** Who or what started the run: a person, a service. Defaults to the API key's name (or `api` without keys). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  triggeredBy?: string;

  /** The run this one retrains from (same model). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  parentRunId?: string;

  /** Free-form JSON object. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsPlainObject()
  hyperparameters?: Record<string, unknown>;

  @IsOptional()
  @NestedDto(() => TrainingDatasetInputDto)
  dataset?: TrainingDatasetInputDto;

  /** Evaluation results: metric name → finite number. Recorded as metric points when the run succeeds. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' } })
  @IsOptional()
  @IsMetricValues()
  metrics?: Record<string, number>;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  artifactUri?: string;

  /** The run's id in your pipeline or MLflow. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  externalRunId?: string;

  /** Why the run failed; required when status is `failed`, refused otherwise. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  error?: string;

  @IsOptional()
  @IsString()
  @MaxLength(10000)
  notes?: string;

  /** Defaults to now (or to startedAt/finishedAt when those are earlier). */
  @OptionalTimestamp()
  queuedAt?: string;

  /** Not before queuedAt; defaults to now for a `running` run, unknown for a run logged as finished. */
  @OptionalTimestamp()
  startedAt?: string;

  /** Only for a finished run; not before startedAt; defaults to now. */
  @OptionalTimestamp()
  finishedAt?: string;
}

/** What the coordinator (and the POST handler) hands to TrainingRunsService.createRun. */
export type CreateTrainingRunInput = Omit<CreateTrainingRunDto, 'triggeredBy'> & { triggeredBy: string; driftCheckId?: string };

export class UpdateTrainingRunDto {
  /** Allowed: queued → running | cancelled; running → succeeded | failed | cancelled. Terminal statuses are final. */
  @ApiPropertyOptional({ enum: TrainingRunStatus, enumName: 'TrainingRunStatus' })
  @IsOptional()
  @IsEnum(TrainingRunStatus)
  status?: TrainingRunStatus;

  /** Null clears it. Final once the run has finished. */
  @ApiPropertyOptional({ type: 'string', nullable: true, minLength: 1, maxLength: 200 })
  @IsNullable()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  modelVersion?: string | null;

  /** Replaces the run's evaluation results (metric name → finite number). Final once the run has finished. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' } })
  @IsOptional()
  @IsMetricValues()
  metrics?: Record<string, number>;

  /** Null clears it. */
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 2000 })
  @IsNullable()
  @IsString()
  @MaxLength(2000)
  artifactUri?: string | null;

  /** Null clears it. */
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 500 })
  @IsNullable()
  @IsString()
  @MaxLength(500)
  externalRunId?: string | null;

  /** Why the run failed: required when moving to `failed`, refused for any other status. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  error?: string;

  /** Free-text notes; null clears them. Editable at any time. */
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 10000 })
  @IsNullable()
  @IsString()
  @MaxLength(10000)
  notes?: string | null;

  /** Only with the move queued → running; defaults to now. */
  @IsOptional()
  @IsTimestamp()
  startedAt?: string;

  /** Only with the move to a terminal status; defaults to now. */
  @IsOptional()
  @IsTimestamp()
  finishedAt?: string;
}

export class ListTrainingRunsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  modelId?: string;

  @ApiPropertyOptional({ enum: TrainingRunStatus, enumName: 'TrainingRunStatus' })
  @IsOptional()
  @IsEnum(TrainingRunStatus)
  status?: TrainingRunStatus;

  @ApiPropertyOptional({ enum: TrainingTrigger, enumName: 'TrainingTrigger' })
  @IsOptional()
  @IsEnum(TrainingTrigger)
  trigger?: TrainingTrigger;

  /** Runs queued at or after this time. */
  @OptionalTimestamp()
  from?: string;

  /** Runs queued before this time. */
  @OptionalTimestamp()
  to?: string;
}

export class TrainingDatasetDto {
  ref: string;
  @ApiPropertyOptional({ type: 'integer' })
  rows?: number;
  @ApiPropertyOptional({ format: 'date-time' })
  from?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  to?: string;
}

export class TrainingRunDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ type: 'string', nullable: true })
  modelVersion: string | null;
  @ApiProperty({ enum: TrainingTrigger, enumName: 'TrainingTrigger' })
  trigger: TrainingTrigger;
  @ApiProperty({ enum: TrainingRunStatus, enumName: 'TrainingRunStatus' })
  status: TrainingRunStatus;
  @ApiProperty({ type: 'string', nullable: true })
  reason: string | null;
  triggeredBy: string;
  /** The drift check behind an automated retrain. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  driftCheckId: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  parentRunId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true })
  hyperparameters: Record<string, unknown>;
  @ApiProperty({ type: () => TrainingDatasetDto, nullable: true })
  dataset: TrainingDatasetDto | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  metrics: Record<string, number>;
  @ApiProperty({ type: 'string', nullable: true })
  artifactUri: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  externalRunId: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  error: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  notes: string | null;
  @ApiProperty({ format: 'date-time' })
  queuedAt: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  startedAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  finishedAt: string | null;
  /** finishedAt − startedAt in seconds; null while the run is unfinished or its start is unknown. */
  @ApiProperty({ type: 'number', nullable: true })
  durationSeconds: number | null;
  /** The last heartbeat or update (an automated run's lease is counted from it); null before the first. */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  lastHeartbeatAt: string | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class TrainingRunPageDto {
  @ApiProperty({ type: [TrainingRunDto] })
  items: TrainingRunDto[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}

/** An object with one integer count per enum value (every key always present). */
function countsSchema(keys: string[]): ApiPropertyOptions {
  return {
    type: 'object',
    properties: Object.fromEntries(keys.map((key) => [key, { type: 'integer' as const }])),
    required: keys,
    selfRequired: true,
    additionalProperties: false,
  };
}

export class TrainingSummaryDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ type: 'integer' })
  totalRuns: number;
  /** Runs per status. */
  @ApiProperty(countsSchema(Object.values(TrainingRunStatus)))
  byStatus: Record<TrainingRunStatus, number>;
  /** Runs per trigger. */
  @ApiProperty(countsSchema(Object.values(TrainingTrigger)))
  byTrigger: Record<TrainingTrigger, number>;
  /** succeeded / (succeeded + failed); cancelled and unfinished runs are left out. Null when no run has succeeded or failed. */
  @ApiProperty({ type: 'number', nullable: true, minimum: 0, maximum: 1 })
  successRate: number | null;
  /** Mean of finishedAt − startedAt over succeeded runs whose start is known, in seconds; null when there are none. */
  @ApiProperty({ type: 'number', nullable: true })
  meanDurationSeconds: number | null;
  /** The succeeded run that finished last. */
  @ApiProperty({ type: () => TrainingRunDto, nullable: true })
  lastSucceededRun: TrainingRunDto | null;
  /** The run queued last. */
  @ApiProperty({ type: () => TrainingRunDto, nullable: true })
  lastRun: TrainingRunDto | null;
  /** Days (fractional) from the last success's finishedAt to now; null when no run has succeeded. */
  @ApiProperty({ type: 'number', nullable: true })
  daysSinceLastSuccess: number | null;
}

function isoOrNull(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

export function mapTrainingRun(run: TrainingRunEntity): TrainingRunDto {
  return {
    id: run.id,
    modelId: run.modelId,
    modelVersion: run.modelVersion,
    trigger: run.trigger,
    status: run.status,
    reason: run.reason,
    triggeredBy: run.triggeredBy,
    driftCheckId: run.driftCheckId,
    parentRunId: run.parentRunId,
    hyperparameters: run.hyperparameters,
    dataset: run.dataset,
    metrics: run.metrics,
    artifactUri: run.artifactUri,
    externalRunId: run.externalRunId,
    error: run.error,
    notes: run.notes,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: isoOrNull(run.startedAt),
    finishedAt: isoOrNull(run.finishedAt),
    durationSeconds: durationSeconds(run.startedAt, run.finishedAt),
    lastHeartbeatAt: isoOrNull(run.lastHeartbeatAt),
    createdAt: run.createdAt.toISOString(),
    updatedAt: run.updatedAt.toISOString(),
  };
}
