import fc from 'fast-check';
import { resolve, type Operation, type Schema } from 'test/contract/spec';
import type { ApiRequest } from 'test/contract/requests';

/** URLs are only ever loopback ones or junk: nothing a mutated request holds may reach another host. */
const SAFE_URL = fc.constantFrom('http://127.0.0.1:9/mutated', 'https://127.0.0.1:9/x', 'not a url', '', 'ftp://127.0.0.1/x', 'http://');

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    '',
    ' ',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e999',
    '__proto__',
    '0x10',
    [],
    {},
  ),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.string({ maxLength: 6 })), { maxKeys: 3 }),
);

/** A value the schema allows (best effort: patterns via stringMatching, numbers within bounds, short arrays). */
export function valid(schemaIn: Schema, name = '', depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(schemaIn);
  const nullable = schema.nullable ? [fc.constant(null)] : [];
  const one = (arbitrary: fc.Arbitrary<unknown>) => (nullable.length ? fc.oneof(arbitrary, ...nullable) : arbitrary);
  if (/url$/i.test(name)) return SAFE_URL;
  if (schema.enum) return one(fc.constantFrom(...schema.enum));
  if (schema.anyOf || schema.oneOf)
    return fc.oneof(...(schema.anyOf ?? schema.oneOf).map((option: Schema) => valid(option, name, depth + 1)));
  switch (schema.type) {
    case 'integer': {
      const min = schema.minimum ?? -1000;
      const max = schema.maximum ?? Math.max(min + 1000, 1000);
      return one(
        fc.integer({ min: Math.ceil(min + (schema.exclusiveMinimum ? 1 : 0)), max: Math.floor(max - (schema.exclusiveMaximum ? 1 : 0)) }),
      );
    }
    case 'number': {
      const min = schema.minimum ?? -1e6;
      const max = schema.maximum ?? 1e6;
      return one(
        fc.double({
          min,
          max,
          noNaN: true,
          noDefaultInfinity: true,
          minExcluded: !!schema.exclusiveMinimum,
          maxExcluded: !!schema.exclusiveMaximum,
        }),
      );
    }
    case 'boolean':
      return one(fc.boolean());
    case 'string': {
      if (schema.format === 'uuid') return one(fc.uuid());
      if (schema.format === 'date-time') {
        return one(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.now() }).map((ms) => new Date(ms).toISOString()));
      }
      if (schema.pattern)
        return one(fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length <= (schema.maxLength ?? 1000)));
      return one(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }));
    }
    case 'array':
      if (depth > 2) return fc.constant([]);
      return one(
        fc.array(valid(schema.items ?? {}, name, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 4, 4, Math.max(schema.minItems ?? 0, 4)),
        }),
      );
    case 'object': {
      if (depth > 2 || !schema.properties)
        return one(fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ maxLength: 8 }), { maxKeys: 3 }));
      const required = new Set<string>(schema.required ?? []);
      const entries = Object.entries(schema.properties as Record<string, Schema>).filter(([, property]) => !property.readOnly);
      return one(
        fc.record(Object.fromEntries(entries.map(([key, property]) => [key, valid(property, key, depth + 1)])), {
          requiredKeys: entries.map(([key]) => key).filter((key) => required.has(key)),
        }),
      );
    }
    default:
      return fc.constant('x');
  }
}

export type Mutation =
  | { kind: 'base' }
  | { kind: 'valid' | 'junk'; where: 'body' | 'query' | 'path'; key: string; value: unknown }
  | { kind: 'drop'; where: 'body' | 'query'; key: string }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'wholeBody'; value: unknown };

/** A base request changed in one place: a schema-valid value, junk, a dropped or an unknown field, or a junk body. */
export function mutations(operation: Operation): fc.Arbitrary<Mutation> {
  const bodySchema = resolve(operation.body);
  const bodyProperties = Object.entries((bodySchema.properties ?? {}) as Record<string, Schema>).filter(([, schema]) => !schema.readOnly);
  const query = operation.parameters.filter((parameter) => parameter.in === 'query');
  const path = operation.parameters.filter((parameter) => parameter.in === 'path');
  const options: fc.Arbitrary<Mutation>[] = [fc.constant({ kind: 'base' as const })];
  const stringJunk = fc.oneof(
    fc.string({ maxLength: 30 }),
    junk.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))),
  );
  for (const [key, schema] of bodyProperties) {
    options.push(valid(schema, key).map((value) => ({ kind: 'valid' as const, where: 'body' as const, key, value })));
    options.push((/url$/i.test(key) ? SAFE_URL : junk).map((value) => ({ kind: 'junk' as const, where: 'body' as const, key, value })));
    options.push(fc.constant({ kind: 'drop' as const, where: 'body' as const, key }));
  }
  for (const parameter of query) {
    options.push(
      valid(parameter.schema, parameter.name).map((value) => ({
        kind: 'valid' as const,
        where: 'query' as const,
        key: parameter.name,
        value,
      })),
    );
    options.push(stringJunk.map((value) => ({ kind: 'junk' as const, where: 'query' as const, key: parameter.name, value })));
    options.push(fc.constant({ kind: 'drop' as const, where: 'query' as const, key: parameter.name }));
  }
  for (const parameter of path) {
    // never empty: an empty segment is another route, not a bad parameter
    options.push(
      valid(parameter.schema, parameter.name)
        .filter((value) => String(value) !== '')
        .map((value) => ({
          kind: 'valid' as const,
          where: 'path' as const,
          key: parameter.name,
          value,
        })),
    );
    options.push(
      stringJunk
        .filter((value) => value !== '')
        .map((value) => ({ kind: 'junk' as const, where: 'path' as const, key: parameter.name, value })),
    );
  }
  if (operation.body) {
    options.push(fc.tuple(fc.stringMatching(/^[a-zA-Z]{1,10}$/), junk).map(([key, value]) => ({ kind: 'extra' as const, key, value })));
    options.push(junk.map((value) => ({ kind: 'wholeBody' as const, value })));
  }
  return fc.oneof(...options);
}

export function applyMutation(base: ApiRequest, mutation: Mutation): ApiRequest {
  const request: ApiRequest = { path: { ...base.path }, query: { ...base.query }, body: structuredClone(base.body) };
  const body = (request.body ?? {}) as Record<string, unknown>;
  switch (mutation.kind) {
    case 'base':
      break;
    case 'valid':
    case 'junk':
      if (mutation.where === 'path') request.path[mutation.key] = String(mutation.value);
      else if (mutation.where === 'query') request.query[mutation.key] = mutation.value;
      else request.body = { ...body, [mutation.key]: mutation.value };
      break;
    case 'drop':
      if (mutation.where === 'query') delete request.query[mutation.key];
      else {
        const { [mutation.key]: _dropped, ...rest } = body;
        request.body = rest;
      }
      break;
    case 'extra':
      request.body = { ...body, [mutation.key]: mutation.value };
      break;
    case 'wholeBody':
      request.body = mutation.value;
      break;
  }
  return request;
}
