import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { AB_TEST_METRIC_TYPES } from 'src/ab-tests/ab-test.entity';
import type { AbTestMetricType } from 'src/ab-tests/ab-test.stats';
import { AbTestMetricSpecDto, RolloutSettingsDto } from 'src/ab-tests/dto/ab-test.dto';
import type { RetrainRolloutSettings } from 'src/drift/rollout-on-retrain.policy';
import { RetrainPolicyEntity } from 'src/drift/retrain-policy.entity';
import {
  DEFAULT_COOLDOWN_MINUTES,
  DEFAULT_QUEUED_TIMEOUT_MINUTES,
  DEFAULT_RUNNING_TIMEOUT_MINUTES,
  MAX_TIMEOUT_MINUTES,
} from 'src/drift/retrain.policy';
import { DEFAULT_REFERENCE_GRACE_MINUTES, MAX_REFERENCE_GRACE_MINUTES } from 'src/drift/retrain-inhibition.policy';
import { IsNullable, IsOptional, NestedDto } from 'src/common/validation/validators';

export enum RetrainReasonDto {
  Manual = 'manual',
  DataDrift = 'data_drift',
  PerformanceDegradation = 'performance_degradation',
  Scheduled = 'scheduled',
}

/** What happened about retraining: `triggered`, or why not. */
export enum RetrainOutcomeReason {
  Triggered = 'triggered',
  NotRequested = 'not_requested',
  NoPolicy = 'no_policy',
  PolicyDisabled = 'policy_disabled',
  TriggerDisabled = 'trigger_disabled',
  ActiveRun = 'active_run',
  Cooldown = 'cooldown',
}

/**
 * The guarded rollout started for each candidate a successful retrain produces: the metrics it watches (as in
 * POST /ab-test/start; guardrails with their tolerances) and its ramp. The champion is the version in place (the
 * latest promoted rollout's challenger, else the newest earlier succeeded run's version), the challenger the run's
 * `modelVersion`.
 */
export class RetrainRolloutDto {
  /** Single-metric rollouts: the metric observations are recorded for (no guardrail then: SRM and traffic only). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  primaryMetric?: string;

  @ApiPropertyOptional({ enum: AB_TEST_METRIC_TYPES, enumName: 'AbTestMetricType' })
  @IsOptional()
  @IsIn(AB_TEST_METRIC_TYPES)
  metricType?: AbTestMetricType;

  /** The rollout's metrics: one primary and any guardrails (each with its tolerated relative harm). */
  @ApiPropertyOptional({ type: [AbTestMetricSpecDto], minItems: 1, maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @NestedDto(() => AbTestMetricSpecDto, { each: true })
  metrics?: AbTestMetricSpecDto[];

  /** Significance level of the sequential test, in (0, 1) (default 0.05). */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  alpha?: number;

  @IsOptional()
  @NestedDto(() => RolloutSettingsDto)
  rollout?: RolloutSettingsDto;
}

export class PutRetrainPolicyDto {
  /**
   * Start a guarded rollout (POST /ab-test/start with mode `rollout`) of the candidate each successful retrain
   * produces; its transitions are sent to `webhookUrl` as signed `rollout.*` webhooks. null or omitted: off.
   */
  @ApiPropertyOptional({ type: RetrainRolloutDto, nullable: true })
  @IsNullable()
  @NestedDto(() => RetrainRolloutDto)
  rolloutOnRetrain?: RetrainRolloutDto | null;

  /** Retrain automatically at all. */
  @IsBoolean()
  enabled: boolean;

  /** Retrain after a drift check finds dataset drift. */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  onDataDrift?: boolean;

  /** Retrain when new metrics are degraded against their baselines. */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  onPerformanceDegradation?: boolean;

  /** Minimum time between automated runs (counted from the last one's queue time), 0–525600. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 525_600, default: DEFAULT_COOLDOWN_MINUTES })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(525_600)
  cooldownMinutes?: number;

  /** An automated run still queued this long after its last heartbeat or update fails with `timed_out` (minutes, ≥ 1). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_TIMEOUT_MINUTES, default: DEFAULT_QUEUED_TIMEOUT_MINUTES })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TIMEOUT_MINUTES)
  queuedTimeoutMinutes?: number;

  /** An automated run running this long after its last heartbeat or update fails with `timed_out` (minutes, ≥ 1). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_TIMEOUT_MINUTES, default: DEFAULT_RUNNING_TIMEOUT_MINUTES })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TIMEOUT_MINUTES)
  runningTimeoutMinutes?: number;

  /** Hold back this model's data_drift and performance_degradation notifications while it has a queued or running training run. */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  inhibitDuringRetrain?: boolean;

  /** Also hold them back this long after its reference data was replaced (minutes, 0 = off, up to 10,080). */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_REFERENCE_GRACE_MINUTES, default: DEFAULT_REFERENCE_GRACE_MINUTES })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_REFERENCE_GRACE_MINUTES)
  referenceGraceMinutes?: number;

  /** Your training pipeline's endpoint: receives a signed `retrain.triggered` webhook for every run. */
  @ApiPropertyOptional({ type: 'string', format: 'uri', nullable: true })
  @IsNullable()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  webhookUrl?: string | null;

  /**
   * Signing secret (`whsec_…` or 16–500 characters); kept when omitted and the URL is unchanged, else generated and
   * returned once in the response. Stored encrypted; never returned again.
   */
  @ApiPropertyOptional({ type: 'string', nullable: true, minLength: 16, maxLength: 500 })
  @IsNullable()
  @IsString()
  @MinLength(16)
  @MaxLength(500)
  webhookSecret?: string | null;
}

export class RetrainPolicyDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  enabled: boolean;
  onDataDrift: boolean;
  onPerformanceDegradation: boolean;
  @ApiProperty({ type: 'integer' })
  cooldownMinutes: number;
  @ApiProperty({ type: 'integer' })
  queuedTimeoutMinutes: number;
  @ApiProperty({ type: 'integer' })
  runningTimeoutMinutes: number;
  inhibitDuringRetrain: boolean;
  @ApiProperty({ type: 'integer' })
  referenceGraceMinutes: number;
  @ApiProperty({ type: 'string', nullable: true })
  webhookUrl: string | null;
  /** Whether a webhook secret is set (the secret itself is never returned). */
  hasWebhookSecret: boolean;
  /** The rollout started after each successful retrain; null: off. */
  @ApiProperty({ type: RetrainRolloutDto, nullable: true })
  rolloutOnRetrain: RetrainRolloutSettings | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

/** The stored policy; `webhookSecret` is shown here once when the service generated it. */
export class RetrainPolicySavedDto extends RetrainPolicyDto {
  /** The generated webhook secret (`whsec_…`), only in this response; null when you chose it or it was kept. */
  @ApiProperty({ type: 'string', nullable: true })
  webhookSecret: string | null;
}

export class TriggerRetrainDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  modelId: string;

  /** Why: recorded as the training run's trigger. */
  @ApiProperty({ enum: RetrainReasonDto, enumName: 'RetrainReason' })
  @IsEnum(RetrainReasonDto)
  reason: RetrainReasonDto;

  /** The drift check that motivated this run (must belong to the model). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  driftCheckId?: string;

  /** Who asked (a person or a system), recorded on the run. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  requestedBy?: string;

  /** Ignore the cooldown (never the one-active-run rule). */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class RetrainTriggeredDto {
  @ApiProperty({ format: 'uuid' })
  trainingRunId: string;
  @ApiProperty({ enum: ['queued'] })
  status: 'queued';
}

export class RetrainOutcomeDto {
  triggered: boolean;
  @ApiProperty({ enum: RetrainOutcomeReason, enumName: 'RetrainOutcomeReason' })
  reason: RetrainOutcomeReason;
  /** Human-readable explanation. */
  detail: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  trainingRunId: string | null;
}

export function mapRetrainPolicy(policy: RetrainPolicyEntity): RetrainPolicyDto {
  return {
    modelId: policy.modelId,
    enabled: policy.enabled,
    onDataDrift: policy.onDataDrift,
    onPerformanceDegradation: policy.onPerformanceDegradation,
    cooldownMinutes: policy.cooldownMinutes,
    queuedTimeoutMinutes: policy.queuedTimeoutMinutes,
    runningTimeoutMinutes: policy.runningTimeoutMinutes,
    inhibitDuringRetrain: policy.inhibitDuringRetrain,
    referenceGraceMinutes: policy.referenceGraceMinutes,
    webhookUrl: policy.webhookUrl,
    hasWebhookSecret: policy.webhookSecret !== null,
    rolloutOnRetrain: policy.rolloutOnRetrain,
    createdAt: policy.createdAt.toISOString(),
    updatedAt: policy.updatedAt.toISOString(),
  };
}
