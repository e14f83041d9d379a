import { createFixtures } from 'test/contract/fixtures';
import { baseRequests, type ApiRequest } from 'test/contract/requests';
import { operations, resolve, type Operation, type Schema } from 'test/contract/spec';
import { createTestApp, type TestApp } from 'test/support/test-app';

/** A numeric property with a bound in the document, where it sits in a request. */
interface Bound {
  operation: Operation;
  location: 'query' | 'body';
  path: (string | number)[];
  schema: Schema;
}

function bodyBounds(operation: Operation, schema: Schema, path: (string | number)[], found: Bound[]): void {
  const resolved = resolve(schema);
  if (resolved.type === 'array' && resolved.items) return bodyBounds(operation, resolved.items, [...path, 0], found);
  for (const [name, property] of Object.entries((resolved.properties ?? {}) as Record<string, Schema>)) {
    const target = resolve(property);
    if ((target.type === 'number' || target.type === 'integer') && (target.minimum !== undefined || target.maximum !== undefined)) {
      found.push({ operation, location: 'body', path: [...path, name], schema: target });
    } else if (target.type === 'object' || target.type === 'array') bodyBounds(operation, property, [...path, name], found);
  }
}

const bounds: Bound[] = operations.flatMap((operation) => {
  const found: Bound[] = [];
  for (const parameter of operation.parameters) {
    const schema = resolve(parameter.schema);
    if (parameter.in === 'query' && (schema.minimum !== undefined || schema.maximum !== undefined)) {
      found.push({ operation, location: 'query', path: [parameter.name], schema });
    }
  }
  if (operation.body) bodyBounds(operation, operation.body, [], found);
  return found;
});

/** Base bodies that hold the bounded fields' parents, so each value is judged inside an otherwise valid request. */
const COMPUTED_RULE = { metricName: 'realized.accuracy', aggregation: 'last', windowMinutes: 60, bucket: '1h' };

const WITH_PARENTS: Record<string, (body: Record<string, any>, path: (string | number)[]) => Record<string, any>> = {
  createTrainingRun: (body) => ({ ...body, dataset: { ref: 'warehouse.table', rows: 10 } }),
  recordAbTestObservations: () => ({ aggregates: [{ variant: 'control', count: 10, sum: 0 }] }),
  // a guardrail first (metrics[0] is where its tolerance is probed) and a proper prior (prior.variance); the rollout
  // settings are probed on a rollout
  startAbTest: ({ metricType: _metricType, ...body }, path) => ({
    ...body,
    ...(path[0] === 'rollout' ? { mode: 'rollout' } : {}),
    baselineMean: 10,
    baselineStdDev: 2,
    prior: { mean: 0, variance: 1 },
    metrics: [
      { name: 'errors', role: 'guardrail', type: 'continuous', direction: 'lower_is_better', tolerance: 0.02 },
      { name: body.primaryMetric, role: 'primary', type: 'continuous' },
    ],
  }),
  // evaluationLagMinutes is for computed metrics only: probed on realized.accuracy (the fixture model is binary) over
  // one 1 h bucket; every other update probe first makes the fixture rule a pushed-metric rule again
  createAlertRule: (body, path) => (path[0] === 'evaluationLagMinutes' ? { ...body, ...COMPUTED_RULE } : body),
  previewAlertRule: (body, path) => (path[1] === 'evaluationLagMinutes' ? { ...body, rule: { ...body.rule, ...COMPUTED_RULE } } : body),
  updateAlertRule: (body, path) =>
    path[0] === 'evaluationLagMinutes'
      ? { ...body, ...COMPUTED_RULE }
      : { ...body, metricName: 'accuracy', aggregation: 'avg', windowMinutes: 30 },
  // names are unique: each probe creates its own model or channel
  createModel: (body) => ({ ...body, name: `bounds-${Math.random().toString(36).slice(2, 10)}` }),
  createAlertChannel: (body) => ({ ...body, name: `bounds-${Math.random().toString(36).slice(2, 10)}` }),
};

function fieldName(path: (string | number)[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

function withValue(base: ApiRequest, bound: Bound, value: number): ApiRequest {
  const request: ApiRequest = { path: { ...base.path }, query: { ...base.query }, body: structuredClone(base.body) };
  if (bound.location === 'query') {
    request.query[String(bound.path[0])] = value;
    return request;
  }
  const adjust = WITH_PARENTS[bound.operation.operationId];
  request.body = adjust ? adjust((request.body ?? {}) as Record<string, any>, bound.path) : (request.body ?? {});
  let node = request.body as Record<string | number, any>;
  for (const part of bound.path.slice(0, -1)) node = node[part] ??= typeof part === 'number' ? {} : {};
  node[bound.path[bound.path.length - 1]] = value;
  return request;
}

/** min, min − ε, max, max + ε (exclusive bounds: the bound itself is refused) with the verdict the document promises. */
function probes(schema: Schema): { value: number; accepted: boolean }[] {
  const epsilon = (bound: number) => (schema.type === 'integer' ? 1 : Math.max(1, Math.abs(bound)) * 1e-6);
  const result: { value: number; accepted: boolean }[] = [];
  if (schema.minimum !== undefined) {
    const step = epsilon(schema.minimum);
    if (schema.exclusiveMinimum) result.push({ value: schema.minimum, accepted: false }, { value: schema.minimum + step, accepted: true });
    else result.push({ value: schema.minimum, accepted: true }, { value: schema.minimum - step, accepted: false });
  }
  if (schema.maximum !== undefined) {
    const step = epsilon(schema.maximum);
    if (schema.exclusiveMaximum) result.push({ value: schema.maximum, accepted: false }, { value: schema.maximum - step, accepted: true });
    else result.push({ value: schema.maximum, accepted: true }, { value: schema.maximum + step, accepted: false });
  }
  return result;
}

describe('schema bounds equal what the server enforces (e2e)', () => {
  let testApp: TestApp;
  let bases: Record<string, ApiRequest>;
  beforeAll(async () => {
    testApp = await createTestApp();
    bases = baseRequests(await createFixtures(testApp));
  });
  afterAll(() => testApp.close());

  it('finds the numeric bounds of the document', () => {
    expect(bounds.length).toBeGreaterThan(25);
  });

  const named = bounds.map((bound) => [`${bound.operation.operationId} ${bound.location}.${fieldName(bound.path)}`, bound] as const);
  const check = async (_name: string, bound: Bound) => {
    const verdicts: string[] = [];
    for (const probe of probes(bound.schema)) {
      const base = bases[bound.operation.operationId];
      const request = withValue(base, bound, probe.value);
      const url = bound.operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(request.path[name]));
      const http = testApp.http();
      let call = http[bound.operation.method as 'get'](url).query(request.query as Record<string, string>);
      if (bound.operation.body) call = call.send(request.body as object);
      const response = await call;
      const field = bound.location === 'query' ? String(bound.path[0]) : fieldName(bound.path);
      const refused = response.status === 400 && (response.body.errors ?? []).some((error: { field: string }) => error.field === field);
      if (refused === probe.accepted || (probe.accepted && response.status >= 400)) {
        verdicts.push(
          `${probe.value}: expected ${probe.accepted ? 'accepted' : 'refused'}, got ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`,
        );
      }
    }
    expect(verdicts).toEqual([]);
  };
  it.each(named)('%s', check);
});
