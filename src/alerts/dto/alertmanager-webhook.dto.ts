import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { IsOptional, IsPlainObject, IsStringMap, NestedDto } from 'src/common/validation/validators';

/** RFC 3339 as Go writes it (Alertmanager's zero time `0001-01-01T00:00:00Z` included, which general date checks refuse). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Alertmanager sends at most max_alerts per call (0 = all); this caps one call. */
const MAX_ALERTS = 1000;

/** One alert of an Alertmanager webhook call (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export class AlertmanagerWebhookAlertDto {
  @ApiProperty({ enum: ['firing', 'resolved'] })
  @IsIn(['firing', 'resolved'])
  status: 'firing' | 'resolved';

  /** `model` names a ModelWatch model (by name or id); `modelwatch_alert_id` marks an alert ModelWatch pushed itself. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  @IsStringMap({ maxEntries: 100 })
  labels: Record<string, string>;

  /** `summary` becomes the title, `description` the message. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  @IsPlainObject()
  annotations: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  @IsString()
  @Matches(RFC3339, { message: 'startsAt must be an RFC 3339 time' })
  startsAt: string;

  /** `0001-01-01T00:00:00Z` while the end is not known. */
  @ApiProperty({ format: 'date-time' })
  @IsString()
  @Matches(RFC3339, { message: 'endsAt must be an RFC 3339 time' })
  endsAt: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  generatorURL?: string;

  /** Alertmanager's fingerprint of the alert's labels: ModelWatch's key for it. */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  fingerprint: string;
}

/** An Alertmanager webhook call, payload version 4. Unknown members (`externalURL`, `groupLabels`, …) are kept out. */
export class AlertmanagerWebhookDto {
  /** Must be "4" (the only version Alertmanager has sent since 0.10). */
  @ApiProperty({ enum: ['4'] })
  @IsIn(['4'], { message: 'version must be "4" (the Alertmanager webhook payload version this endpoint reads)' })
  version: '4';

  @IsString()
  @MaxLength(10_000)
  groupKey: string;

  @ApiProperty({ enum: ['firing', 'resolved'] })
  @IsIn(['firing', 'resolved'])
  status: 'firing' | 'resolved';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  receiver?: string;

  /** How many alerts Alertmanager left out (max_alerts). */
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  truncatedAlerts?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsPlainObject()
  groupLabels?: Record<string, string>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsPlainObject()
  commonLabels?: Record<string, string>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsPlainObject()
  commonAnnotations?: Record<string, string>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  externalURL?: string;

  @ApiProperty({ type: [AlertmanagerWebhookAlertDto], maxItems: MAX_ALERTS })
  @IsArray()
  @ArrayMaxSize(MAX_ALERTS)
  @NestedDto(() => AlertmanagerWebhookAlertDto, { each: true })
  alerts: AlertmanagerWebhookAlertDto[];
}

export enum AlertmanagerAlertAction {
  Raised = 'raised',
  Updated = 'updated',
  Resolved = 'resolved',
  /** A resolved alert ModelWatch had no open alert for. */
  Ignored = 'ignored',
}

export class AlertmanagerAlertOutcomeDto {
  /** Alertmanager's fingerprint. */
  fingerprint: string;
  /** The ModelWatch alert it was recorded as (null when ignored). */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  alertId: string | null;
  @ApiProperty({ enum: AlertmanagerAlertAction, enumName: 'AlertmanagerAlertAction' })
  action: AlertmanagerAlertAction;
}

/** What ModelWatch made of the call, alert by alert. */
export class AlertmanagerWebhookResultDto {
  @ApiProperty({ type: [AlertmanagerAlertOutcomeDto] })
  alerts: AlertmanagerAlertOutcomeDto[];
}
