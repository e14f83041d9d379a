import { IsTimestamp } from 'src/common/validation/timestamp';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsNumber, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { AlertEntity } from 'src/alerts/alert.entity';
import { AlertEvent, AlertSeverity, AlertStatus, AlertType, DeliveryStatus } from 'src/alerts/alert.enums';
import { WebhookDeliveryAttemptEntity } from 'src/alerts/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from 'src/alerts/webhook-delivery.entity';
import { PageOf } from 'src/alerts/dto/page.dto';
import { PaginationQueryDto } from 'src/common/pagination/pagination.dto';
import { ToBoolean } from 'src/common/validation/validation';
import { IsNullable, IsOptional, IsPlainObject, IsStringMap } from 'src/common/validation/validators';
import { ModelReferenceDto } from 'src/models/dto/model-reference.dto';
import { AlertInhibitionDto } from 'src/alerts/dto/silence.dto';

export class RaiseAlertDto extends ModelReferenceDto {
  @ApiProperty({ enum: AlertType, enumName: 'AlertType' })
  @IsEnum(AlertType)
  type: AlertType;

  /** Raising an open alert again keeps the higher of its severity and this one. */
  @ApiProperty({ enum: AlertSeverity, enumName: 'AlertSeverity' })
  @IsEnum(AlertSeverity)
  severity: AlertSeverity;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  message?: string;

  /** String labels; with the model and type they make the fingerprint an open alert is deduplicated on. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsStringMap()
  labels?: Record<string, string>;

  /** Free-form JSON object (the latest raise wins). */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsPlainObject()
  details?: Record<string, unknown>;

  /** The observed value that caused the alert. */
  @ApiPropertyOptional({ type: 'number', nullable: true })
  @IsNullable()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value?: number | null;

  /** Who raises it (default `api`). */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,99}$/, {
    message: 'source must be a slug of lowercase letters, digits, ".", "_" or "-" (1–100 characters)',
  })
  source?: string;
}

export class AlertActionDto {
  /** Who does it (a person or system name). */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  by: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;
}

class AlertFilterQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  modelId?: string;

  @ApiPropertyOptional({ enum: AlertType, enumName: 'AlertType' })
  @IsOptional()
  @IsEnum(AlertType)
  type?: AlertType;

  @ApiPropertyOptional({ enum: AlertSeverity, enumName: 'AlertSeverity' })
  @IsOptional()
  @IsEnum(AlertSeverity)
  severity?: AlertSeverity;
}

export class ListActiveAlertsQueryDto extends AlertFilterQueryDto {
  /** Also list pending alerts (whose rule condition has not yet held for its `forMinutes`). */
  @ApiPropertyOptional({ type: 'boolean', default: false })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  includePending?: boolean;
}

export class ListAlertsQueryDto extends AlertFilterQueryDto {
  @ApiPropertyOptional({ enum: AlertStatus, enumName: 'AlertStatus' })
  @IsOptional()
  @IsEnum(AlertStatus)
  status?: AlertStatus;

  /** Alerts first seen at or after this time (ISO 8601). */
  @IsOptional()
  @IsTimestamp({ query: true })
  from?: string;

  /** Alerts first seen before this time (ISO 8601). */
  @IsOptional()
  @IsTimestamp({ query: true })
  to?: string;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** The model it concerns; null for an alert from outside (Alertmanager) that names no model. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  modelId: string | null;
  @ApiProperty({ enum: AlertType, enumName: 'AlertType' })
  type: AlertType;
  @ApiProperty({ enum: AlertSeverity, enumName: 'AlertSeverity' })
  severity: AlertSeverity;
  @ApiProperty({ enum: AlertStatus, enumName: 'AlertStatus' })
  status: AlertStatus;
  title: string;
  @ApiProperty({ type: 'string', nullable: true })
  message: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  labels: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: true })
  details: Record<string, unknown>;
  /** Hex SHA-256 of the model, type and sorted labels: the dedup key. */
  fingerprint: string;
  /** How many times it was raised (or its rule found the condition true) while unresolved. */
  @ApiProperty({ type: 'integer' })
  occurrences: number;
  /** Latest observed value. */
  @ApiProperty({ type: 'number', nullable: true })
  value: number | null;
  @ApiProperty({ format: 'date-time' })
  firstSeenAt: string;
  @ApiProperty({ format: 'date-time' })
  lastSeenAt: string;
  /** When it first became firing. */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  firedAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  acknowledgedAt: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  acknowledgedBy: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  acknowledgementNote: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  resolvedAt: string | null;
  /** A person, or `modelwatch` when a rule resolved it automatically. */
  @ApiProperty({ type: 'string', nullable: true })
  resolvedBy: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  resolutionNote: string | null;
  /** The rule that raised it. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  ruleId: string | null;
  source: string;
  /**
   * Ids of the silences that held back its latest notification. Evaluated and stored whenever the alert would notify
   * (a firing raise, a resolve, a review after a silence or training run ended), not at read time: empty once it notified.
   */
  @ApiProperty({ type: [String], format: 'uuid' })
  silencedBy: string[];
  /** ModelWatch's built-in inhibitions (retraining, fresh reference) that held back its latest notification, stored like silencedBy. */
  @ApiProperty({ type: [AlertInhibitionDto] })
  inhibitedBy: AlertInhibitionDto[];
}

export class ActiveAlertDto extends AlertDto {
  /** Null when the alert belongs to no model. */
  @ApiProperty({ type: 'string', nullable: true })
  modelName: string | null;
}

export class AlertPageDto extends PageOf(AlertDto) {}

export class ActiveAlertPageDto extends PageOf(ActiveAlertDto) {}

export class DeliveryAttemptDto {
  @ApiProperty({ type: 'integer' })
  attempt: number;
  @ApiProperty({ format: 'date-time' })
  attemptedAt: string;
  /** The receiver's HTTP status; null when it did not answer. */
  @ApiProperty({ type: 'integer', nullable: true })
  statusCode: number | null;
  @ApiProperty({ type: 'string', nullable: true })
  error: string | null;
  @ApiProperty({ type: 'integer' })
  durationMs: number;
}

/** One notification of an alert to one channel, with its delivery attempts. */
export class AlertNotificationDto {
  /** Also the `X-ModelWatch-Delivery` header the receiver got. */
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  channelId: string | null;
  @ApiProperty({ enum: AlertEvent, enumName: 'AlertEvent' })
  event: AlertEvent;
  @ApiProperty({ enum: DeliveryStatus, enumName: 'DeliveryStatus' })
  status: DeliveryStatus;
  @ApiProperty({ type: 'integer' })
  attempts: number;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  /** When the next attempt is due (pending notifications). */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  nextAttemptAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  deliveredAt: string | null;
  @ApiProperty({ type: 'integer', nullable: true })
  lastStatusCode: number | null;
  @ApiProperty({ type: 'string', nullable: true })
  lastError: string | null;
  @ApiProperty({ type: [DeliveryAttemptDto] })
  attemptLog: DeliveryAttemptDto[];
}

export class AlertDetailDto extends AlertDto {
  @ApiProperty({ type: [AlertNotificationDto] })
  notifications: AlertNotificationDto[];
}

function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

export function mapAlert(alert: AlertEntity): AlertDto {
  return {
    id: alert.id,
    modelId: alert.modelId,
    type: alert.type,
    severity: alert.severity,
    status: alert.status,
    title: alert.title,
    message: alert.message,
    labels: alert.labels,
    details: alert.details,
    fingerprint: alert.fingerprint,
    occurrences: alert.occurrences,
    value: alert.value,
    firstSeenAt: alert.firstSeenAt.toISOString(),
    lastSeenAt: alert.lastSeenAt.toISOString(),
    firedAt: isoOrNull(alert.firedAt),
    acknowledgedAt: isoOrNull(alert.acknowledgedAt),
    acknowledgedBy: alert.acknowledgedBy,
    acknowledgementNote: alert.acknowledgementNote,
    resolvedAt: isoOrNull(alert.resolvedAt),
    resolvedBy: alert.resolvedBy,
    resolutionNote: alert.resolutionNote,
    ruleId: alert.ruleId,
    source: alert.source,
    silencedBy: alert.silencedBy ?? [],
    inhibitedBy: alert.inhibitedBy ?? [],
  };
}

export function mapActiveAlert(row: { alert: AlertEntity; modelName: string | null }): ActiveAlertDto {
  return { ...mapAlert(row.alert), modelName: row.modelName };
}

export function mapNotification(delivery: WebhookDeliveryEntity, attempts: WebhookDeliveryAttemptEntity[]): AlertNotificationDto {
  return {
    id: delivery.id,
    channelId: delivery.channelId,
    event: delivery.event as AlertEvent,
    status: delivery.status,
    attempts: delivery.attempts,
    createdAt: delivery.createdAt.toISOString(),
    nextAttemptAt: delivery.status === DeliveryStatus.Pending ? delivery.nextAttemptAt.toISOString() : null,
    deliveredAt: isoOrNull(delivery.deliveredAt),
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    attemptLog: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      attemptedAt: attempt.attemptedAt.toISOString(),
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
    })),
  };
}
