import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { isPackedNumbers } from 'src/common/http/sample-json';
import { MAX_ABS_VALUE } from 'src/common/validation/numbers';

export const MAX_VALUES_PER_FEATURE = 1_000_000;
export const MAX_CATEGORY_LENGTH = 1000;

/** Why a sample is unacceptable (" must …" or "[i] …", to follow the field name), or null. One pass, no allocation per value. */
export function sampleValuesProblem(value: unknown, maxValues = MAX_VALUES_PER_FEATURE): string | null {
  // packed by the parsing worker: numbers within ±MAX_ABS_VALUE and nulls only (anything else stays an array)
  if (isPackedNumbers(value)) return value.length > maxValues ? ` must hold at most ${maxValues} values (got ${value.length})` : null;
  if (!Array.isArray(value)) return ' must be an array of numbers, strings, booleans or null';
  if (value.length > maxValues) return ` must hold at most ${maxValues} values (got ${value.length})`;
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    if (item === null || typeof item === 'boolean') continue;
    if (typeof item === 'number') {
      if (Math.abs(item) > MAX_ABS_VALUE) return `[${index}] must be between -${MAX_ABS_VALUE} and ${MAX_ABS_VALUE}`;
      continue;
    }
    if (typeof item === 'string') {
      if (item.length > MAX_CATEGORY_LENGTH) return `[${index}] is longer than ${MAX_CATEGORY_LENGTH} characters`;
      continue;
    }
    return `[${index}] must be a number, string, boolean or null`;
  }
  return null;
}

/** A feature sample: an array of at most 1,000,000 numbers, strings (≤ 1000 characters), booleans or nulls. */
export function IsSampleValues(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isSampleValues',
      target: target.constructor,
      propertyName: String(propertyKey),
      options,
      validator: {
        validate: (value: unknown) => sampleValuesProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'values'}${sampleValuesProblem(args?.value) ?? ' is invalid'}`,
      },
    });
}
