import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsInt, IsString, IsUrl, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { AlertChannelEntity } from 'src/alerts/alert-channel.entity';
import { AlertSeverity, ChannelKind } from 'src/alerts/alert.enums';
import { PAGERDUTY_ROUTING_KEY } from 'src/integrations/pagerduty/pagerduty-event';
import { IsNullable, IsOptional } from 'src/common/validation/validators';
import { PageOf } from 'src/alerts/dto/page.dto';
import { PaginationQueryDto } from 'src/common/pagination/pagination.dto';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false, require_valid_protocol: true };

export class CreateAlertChannelDto {
  /** Unique name. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /**
   * What the channel speaks (docs/integrations.md): `webhook` (ModelWatch's signed JSON), `slack` (an incoming
   * webhook, Block Kit message), `pagerduty` (Events API v2), `alertmanager` (pushes PostableAlerts to its API).
   */
  @ApiPropertyOptional({ enum: ChannelKind, enumName: 'ChannelKind', default: ChannelKind.Webhook })
  @IsOptional()
  @IsEnum(ChannelKind)
  kind?: ChannelKind;

  /**
   * The receiver, an http(s) URL: the webhook, the Slack incoming-webhook URL, PagerDuty's enqueue endpoint
   * (optional for `pagerduty`, default https://events.pagerduty.com/v2/enqueue), or Alertmanager's base URL (alerts go to its
   * `/api/v2/alerts`). Required for every other kind.
   */
  @ApiPropertyOptional({ format: 'uri', example: 'https://hooks.example.com/modelwatch' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_OPTIONS, { message: 'url must be an http:// or https:// URL' })
  url?: string;

  /** PagerDuty only (and required there): the Events API v2 integration key, 32 letters and digits. Write-only, stored encrypted. */
  @ApiPropertyOptional({ type: 'string', nullable: true, writeOnly: true, pattern: PAGERDUTY_ROUTING_KEY.source })
  @IsNullable()
  @IsString()
  @Matches(PAGERDUTY_ROUTING_KEY, { message: 'routingKey must be a PagerDuty Events API v2 integration key: 32 letters and digits' })
  routingKey?: string | null;

  /**
   * Signing secret (Standard Webhooks `whsec_…`, or any 8–500 characters, used as raw bytes). Omit it and one is
   * generated and returned once in the response. Write-only: stored encrypted, never returned again.
   */
  @ApiPropertyOptional({ type: 'string', nullable: true, writeOnly: true, minLength: 8, maxLength: 500 })
  @IsNullable()
  @IsString()
  @MinLength(8)
  @MaxLength(500)
  secret?: string | null;

  /** Only alerts of this severity or higher are sent. */
  @ApiPropertyOptional({ enum: AlertSeverity, enumName: 'AlertSeverity', default: AlertSeverity.Info })
  @IsOptional()
  @IsEnum(AlertSeverity)
  minSeverity?: AlertSeverity;

  /** Only this model's alerts (omit or null: every model). */
  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true })
  @IsNullable()
  @IsUUID()
  modelId?: string | null;

  /** Also notify when an alert resolves. */
  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  sendResolved?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /** A still-firing alert is re-sent at most this often (minutes, 1–10,080). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10_080, default: 240 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_080)
  repeatIntervalMinutes?: number;
}

/** Any field; `secret: null` generates a new secret (returned once), `modelId: null` removes the model filter, `routingKey: null` removes the key (not on a pagerduty channel); other nulls are refused. */
export class UpdateAlertChannelDto extends PartialType(CreateAlertChannelDto, { skipNullProperties: false }) {}

export class ListAlertChannelsQueryDto extends PaginationQueryDto {}

export class AlertChannelDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  name: string;
  @ApiProperty({ enum: ChannelKind, enumName: 'ChannelKind' })
  kind: ChannelKind;
  url: string;
  /** Whether a signing secret is set (the secret itself is never returned). */
  hasSecret: boolean;
  /** Whether a PagerDuty routing key is set (the key itself is never returned). */
  hasRoutingKey: boolean;
  @ApiProperty({ enum: AlertSeverity, enumName: 'AlertSeverity' })
  minSeverity: AlertSeverity;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  modelId: string | null;
  sendResolved: boolean;
  enabled: boolean;
  @ApiProperty({ type: 'integer' })
  repeatIntervalMinutes: number;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

/** A created or changed channel; `secret` is shown here once when the service generated it. */
export class AlertChannelWithSecretDto extends AlertChannelDto {
  /** The generated signing secret (`whsec_…`), shown only in this response; null when you chose the secret or kept it. */
  @ApiProperty({ type: 'string', nullable: true })
  secret: string | null;
}

export class AlertChannelPageDto extends PageOf(AlertChannelDto) {}

/** What the receiver answered to a test event. */
export class AlertChannelTestResultDto {
  /** True when it answered 2xx. */
  delivered: boolean;
  /** Its HTTP status; null when it did not answer. */
  @ApiProperty({ type: 'integer', nullable: true })
  statusCode: number | null;
  @ApiProperty({ type: 'string', nullable: true })
  error: string | null;
  @ApiProperty({ type: 'integer' })
  durationMs: number;
}

export function mapAlertChannel(channel: AlertChannelEntity): AlertChannelDto {
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    url: channel.url,
    hasSecret: channel.secret !== null,
    hasRoutingKey: channel.routingKey !== null,
    minSeverity: channel.minSeverity,
    modelId: channel.modelId,
    sendResolved: channel.sendResolved,
    enabled: channel.enabled,
    repeatIntervalMinutes: channel.repeatIntervalMinutes,
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}
