import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Schema = Record<string, any>;
export interface Operation {
  operationId: string;
  method: string;
  path: string;
  parameters: { name: string; in: 'path' | 'query'; required?: boolean; schema: Schema }[];
  body?: Schema;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export const document: Schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'));
export const schemas: Record<string, Schema> = document.components.schemas;

export const operations: Operation[] = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    operationId: operation.operationId,
    method,
    path,
    parameters: operation.parameters ?? [],
    body: operation.requestBody?.content?.['application/json']?.schema,
    responses: operation.responses,
  })),
);

/** Follows a $ref (or a single-element allOf) to the schema it names. */
export function resolve(schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(schemas[schema.$ref.split('/').pop()!]);
  if (schema.allOf?.length === 1) return { ...resolve(schema.allOf[0]), ...withoutKey(schema, 'allOf') };
  return schema;
}

function withoutKey(schema: Schema, key: string): Schema {
  const { [key]: _omitted, ...rest } = schema;
  return rest;
}

/** OpenAPI 3.0 → JSON Schema for ajv: boolean exclusiveMinimum/Maximum become numbers (nullable ajv knows). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const result: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples') continue;
    result[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([name, item]) => [name, toJsonSchema(item)]))
        : toJsonSchema(value);
  }
  // `nullable` beside an allOf-wrapped $ref: read as "null or that schema", as the SDK generators read it
  if (result.nullable === true && Array.isArray(result.allOf)) {
    const { nullable: _nullable, type: _type, ...rest } = result;
    return { anyOf: [{ type: 'null' }, rest] };
  }
  if (result.exclusiveMinimum === true) [result.exclusiveMinimum, result.minimum] = [result.minimum, undefined];
  if (result.exclusiveMaximum === true) [result.exclusiveMaximum, result.maximum] = [result.maximum, undefined];
  if (result.exclusiveMinimum === false) delete result.exclusiveMinimum;
  if (result.exclusiveMaximum === false) delete result.exclusiveMaximum;
  for (const key of ['minimum', 'maximum']) if (result[key] === undefined) delete result[key];
  return result;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'spec', components: { schemas: toJsonSchema(schemas) } });
const validators = new Map<string, ValidateFunction>();

/** ajv's verdict on a value against a schema from the document; null when valid, else the errors. */
export function validationErrors(schema: Schema, value: unknown): string | null {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    const rebased = JSON.parse(JSON.stringify(toJsonSchema(schema)).replace(/"#\/components\//g, '"spec#/components/'));
    validate = ajv.compile(rebased);
    validators.set(key, validate);
  }
  return validate(value) ? null : ajv.errorsText(validate.errors, { separator: '; ' });
}

export const PROBLEM_SCHEMA = { $ref: '#/components/schemas/ProblemDetailsDto' };
