import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { registerDecorator, ValidateIf, ValidateNested, ValidationOptions } from 'class-validator';
import { FREE_FORM_LIMITS, jsonDepth } from 'src/common/validation/input-safety';
import { isMeasuredValue, MAX_ABS_VALUE } from 'src/common/validation/numbers';

/**
 * Optional: absent means "the default" (or "keep" on updates). An explicit null is NOT absent: the field's own
 * validators refuse it with a 400 naming the field, unless the field is documented nullable and uses IsNullable.
 * Decided once, for every request DTO (class-validator's IsOptional, which also skips null, is banned by lint).
 */
export function IsOptional(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** Optional and nullable (documented `nullable: true`): null means "none" or "clear". */
export function IsNullable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined && value !== null);
}

/** A free-form JSON object (not an array, not null) within FREE_FORM_LIMITS (nesting depth, serialized size). */
export function IsPlainObject(options?: ValidationOptions): PropertyDecorator {
  const { maxDepth, maxBytes } = FREE_FORM_LIMITS;
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isPlainObject',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: {
        message: `${String(propertyKey)} must be a JSON object nested at most ${maxDepth} levels and at most ${maxBytes} bytes as JSON`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          jsonDepth(value, maxDepth) <= maxDepth &&
          Buffer.byteLength(JSON.stringify(value)) <= maxBytes,
      },
    });
}

/** A flat map of string → string (labels, segments), with bounded key and value sizes. */
export function IsStringMap(options?: ValidationOptions & { maxEntries?: number }): PropertyDecorator {
  const maxEntries = options?.maxEntries ?? 50;
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isStringMap',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: {
        message: `${String(propertyKey)} must be an object of at most ${maxEntries} string values (keys 1–100 characters, values up to 500)`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= maxEntries &&
          Object.entries(value).every(
            ([key, item]) => key.length >= 1 && key.length <= 100 && typeof item === 'string' && item.length <= 500,
          ),
      },
    });
}

/** A map of string → finite number within ±MAX_ABS_VALUE (evaluation metrics, which become metric points). */
export function IsFiniteNumberMap(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isFiniteNumberMap',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: { message: `${String(propertyKey)} must be an object whose values are finite numbers within ±${MAX_ABS_VALUE}`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(([key, item]) => key.length >= 1 && key.length <= 200 && isMeasuredValue(item)),
      },
    });
}

/**
 * A nested request DTO (or, with `each`, an array of them). Replaces the ValidateNested + Type pair, which accepts an
 * array where an object belongs (`dataset: []`, `variants: [[], {...}]`, `features: [[]]`: class-validator recurses
 * into the array and finds nothing wrong) and lets the service meet it as a TypeError: here it is a 400.
 */
export function NestedDto(type: () => new (...args: any[]) => object, options: { each?: boolean } = {}): PropertyDecorator {
  const each = options.each ?? false;
  return applyDecorators(ValidateNested({ each }), Type(type), (target: object, propertyKey: string | symbol) =>
    registerDecorator({
      name: 'isNestedObject',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: {
        each,
        message: each ? `each item of ${String(propertyKey)} must be an object` : `${String(propertyKey)} must be an object`,
      },
      validator: { validate: (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value) },
    }),
  );
}
