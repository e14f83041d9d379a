import fc from 'fast-check';
import { applyMutation, mutations } from 'test/contract/arbitraries';
import { createFixtures } from 'test/contract/fixtures';
import { baseRequests, type ApiRequest } from 'test/contract/requests';
import { operations, PROBLEM_SCHEMA, validationErrors, type Operation } from 'test/contract/spec';
import { createTestApp, type TestApp } from 'test/support/test-app';

/**
 * Contract tests driven by openapi.json: for every operation, fast-check sends its base request changed in one place
 * (a schema-valid value, junk, a dropped or an unknown field, a junk body) to the real app on a real database holding
 * realistic objects, and checks: never a 5xx; only documented statuses; 2xx bodies valid against the documented
 * schema; 4xx bodies problem+json, and a 400 names the fields at fault.
 * Deterministic (seed CONTRACT_SEED, default 20261201); CONTRACT_RUNS per operation (default 25; --long: 300).
 */
const RUNS = Number(process.env.CONTRACT_RUNS ?? 25);
const SEED = Number(process.env.CONTRACT_SEED ?? 20261201);
/** 400s whose cause is not a field: the body as a whole. */
const BODY_LEVEL_CODES = new Set(['MALFORMED_JSON']);

function urlOf(operation: Operation, request: ApiRequest): string {
  return operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(request.path[name] ?? ''));
}

function queryOf(request: ApiRequest): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.query)) {
    if (value === undefined) continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [inner, item] of Object.entries(value)) query[`${key}.${inner}`] = String(item);
    } else query[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return query;
}

/** Everything wrong with one answer (empty: it keeps the contract). */
export function contractViolations(operation: Operation, status: number, contentType: string, body: unknown): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`${status} (a server error)`);
  const documented = operation.responses[String(status)];
  if (!documented) problems.push(`${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`);
  if (status >= 200 && status < 300 && documented) {
    const schema = documented.content?.['application/json']?.schema;
    const errors = schema ? validationErrors(schema, body) : null;
    if (errors) problems.push(`the ${status} body does not match its schema: ${errors}`);
  }
  if (status >= 400) {
    if (!/^application\/problem\+json/.test(contentType)) problems.push(`content-type ${contentType} is not application/problem+json`);
    const errors = validationErrors(PROBLEM_SCHEMA, body);
    if (errors) problems.push(`the problem body does not match ProblemDetails: ${errors}`);
    const problem = body as { code?: string; errors?: { field?: string }[] };
    if (
      status === 400 &&
      !BODY_LEVEL_CODES.has(problem.code ?? '') &&
      !(problem.errors?.length && problem.errors.every((error) => typeof error.field === 'string'))
    ) {
      problems.push(`a 400 (${problem.code}) that names no field`);
    }
  }
  return problems;
}

describe('contract: every operation keeps its OpenAPI contract under generated input', () => {
  let testApp: TestApp;
  let bases: Record<string, ApiRequest>;
  beforeAll(async () => {
    testApp = await createTestApp();
    bases = baseRequests(await createFixtures(testApp));
  });
  afterAll(() => testApp.close());

  it('has a base request for every operation in openapi.json', () => {
    expect(operations.map((operation) => operation.operationId).filter((id) => !bases[id])).toEqual([]);
  });

  it.each(operations.map((operation) => [operation.operationId, operation] as const))('%s', async (_id, operation) => {
    await fc.assert(
      fc.asyncProperty(mutations(operation), async (mutation) => {
        const request = applyMutation(bases[operation.operationId], mutation);
        let call = testApp.http()[operation.method as 'get'](urlOf(operation, request)).query(queryOf(request));
        if (operation.body) call = call.set('content-type', 'application/json').send(JSON.stringify(request.body ?? null));
        const response = await call;
        const violations = contractViolations(operation, response.status, String(response.headers['content-type'] ?? ''), response.body);
        if (violations.length > 0) {
          throw new Error(
            `${operation.method.toUpperCase()} ${operation.path}: ${violations.join('; ')}\n` +
              `request: ${JSON.stringify(request).slice(0, 800)}\nresponse: ${response.status} ${JSON.stringify(response.body).slice(0, 800)}`,
          );
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});
