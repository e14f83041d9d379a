import { Injectable } from '@nestjs/common';
import { AlertErrors } from 'src/alerts/alerts.errors';
import { AlertSuppressionReview } from 'src/alerts/alert-suppression-review.service';
import { CreateSilenceDto, ListSilencesQueryDto, mapSilence, SilenceDto, SilencePageDto } from 'src/alerts/dto/silence.dto';
import type { SilenceEntity } from 'src/alerts/silence.entity';
import { MatcherOperator } from 'src/alerts/silence.enums';
import { matchesEverything, regexError } from 'src/alerts/silence-matcher.policy';
import { recurrenceError, rruleTextError } from 'src/alerts/silence-schedule.policy';
import { SilencesRepository } from 'src/alerts/silences.repository';
import { Clock } from 'src/common/clock';
import { invalidFields, type FieldError } from 'src/common/errors/domain-error';
import { describeAuditedChange } from 'src/common/http/request-context';
import { decodeTimeCursor, timeCursorKey, toPage } from 'src/common/pagination/cursor';
import { TransactionRunner } from 'src/database/transaction';

const AUDIT_KIND = 'silence';

/** Alertmanager-style silences: create, list, get, expire. A silenced alert is recorded but not notified. */
@Injectable()
export class SilencesService {
  constructor(
    private readonly silences: SilencesRepository,
    private readonly review: AlertSuppressionReview,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {}

  async create(input: CreateSilenceDto): Promise<SilenceDto> {
    const now = this.clock.now();
    const startsAt = input.startsAt === undefined ? now : new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    const rrule = input.rrule ?? null;
    const durationMinutes = input.durationMinutes ?? null;
    this.assertValid(input, { startsAt, endsAt, rrule, durationMinutes, now });
    return this.transactions.run(async (transaction) => {
      const matchers = input.matchers.map(({ name, operator, value }) => ({ name, operator, value }));
      const silence = await this.silences.insert(
        { matchers, startsAt, endsAt, rrule, durationMinutes, createdBy: input.createdBy, comment: input.comment },
        transaction,
      );
      const created = mapSilence(silence, now);
      describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: silence.id, before: null, after: created });
      return created;
    });
  }

  async list(query: ListSilencesQueryDto): Promise<SilencePageDto> {
    const now = this.clock.now();
    const rows = await this.silences.list({
      expired: query.expired,
      now,
      before: decodeTimeCursor(query.cursor, 'at'),
      limit: query.limit,
    });
    return toPage(
      rows,
      query.limit,
      (silence) => mapSilence(silence, now),
      (silence) => timeCursorKey('at', silence.createdAt, silence.id),
    );
  }

  async get(id: string): Promise<SilenceDto> {
    const silence = await this.silences.findById(id);
    if (!silence) throw this.notFound(id);
    return mapSilence(silence, this.clock.now());
  }

  /**
   * Expires the silence now (Alertmanager's DELETE: the row stays, for the record); 409 when it already ended. Alerts it
   * held back are reconsidered in the same transaction and notified if nothing else silences them.
   */
  async expire(id: string): Promise<void> {
    const now = this.clock.now();
    await this.transactions.run(async (transaction) => {
      const silence = await this.silences.findByIdForUpdate(id, transaction);
      if (!silence) throw this.notFound(id);
      if (silence.endsAt.getTime() <= now.getTime()) {
        throw AlertErrors.SILENCE_EXPIRED(`Silence ${id} already ended at ${silence.endsAt.toISOString()}.`, { silenceId: id });
      }
      const before = mapSilence(silence, now);
      const expired = await this.silences.expire(silence, now, transaction);
      describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: id, before, after: mapSilence(expired, now) });
      await this.review.review({ silenceId: id }, transaction);
    });
  }

  /** Cross-field and content checks class-validator cannot express; every bad field is named, nothing is written. */
  private assertValid(
    input: CreateSilenceDto,
    schedule: Pick<SilenceEntity, 'startsAt' | 'endsAt' | 'rrule' | 'durationMinutes'> & { now: Date },
  ): void {
    const errors: FieldError[] = [];
    input.matchers.forEach((matcher, index) => {
      if (matcher.operator !== MatcherOperator.Regex && matcher.operator !== MatcherOperator.NotRegex) return;
      const error = regexError(matcher.value);
      if (error !== null) errors.push({ field: `matchers[${index}].value`, message: `is not an RE2 regular expression: ${error}` });
    });
    if (errors.length === 0 && matchesEverything(input.matchers)) {
      errors.push({ field: 'matchers', message: 'at least one matcher must not match the empty string (these would silence every alert)' });
    }
    if (schedule.endsAt.getTime() <= schedule.startsAt.getTime()) errors.push({ field: 'endsAt', message: 'must be after startsAt' });
    else if (schedule.endsAt.getTime() <= schedule.now.getTime()) errors.push({ field: 'endsAt', message: 'must be in the future' });
    if (schedule.rrule === null && schedule.durationMinutes !== null) {
      errors.push({ field: 'durationMinutes', message: 'is only allowed with rrule' });
    }
    if (schedule.rrule !== null) {
      if (schedule.durationMinutes === null) errors.push({ field: 'durationMinutes', message: 'is required with rrule' });
      const error =
        rruleTextError(schedule.rrule) ??
        (schedule.endsAt > schedule.startsAt ? recurrenceError({ ...schedule, rrule: schedule.rrule }) : null);
      if (error !== null) errors.push({ field: 'rrule', message: error });
    }
    if (errors.length > 0) throw invalidFields(errors);
  }

  private notFound(id: string) {
    return AlertErrors.SILENCE_NOT_FOUND(`No silence with id ${id}.`, { silenceId: id });
  }
}
