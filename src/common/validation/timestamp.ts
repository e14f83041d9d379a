import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationArguments } from 'class-validator';

/**
 * The one timestamp parser of the API: every timestamp a client sends (body fields, query values, metric points,
 * decoded cursors) goes through parseTimestamp, with one range.
 *
 * Accepted: an RFC 3339 date-time with an offset (`Z` or `±hh:mm`), or epoch milliseconds as an integer (a JSON
 * number; in a query string, the digits). A date-time without an offset is refused: which zone it means is a guess,
 * and a wrong guess shifts data silently.
 *
 * Range: 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z. PostgreSQL's timestamptz reaches further (4713 BC to
 * 294276 AD), but it refuses the ISO year 0000, and an RFC 3339 response has exactly four year digits, so this is
 * the part of its range every response can express. Anything outside is a 400 here instead of a 500 in SQL.
 */
export const TIMESTAMP_MIN_MS = Date.parse('0001-01-01T00:00:00.000Z');
export const TIMESTAMP_MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');

const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))$/;
const WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$/;
const EPOCH_DIGITS = /^-?\d{1,16}$/;

export const TIMESTAMP_MESSAGE =
  'must be an RFC 3339 date-time with an offset (e.g. 2026-01-31T12:00:00Z) or epoch milliseconds, between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';

/** How every timestamp a client sends is documented. */
export const TIMESTAMP_SCHEMA = [
  { type: 'string', format: 'date-time' },
  { type: 'integer', format: 'int64', minimum: TIMESTAMP_MIN_MS, maximum: TIMESTAMP_MAX_MS, description: 'epoch milliseconds' },
];

export type ParsedTimestamp = { date: Date; error?: undefined } | { date?: undefined; error: string };

function inRange(ms: number): ParsedTimestamp {
  return Number.isInteger(ms) && ms >= TIMESTAMP_MIN_MS && ms <= TIMESTAMP_MAX_MS
    ? { date: new Date(ms) }
    : { error: 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z' };
}

/**
 * Parses a timestamp as a client sends it. `digitsAsEpoch`: a string of digits is epoch milliseconds (query strings,
 * where an integer arrives as text). Impossible calendar dates (2025-02-30), which Date.parse would roll over, are refused.
 */
export function parseTimestamp(value: unknown, options: { digitsAsEpoch?: boolean } = {}): ParsedTimestamp {
  if (typeof value === 'number') return Number.isInteger(value) ? inRange(value) : { error: 'epoch milliseconds must be an integer' };
  if (value instanceof Date) return inRange(value.getTime());
  if (typeof value !== 'string') return { error: TIMESTAMP_MESSAGE };
  if (options.digitsAsEpoch && EPOCH_DIGITS.test(value)) return inRange(Number(value));
  const match = WITH_OFFSET.exec(value);
  if (!match) {
    return WITHOUT_OFFSET.test(value)
      ? { error: 'has no offset: add Z for UTC (e.g. 2026-01-31T12:00:00Z) or an offset such as +02:00' }
      : { error: TIMESTAMP_MESSAGE };
  }
  const [, year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match.map(Number);
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    !(second > 59) &&
    !(offsetHours > 23) &&
    !(offsetMinutes > 59);
  if (!valid) return { error: `${TIMESTAMP_MESSAGE} (no such date or time)` };
  const ms = Date.parse(value.toUpperCase());
  return Number.isNaN(ms) ? { error: TIMESTAMP_MESSAGE } : inRange(ms);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** True when a Date lies in the accepted range (decoded cursors, dates computed from accepted input). */
export function isStorableTime(date: Date): boolean {
  const ms = date.getTime();
  return !Number.isNaN(ms) && ms >= TIMESTAMP_MIN_MS && ms <= TIMESTAMP_MAX_MS;
}

/**
 * A timestamp field of a request DTO: documented as `oneOf: [date-time string, epoch-ms integer]`, parsed by
 * parseTimestamp and handed to the service as a canonical ISO string (`...Z`). `query`: digits are epoch ms.
 */
export function IsTimestamp(options: { query?: boolean; required?: boolean } = {}): PropertyDecorator {
  const parse = (value: unknown) => parseTimestamp(value, { digitsAsEpoch: options.query });
  return applyDecorators(
    ApiProperty({
      required: options.required ?? false,
      oneOf: TIMESTAMP_SCHEMA,
    }),
    Transform(({ value }) => parse(value).date?.toISOString() ?? value),
    (target: object, propertyKey: string | symbol) =>
      registerDecorator({
        name: 'isTimestamp',
        target: target.constructor,
        propertyName: String(propertyKey),
        validator: {
          validate: (value: unknown) => parse(value).date !== undefined,
          defaultMessage: (args?: ValidationArguments) => `${args?.property} ${parse(args?.value).error}`,
        },
      }),
  );
}
