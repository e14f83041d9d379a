import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEnum, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageOf } from 'src/alerts/dto/page.dto';
import { InhibitionReason, MatcherOperator, SilenceState } from 'src/alerts/silence.enums';
import type { SilenceEntity } from 'src/alerts/silence.entity';
import { MAX_DURATION_MINUTES, silenceWindowAt } from 'src/alerts/silence-schedule.policy';
import { PaginationQueryDto } from 'src/common/pagination/pagination.dto';
import { IsTimestamp } from 'src/common/validation/timestamp';
import { ToBoolean } from 'src/common/validation/validation';
import { IsNullable, IsOptional, NestedDto } from 'src/common/validation/validators';

export class SilenceMatcherDto {
  /** The label: any alert label, or `model` (the model's name), `model_id`, `type`, `severity`, `source`. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** `=` equal, `!=` not equal, `=~` matches the regex, `!~` does not; regexes are RE2 and match the whole value. */
  @ApiProperty({ enum: MatcherOperator, enumName: 'MatcherOperator' })
  @IsEnum(MatcherOperator)
  operator: MatcherOperator;

  /** The value, or an RE2 regular expression for `=~` / `!~` (anchored: `prod` matches only "prod", use `prod.*`). */
  @IsString()
  @MaxLength(1000)
  value: string;
}

export class CreateSilenceDto {
  /** Every matcher must match for the silence to apply; together they must not match an alert without labels. */
  @ApiProperty({ type: [SilenceMatcherDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @NestedDto(() => SilenceMatcherDto, { each: true })
  matchers: SilenceMatcherDto[];

  /** When it starts (default: now). With `rrule`, also the first occurrence's anchor (RRULE DTSTART). */
  @IsOptional()
  @IsTimestamp()
  startsAt?: string;

  /** When it ends for good; must be after startsAt. */
  @IsTimestamp({ required: true })
  endsAt: string;

  /** Who asked for it. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  createdBy: string;

  /** Why (a ticket, a maintenance plan). */
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  comment: string;

  /**
   * A recurring maintenance window: an RFC 5545 RRULE (`FREQ=WEEKLY;BYDAY=SA;BYHOUR=2;BYMINUTE=0;BYSECOND=0`), UTC, DTSTART
   * = startsAt; FREQ is DAILY, WEEKLY, MONTHLY or YEARLY. Each occurrence silences for durationMinutes, until endsAt.
   */
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 500, example: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=2;BYMINUTE=0;BYSECOND=0' })
  @IsNullable()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  rrule?: string | null;

  /** Length of each recurring window in minutes (required with rrule, refused without). */
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: MAX_DURATION_MINUTES })
  @IsNullable()
  @IsInt()
  @Min(1)
  @Max(MAX_DURATION_MINUTES)
  durationMinutes?: number | null;
}

export class ListSilencesQueryDto extends PaginationQueryDto {
  /** true: only silences whose endsAt has passed; false: only those that have not; omitted: all. */
  @ApiPropertyOptional({ type: 'boolean' })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  expired?: boolean;
}

export class SilenceMatcherViewDto {
  name: string;
  @ApiProperty({ enum: MatcherOperator, enumName: 'MatcherOperator' })
  operator: MatcherOperator;
  value: string;
}

export class SilenceDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: [SilenceMatcherViewDto] })
  matchers: SilenceMatcherViewDto[];
  @ApiProperty({ format: 'date-time' })
  startsAt: string;
  @ApiProperty({ format: 'date-time' })
  endsAt: string;
  @ApiProperty({ type: 'string', nullable: true })
  rrule: string | null;
  @ApiProperty({ type: 'integer', nullable: true })
  durationMinutes: number | null;
  createdBy: string;
  comment: string;
  /** At the time of the response: pending (not yet, or between recurring windows), active (silencing now), expired. */
  @ApiProperty({ enum: SilenceState, enumName: 'SilenceState' })
  state: SilenceState;
  /** While active: when the current window closes. */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  windowEndsAt: string | null;
  /** While pending: when the next window opens. */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  nextWindowStartsAt: string | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class SilencePageDto extends PageOf(SilenceDto) {}

/** One reason an alert was held back by ModelWatch's built-in inhibition. */
export class AlertInhibitionDto {
  @ApiProperty({ enum: InhibitionReason, enumName: 'InhibitionReason' })
  reason: InhibitionReason;
  /** The queued or running run (reason `training_run`). */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  trainingRunId: string | null;
  /** When the reference grace period ends (reason `reference_replaced`). */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  until: string | null;
}

export function mapSilence(silence: SilenceEntity, now: Date): SilenceDto {
  const window = silenceWindowAt(silence, now);
  return {
    id: silence.id,
    matchers: silence.matchers.map(({ name, operator, value }) => ({ name, operator, value })),
    startsAt: silence.startsAt.toISOString(),
    endsAt: silence.endsAt.toISOString(),
    rrule: silence.rrule,
    durationMinutes: silence.durationMinutes,
    createdBy: silence.createdBy,
    comment: silence.comment,
    state: window.state,
    windowEndsAt: window.windowEndsAt?.toISOString() ?? null,
    nextWindowStartsAt: window.nextWindowStartsAt?.toISOString() ?? null,
    createdAt: silence.createdAt.toISOString(),
    updatedAt: silence.updatedAt.toISOString(),
  };
}
