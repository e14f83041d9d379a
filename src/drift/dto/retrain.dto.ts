import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsInt, IsString, IsUrl, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { RetrainPolicyEntity } from 'src/drift/retrain-policy.entity';
import {
  DEFAULT_COOLDOWN_MINUTES,
  DEFAULT_QUEUED_TIMEOUT_MINUTES,
  DEFAULT_RUNNING_TIMEOUT_MINUTES,
  MAX_TIMEOUT_MINUTES,
} from 'src/drift/retrain.policy';
import { DEFAULT_REFERENCE_GRACE_MINUTES, MAX_REFERENCE_GRACE_MINUTES } from 'src/drift/retrain-inhibition.policy';
import { IsNullable, IsOptional } from 'src/common/validation/validators';

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

export class PutRetrainPolicyDto {
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
    createdAt: policy.createdAt.toISOString(),
    updatedAt: policy.updatedAt.toISOString(),
  };
}
