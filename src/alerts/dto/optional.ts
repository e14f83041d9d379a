import { ValidateIf } from 'class-validator';

/**
 * An optional field that may be left out but not set to null: unlike IsOptional (which also skips null),
 * a null is validated and refused, so it never reaches a NOT NULL column as a 500.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
