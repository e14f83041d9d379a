import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min, registerDecorator } from 'class-validator';

/**
 * Largest magnitude of a measured value a client sends: metric points, baselines, rule thresholds, A/B observations,
 * training-run metrics, drift samples. A sum of 10^9 such values (or of their squares, 10^30 each) stays far below
 * float8's 1.8e308, so no aggregate (avg, sum, stddev, regression, z-scores) can overflow on data the API accepted.
 */
export const MAX_ABS_VALUE = 1e15;

export const FINITE = { allowNaN: false, allowInfinity: false } as const;

export function isMeasuredValue(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_ABS_VALUE;
}

export const MEASURED_VALUE_MESSAGE = `must be a finite number between -${MAX_ABS_VALUE} and ${MAX_ABS_VALUE}`;

/** A measured value: finite, |value| ≤ MAX_ABS_VALUE (documented as minimum/maximum). */
export function IsMeasuredValue(): PropertyDecorator {
  return applyDecorators(IsNumber(FINITE), Min(-MAX_ABS_VALUE), Max(MAX_ABS_VALUE));
}

/**
 * A number > 0. Replaces class-validator's IsPositive, from which the Swagger plugin infers `minimum: 1` (a lie for
 * 0.5); documented as `minimum: 5e-324` (the smallest double above 0: exactly "> 0", and valid JSON Schema in every draft, unlike 3.0's boolean exclusiveMinimum).
 */
export function IsPositiveNumber(options: { max: number; required?: boolean }): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'number', minimum: Number.MIN_VALUE, maximum: options.max, required: options.required ?? true }),
    IsNumber(FINITE),
    Max(options.max),
    (target: object, propertyKey: string | symbol) =>
      registerDecorator({
        name: 'isPositiveNumber',
        target: target.constructor,
        propertyName: String(propertyKey),
        options: { message: `${String(propertyKey)} must be greater than 0` },
        validator: { validate: (value: unknown) => typeof value === 'number' && value > 0 },
      }),
  );
}
