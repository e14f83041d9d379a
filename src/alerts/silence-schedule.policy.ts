/**
 * When a silence is in force: a single window [startsAt, endsAt), or a recurring maintenance window — an RFC 5545
 * RRULE whose occurrences (DTSTART = startsAt) each open a window of durationMinutes, clipped to [startsAt, endsAt).
 * Occurrences come from the `rrule` library (jkbrzt/rrule, the RFC 5545 implementation most JavaScript calendars use);
 * the rule text is checked here first because its parser accepts unknown values silently. Times are UTC.
 */
import { RRule } from 'rrule';
import { SilenceState } from 'src/alerts/silence.enums';

const MINUTE_MS = 60_000;
/** Rules finer than daily are refused, and a rule may open at most this many windows, so evaluation stays cheap. */
export const MAX_OCCURRENCES = 5_000;
export const MAX_DURATION_MINUTES = 44_640;

export interface SilenceSchedule {
  startsAt: Date;
  endsAt: Date;
  rrule: string | null;
  durationMinutes: number | null;
}

export interface SilenceWindow {
  state: SilenceState;
  /** While active: when the current window closes. */
  windowEndsAt: Date | null;
  /** While pending: when the next window opens. */
  nextWindowStartsAt: Date | null;
}

const FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const WEEKDAY = /^([+-]?(?:[1-9]|[1-4]\d|5[0-3]))?(MO|TU|WE|TH|FR|SA|SU)$/;
const INTEGER = /^[+-]?\d{1,6}$/;
/** Allowed parts and, for numeric lists, their ranges (RFC 5545 §3.3.10); DTSTART and TZID are not rule parts here. */
const NUMERIC_PARTS: Record<string, { min: number; max: number; signed: boolean; list: boolean }> = {
  INTERVAL: { min: 1, max: 1000, signed: false, list: false },
  COUNT: { min: 1, max: MAX_OCCURRENCES, signed: false, list: false },
  BYSECOND: { min: 0, max: 59, signed: false, list: true },
  BYMINUTE: { min: 0, max: 59, signed: false, list: true },
  BYHOUR: { min: 0, max: 23, signed: false, list: true },
  BYMONTHDAY: { min: 1, max: 31, signed: true, list: true },
  BYYEARDAY: { min: 1, max: 366, signed: true, list: true },
  BYWEEKNO: { min: 1, max: 53, signed: true, list: true },
  BYMONTH: { min: 1, max: 12, signed: false, list: true },
  BYSETPOS: { min: 1, max: 366, signed: true, list: true },
};

/** Null when the rule text is acceptable, else why not. Accepts an optional `RRULE:` prefix. */
export function rruleTextError(text: string): string | null {
  const body = text.replace(/^RRULE:/i, '');
  const seen = new Set<string>();
  for (const part of body.split(';')) {
    const [rawKey, value, ...rest] = part.split('=');
    const key = rawKey.toUpperCase();
    if (value === undefined || value === '' || rest.length > 0) return `"${part}" is not a KEY=VALUE rule part`;
    if (seen.has(key)) return `${key} appears twice`;
    seen.add(key);
    if (key === 'FREQ') {
      if (!FREQUENCIES.has(value.toUpperCase())) return 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY';
    } else if (key === 'BYDAY') {
      if (!value.split(',').every((day) => WEEKDAY.test(day.toUpperCase()))) return 'BYDAY must list weekdays such as MO, SA or 1SU';
    } else if (key === 'WKST') {
      if (!/^(MO|TU|WE|TH|FR|SA|SU)$/i.test(value)) return 'WKST must be a weekday';
    } else if (key === 'UNTIL') {
      if (!/^\d{8}(T\d{6}Z)?$/.test(value)) return 'UNTIL must be a UTC date-time such as 20270101T000000Z';
    } else if (key in NUMERIC_PARTS) {
      const range = NUMERIC_PARTS[key];
      const values = value.split(',');
      if (!range.list && values.length > 1) return `${key} takes one value`;
      for (const item of values) {
        const number = Number(item);
        const magnitude = Math.abs(number);
        if (!INTEGER.test(item) || (!range.signed && number < 0) || magnitude < range.min || magnitude > range.max) {
          return `${key} values must be integers from ${range.signed ? '±' : ''}${range.min} to ${range.max}`;
        }
      }
    } else {
      return `${key} is not a supported rule part (DTSTART is the silence's startsAt; times are UTC)`;
    }
  }
  return seen.has('FREQ') ? null : 'FREQ is required';
}

/**
 * Occurrences of a rule in [startsAt, endsAt) as sorted epoch milliseconds, at most MAX_OCCURRENCES + 1 (to detect
 * excess). rrule iterates from DTSTART on every query (about 50 µs an occurrence measured here), so each silence's list
 * is computed once per process and cached (bounded); a window lookup is then a binary search.
 */
const occurrenceCache = new Map<string, number[]>();
const OCCURRENCE_CACHE_LIMIT = 200;

function occurrencesOf(schedule: { startsAt: Date; endsAt: Date; rrule: string }): number[] {
  const key = `${schedule.startsAt.toISOString()}|${schedule.endsAt.toISOString()}|${schedule.rrule}`;
  let occurrences = occurrenceCache.get(key);
  if (!occurrences) {
    const rule = new RRule({ ...RRule.parseString(schedule.rrule.replace(/^RRULE:/i, '')), dtstart: schedule.startsAt });
    const end = schedule.endsAt.getTime();
    const found: number[] = [];
    rule.between(schedule.startsAt, schedule.endsAt, true, (date) => {
      if (date.getTime() < end) found.push(date.getTime());
      return found.length <= MAX_OCCURRENCES;
    });
    occurrences = found;
    if (occurrenceCache.size >= OCCURRENCE_CACHE_LIMIT) occurrenceCache.delete(occurrenceCache.keys().next().value!);
    occurrenceCache.set(key, occurrences);
  }
  return occurrences;
}

/**
 * Null when the recurrence fits the silence: it opens at least one window before endsAt, and at most MAX_OCCURRENCES.
 * Assumes rruleTextError(text) is null.
 */
export function recurrenceError(schedule: { startsAt: Date; endsAt: Date; rrule: string }): string | null {
  const count = occurrencesOf(schedule).length;
  if (count === 0) return 'opens no window between startsAt and endsAt';
  if (count > MAX_OCCURRENCES) return `opens more than ${MAX_OCCURRENCES} windows between startsAt and endsAt`;
  return null;
}

/** Index of the first occurrence after `at` (occurrences.length when none). */
function firstAfter(occurrences: number[], at: number): number {
  let low = 0;
  let high = occurrences.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (occurrences[middle] <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The silence's state at `now`. */
export function silenceWindowAt(schedule: SilenceSchedule, now: Date): SilenceWindow {
  const at = now.getTime();
  const { startsAt, endsAt } = schedule;
  if (at >= endsAt.getTime()) return { state: SilenceState.Expired, windowEndsAt: null, nextWindowStartsAt: null };
  if (schedule.rrule === null || schedule.durationMinutes === null) {
    return at < startsAt.getTime()
      ? { state: SilenceState.Pending, windowEndsAt: null, nextWindowStartsAt: startsAt }
      : { state: SilenceState.Active, windowEndsAt: endsAt, nextWindowStartsAt: null };
  }
  const occurrences = occurrencesOf({ startsAt, endsAt, rrule: schedule.rrule });
  const durationMs = schedule.durationMinutes * MINUTE_MS;
  const next = firstAfter(occurrences, at);
  const latest = next > 0 ? occurrences[next - 1] : null;
  if (latest !== null && at < latest + durationMs) {
    return {
      state: SilenceState.Active,
      windowEndsAt: new Date(Math.min(latest + durationMs, endsAt.getTime())),
      nextWindowStartsAt: null,
    };
  }
  if (next >= occurrences.length) return { state: SilenceState.Expired, windowEndsAt: null, nextWindowStartsAt: null };
  return { state: SilenceState.Pending, windowEndsAt: null, nextWindowStartsAt: new Date(occurrences[next]) };
}
