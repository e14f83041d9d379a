import { EXAMPLE_MODEL_NAME } from 'src/common/openapi/api-example-body';
import { document, operations, resolve, type Schema } from 'test/contract/spec';
import { createTestApp, type TestApp } from 'test/support/test-app';

/** Swagger UI's "Try it out" works when executed unchanged. */
describe('Swagger UI examples (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const withExamples = operations
    .map((operation) => ({ operation, example: (operation as any).body && exampleOf(operation.operationId) }))
    .filter(({ example }) => example);

  function exampleOf(operationId: string): unknown {
    for (const methods of Object.values(document.paths) as any[]) {
      for (const operation of Object.values(methods) as any[]) {
        if (operation.operationId === operationId) return operation.requestBody?.content?.['application/json']?.examples?.tryIt?.value;
      }
    }
    return undefined;
  }

  it('every try-it example body succeeds as given, twice in a row (get-or-create first)', async () => {
    const isPut = (item: (typeof withExamples)[number]) => item.operation.operationId === 'putModelByName';
    const ordered = [...withExamples.filter(isPut), ...withExamples.filter((item) => !isPut(item))];
    expect(ordered[0].operation.operationId).toBe('putModelByName');
    expect(ordered.length).toBeGreaterThanOrEqual(5);
    for (let round = 0; round < 2; round++) {
      for (const { operation, example } of ordered) {
        const url = operation.path.replace('{name}', EXAMPLE_MODEL_NAME);
        const http = testApp.http();
        const response = await http[operation.method as 'post'](url).send(example as object);
        expect({
          operation: operation.operationId,
          status: response.status < 300 ? 'ok' : response.status,
          body: response.status < 300 ? null : response.body,
        }).toEqual({
          operation: operation.operationId,
          status: 'ok',
          body: null,
        });
      }
    }
  });

  it('no optional query parameter carries an example (Swagger UI would send it and filter)', () => {
    const prefilled = operations.flatMap((operation) =>
      operation.parameters
        .filter(
          (parameter) =>
            parameter.in === 'query' &&
            !parameter.required &&
            (parameter.schema?.example !== undefined || (parameter as Schema).example !== undefined),
        )
        .map((parameter) => `${operation.operationId}.${parameter.name}`),
    );
    expect(prefilled).toEqual([]);
  });

  it('no request schema carries a placeholder id example', () => {
    const placeholders: string[] = [];
    const walk = (schema: Schema | undefined, path: string, depth = 0) => {
      const resolved = resolve(schema);
      if (depth > 4) return;
      if (resolved.format === 'uuid' && resolved.example !== undefined) placeholders.push(path);
      for (const [name, property] of Object.entries((resolved.properties ?? {}) as Record<string, Schema>))
        walk(property, `${path}.${name}`, depth + 1);
      if (resolved.items) walk(resolved.items, `${path}[]`, depth + 1);
    };
    for (const operation of operations) {
      walk(operation.body, operation.operationId);
      for (const parameter of operation.parameters) walk(parameter.schema, `${operation.operationId}.${parameter.name}`);
    }
    expect(placeholders).toEqual([]);
  });
});
