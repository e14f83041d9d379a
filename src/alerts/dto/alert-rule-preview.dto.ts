import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { AlertType } from 'src/alerts/alert.enums';
import { CreateAlertRuleDto } from 'src/alerts/dto/alert-rule.dto';
import type { ReplayAlert, ReplayResult } from 'src/alerts/rule-replay.policy';
import { IsTimestamp } from 'src/common/validation/timestamp';
import { IsOptional, NestedDto } from 'src/common/validation/validators';

/** Evaluations one preview may replay (about 35 days at one minute): more is a 400 naming `to`. */
export const MAX_PREVIEW_EVALUATIONS = 50_000;

export class PreviewAlertRuleDto {
  /** The rule to try, as for POST /alert-rules (not saved; `enabled` is ignored). */
  @NestedDto(() => CreateAlertRuleDto)
  rule: CreateAlertRuleDto;

  /** The first evaluation (inclusive). */
  @IsTimestamp({ required: true })
  from: string;

  /** The end of the replay (exclusive); at most 50,000 evaluations after `from`. */
  @IsTimestamp({ required: true })
  to: string;

  /** Seconds between evaluations (1–86,400); default the service's ALERT_EVALUATION_INTERVAL_SECONDS (60 when that is 0). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 86_400 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  intervalSeconds?: number;
}

const PREVIEW_ALERT_TYPES = [AlertType.MetricThreshold, AlertType.NoData];

export class RulePreviewAlertDto {
  /** `metric_threshold` or `no_data`. */
  @ApiProperty({ enum: PREVIEW_ALERT_TYPES, enumName: 'RulePreviewAlertType' })
  type: AlertType;
  /** The evaluation that raised it (pending or firing). */
  @ApiProperty({ format: 'date-time' })
  openedAt: string;
  /** Null: it stayed pending. */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  firedAt: string | null;
  /** Null: still open at `to`. */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  resolvedAt: string | null;
}

export class RulePreviewIntervalDto {
  @ApiProperty({ enum: PREVIEW_ALERT_TYPES, enumName: 'RulePreviewAlertType' })
  type: AlertType;
  @ApiProperty({ format: 'date-time' })
  start: string;
  /** Null: still firing at `to`. */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  end: string | null;
}

export class RulePreviewChannelDto {
  @ApiProperty({ format: 'uuid' })
  channelId: string;
  name: string;
  /** Notifications it would have received (firing + repeats + resolved). */
  @ApiProperty({ type: 'integer' })
  notifications: number;
  @ApiProperty({ type: 'integer' })
  firing: number;
  /** Re-sent while firing, at most once per the channel's repeat interval. */
  @ApiProperty({ type: 'integer' })
  repeats: number;
  @ApiProperty({ type: 'integer' })
  resolved: number;
  /** Muted by silences (always 0 until silences exist). */
  @ApiProperty({ type: 'integer' })
  silenced: number;
}

export class AlertRulePreviewDto {
  @ApiProperty({ format: 'date-time' })
  from: string;
  @ApiProperty({ format: 'date-time' })
  to: string;
  @ApiProperty({ type: 'integer' })
  intervalSeconds: number;
  @ApiProperty({ type: 'integer' })
  evaluations: number;
  /** Evaluations whose value crossed the threshold. */
  @ApiProperty({ type: 'integer' })
  breachingEvaluations: number;
  /** Evaluations in which the rule had no data. */
  @ApiProperty({ type: 'integer' })
  noDataEvaluations: number;
  /** Time the value crossed the threshold (each evaluation counts until the next). */
  timeInBreachSeconds: number;
  timeWithoutDataSeconds: number;
  /** Time the metric_threshold alert was firing. */
  firingSeconds: number;
  /** When an alert was firing: metric_threshold and no_data intervals, by start. */
  @ApiProperty({ type: [RulePreviewIntervalDto] })
  firingIntervals: RulePreviewIntervalDto[];
  /** Every alert the rule would have raised, including those that stayed pending. */
  @ApiProperty({ type: [RulePreviewAlertDto] })
  alerts: RulePreviewAlertDto[];
  /** The channels that match the rule's alerts today (model, minimum severity, enabled), by name. */
  @ApiProperty({ type: [RulePreviewChannelDto] })
  channels: RulePreviewChannelDto[];
}

function iso(date: Date | null): string | null {
  return date?.toISOString() ?? null;
}

export function mapRulePreview(
  range: { from: Date; to: Date; intervalSeconds: number },
  result: ReplayResult,
  channels: { id: string; name: string }[],
): AlertRulePreviewDto {
  const alerts = [...result.alerts].sort((left, right) => left.openedAt.getTime() - right.openedAt.getTime());
  const fired = alerts.filter((alert): alert is ReplayAlert & { firedAt: Date } => alert.firedAt !== null);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    intervalSeconds: range.intervalSeconds,
    evaluations: result.evaluations,
    breachingEvaluations: result.breachingEvaluations,
    noDataEvaluations: result.noDataEvaluations,
    timeInBreachSeconds: result.timeInBreachMs / 1000,
    timeWithoutDataSeconds: result.timeWithoutDataMs / 1000,
    firingSeconds: result.firingMs / 1000,
    firingIntervals: fired
      .sort((left, right) => left.firedAt.getTime() - right.firedAt.getTime())
      .map((alert) => ({ type: alert.type, start: alert.firedAt.toISOString(), end: iso(alert.resolvedAt) })),
    alerts: alerts.map((alert) => ({
      type: alert.type,
      openedAt: alert.openedAt.toISOString(),
      firedAt: iso(alert.firedAt),
      resolvedAt: iso(alert.resolvedAt),
    })),
    channels: channels.map((channel) => {
      const counts = result.notifications.get(channel.id)!;
      return {
        channelId: channel.id,
        name: channel.name,
        notifications: counts.firing + counts.repeats + counts.resolved,
        ...counts,
      };
    }),
  };
}
