import { Body, type Type } from '@nestjs/common';
import { DomainError, invalidFields, type FieldError } from 'src/common/errors/domain-error';
import { createValidationPipe } from 'src/common/validation/validation';
import { isPackedNumbers } from 'src/common/http/sample-json';
import { sampleValuesProblem } from 'src/drift/dto/sample-values.validator';
import { uploadedNumericSample } from 'src/drift/reference-sample';

/**
 * A DTO validated by @SampleBody. The intersection makes TypeScript emit `Object` as the parameter's design type, so
 * the global ValidationPipe (which skips non-class types) leaves the body alone: walking and copying millions of
 * values (class-transformer's deep copy, the pipe's array-gap and prototype-key passes) costs more than the drift
 * statistics themselves.
 */
export type Validated<T> = T & { readonly __sampleBody?: never };

/** @Body() for bodies carrying samples (up to 500 features × 1,000,000 values): see validateSampleBody. */
export function SampleBody<T extends object>(metatype: Type<T>, featureLists: readonly string[]): ParameterDecorator {
  return Body({ transform: (value: unknown) => validateSampleBody(metatype, value, featureLists) });
}

const pipe = createValidationPipe();

/**
 * Validates a sample-carrying body exactly as the global pipe would (same DTO, options and `a.b[3].c` error paths),
 * with each feature's `values` array set aside: the light body goes through class-transformer and class-validator,
 * the arrays get one linear type check each, and are then put back on the validated DTO unchanged — except the
 * numbers-only ones the parsing worker packed (src/common/http/sample-json.ts), which go back as the prepared sample
 * (UploadedNumericSample) the statistics and the reference store take.
 * `featureLists` are the dotted paths of the feature arrays ('' when the body itself is one feature).
 */
export async function validateSampleBody<T extends object>(metatype: Type<T>, body: unknown, featureLists: readonly string[]): Promise<T> {
  const samples: { list: string; index: number; values: unknown }[] = [];
  const light = isObject(body) ? { ...body } : body;
  if (isObject(light)) {
    for (const list of featureLists) {
      if (list === '') {
        if (isSampleArray(light.values)) samples.push({ list, index: -1, values: light.values });
        if (isSampleArray(light.values)) light.values = [];
        continue;
      }
      const [head, tail] = list.includes('.') ? list.split('.') : [null, list];
      const parent = head === null ? light : isObject(light[head]) ? (light[head] = { ...(light[head] as object) }) : null;
      if (!isObject(parent) || !Array.isArray(parent[tail])) continue;
      parent[tail] = (parent[tail] as unknown[]).map((feature, index) => {
        if (!isObject(feature) || !isSampleArray(feature.values)) return feature;
        samples.push({ list, index, values: feature.values });
        return { ...feature, values: [] };
      });
    }
  }
  const errors: FieldError[] = [];
  let validated: T | null = null;
  try {
    validated = (await pipe.transform(light, { type: 'body', metatype })) as T;
  } catch (error) {
    if (!(error instanceof DomainError) || error.errors.length === 0) throw error;
    errors.push(...error.errors);
  }
  for (const { list, index, values } of samples) {
    const problem = sampleValuesProblem(values);
    if (problem !== null) errors.push({ field: index < 0 ? 'values' : `${list}[${index}].values`, message: `values${problem}` });
  }
  if (errors.length > 0 || validated === null) throw invalidFields(errors);
  for (const { list, index, values: sent } of samples) {
    const values = isPackedNumbers(sent) ? uploadedNumericSample(sent) : sent;
    if (index < 0) (validated as { values: unknown }).values = values;
    else (resolve(validated, list) as { values: unknown }[])[index].values = values;
  }
  return validated;
}

function isSampleArray(value: unknown): boolean {
  return Array.isArray(value) || isPackedNumbers(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolve(root: object, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
}
