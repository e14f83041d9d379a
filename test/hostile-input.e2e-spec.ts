import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import Ajv from 'ajv';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { toDomainError } from 'src/common/errors/to-domain-error';
import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { checkDrift, currentWithDrift, putReference } from 'test/support/drift-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/**
 * The hostile-input classes of issue 10, one describe block per class: each request here answered 500 (or a
 * misleading 4xx, or stored what it should not) before the input path refused it at its root.
 */
describe('hostile input (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const api = (path: string) => `/api/v1${path}`;
  const fieldsOf = (problem: { errors?: { field: string }[] }) => [...new Set((problem.errors ?? []).map((error) => error.field))];
  const nest = (depth: number, leaf: unknown = 1): unknown => {
    let value = leaf;
    for (let level = 0; level < depth; level++) value = { a: value };
    return value;
  };

  describe('1. NUL and lone surrogates', () => {
    it('refuses NUL in a body field with 400 naming the field', async () => {
      const problem = expectProblem(
        await testApp
          .http()
          .post(api('/models'))
          .send({ name: uniqueName('nul'), owner: 'a\u0000b' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(fieldsOf(problem)).toEqual(['owner']);
    });

    it('refuses NUL and lone surrogates inside free-form objects, values and keys', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ metadata: { notes: ['ok', 'x\u0000'] } }, 'metadata.notes[1]'],
        [{ metadata: { nested: { text: '\ud800' } } }, 'metadata.nested.text'],
        [{ metadata: { 'k\u0000': 1 } }, 'metadata["k\\u0000"]'],
        [{ tags: ['\udc00x'] }, 'tags[0]'],
      ];
      for (const [fields, field] of cases) {
        const response = await testApp
          .http()
          .post(api('/models'))
          .send({ name: uniqueName('nul'), ...fields });
        expect(fieldsOf(expectProblem(response, 400, 'VALIDATION_FAILED'))[0]).toBe(field);
      }
    });

    it('refuses NUL in query values, path segments and cursors', async () => {
      const model = await createModel(testApp);
      expect(fieldsOf(expectProblem(await testApp.http().get(api('/models?tag=%00')), 400))).toEqual(['tag']);
      expect(fieldsOf(expectProblem(await testApp.http().get(api('/models?cursor=a%00')), 400))).toEqual(['cursor']);
      const feature = await testApp
        .http()
        .put(api(`/models/${model.id}/reference/features/a%00b`))
        .send({ values: [1, 2, 3] });
      expect(fieldsOf(expectProblem(feature, 400))).toEqual(['featureName']);
      for (const segment of ['%ED%A0%80', '%FF', '%']) {
        const undecodable = await testApp
          .http()
          .put(api(`/models/${model.id}/reference/features/${segment}`))
          .send({ values: [1, 2, 3] });
        expectProblem(undecodable, 400);
      }
      const cursor = Buffer.from(JSON.stringify({ raisedAt: '2026-01-01T00:00:00.000Z', id: '\u0000' })).toString('base64url');
      expectProblem(await testApp.http().get(api(`/alerts?cursor=${cursor}`)), 400, 'INVALID_CURSOR');
    });

    it('refuses NUL in bodies that bypass class-validator (metric points)', async () => {
      const model = await createModel(testApp);
      const response = await testApp
        .http()
        .post(api('/metrics/record'))
        .send({ points: [{ modelId: model.id, metricName: 'accuracy', value: 1, segment: { region: 'e\u0000u' } }] });
      expect(fieldsOf(expectProblem(response, 400))).toEqual(['points[0].segment.region']);
    });
  });

  describe('2. deep nesting', () => {
    it('answers 400 for a body nested 2,000 deep, on every kind of body', async () => {
      const model = await createModel(testApp);
      const deep = nest(2_000);
      const requests = [
        testApp
          .http()
          .post(api('/models'))
          .send({ name: uniqueName('deep'), metadata: deep }),
        testApp
          .http()
          .post(api('/metrics/record'))
          .send({ points: [deep] }),
        testApp.http().post(api('/training-runs')).send({ modelId: model.id, hyperparameters: deep }),
        testApp
          .http()
          .put(api(`/models/${model.id}/reference`))
          .send({ features: [{ name: 'f', values: [deep] }] }),
        testApp
          .http()
          .post(api('/ab-test/start'))
          .send({ modelId: model.id, variants: [deep] }),
      ];
      for (const response of await Promise.all(requests)) {
        expect(expectProblem(response, 400).detail).toMatch(/nests deeper than 32 levels/);
      }
    });

    it('bounds free-form objects: 10 levels and 64 KiB are accepted, 11 levels or more bytes are refused', async () => {
      await createModel(testApp, { metadata: nest(10) });
      for (const metadata of [nest(11), { blob: 'x'.repeat(64 * 1024) }]) {
        const response = await testApp
          .http()
          .post(api('/models'))
          .send({ name: uniqueName('big'), metadata });
        expect(fieldsOf(expectProblem(response, 400, 'VALIDATION_FAILED'))).toEqual(['metadata']);
      }
    });
  });

  describe('3. content encoding and type', () => {
    const body = JSON.stringify({ name: 'encoded' });
    it('answers 400 for a gzip, deflate or br body that does not decompress', async () => {
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const response = await testApp
          .http()
          .post(api('/models'))
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', encoding)
          .serialize((value: Buffer) => value as unknown as string)
          .send(Buffer.from('definitely not compressed'));
        expectProblem(response, 400, 'UNREADABLE_BODY');
      }
    });

    it('accepts a body that does decompress, and answers 415 for an unsupported encoding', async () => {
      const name = uniqueName('gz');
      const ok = await testApp
        .http()
        .post(api('/models'))
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize((value: Buffer) => value as unknown as string)
        .send(gzipSync(JSON.stringify({ name })));
      expect({ status: ok.status, body: ok.body }).toMatchObject({ status: 201, body: { name } });
      const response = await testApp
        .http()
        .post(api('/models'))
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'compress')
        .send(Buffer.from(body));
      expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers 415 for a body with a non-JSON content type', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const response = await testApp.http().post(api('/models')).set('Content-Type', type).send(body);
        expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });
  });

  describe('4. forged cursors', () => {
    const cursorOf = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const edgeId = '00000000-0000-4000-8000-000000000000';

    it('answers 400 INVALID_CURSOR for a time at the edge of the date range on every time-keyed list', async () => {
      const model = await createModel(testApp);
      const lists: [string, string][] = [
        ['/alerts', 'at'],
        ['/alerts/active', 'at'],
        ['/alert-rules', 'at'],
        ['/training-runs', 'queuedAt'],
        [`/drift/checks?modelId=${model.id}`, 'checkedAt'],
        [`/ab-test?modelId=${model.id}`, 'startedAt'],
      ];
      for (const [path, field] of lists) {
        for (const time of ['-271821-04-20T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z']) {
          const cursor = cursorOf({ [field]: time, id: edgeId });
          const response = await testApp.http().get(api(`${path}${path.includes('?') ? '&' : '?'}cursor=${cursor}`));
          expectProblem(response, 400, 'INVALID_CURSOR');
        }
      }
    });

    it('answers 400 INVALID_CURSOR for NUL hidden inside a name-keyed cursor', async () => {
      const model = await createModel(testApp);
      const lists = [
        ['/models', { name: 'a\u0000' }],
        ['/alert-channels', { name: 'a\u0000' }],
        [`/models/${model.id}/baselines`, { metricName: 'a\u0000', environment: 'production' }],
      ] as const;
      for (const [path, key] of lists) {
        expectProblem(await testApp.http().get(api(`${path}?cursor=${cursorOf(key)}`)), 400, 'INVALID_CURSOR');
      }
    });
  });

  describe('6. one timestamp parser and range', () => {
    it('refuses recordedAt of year 0000 with 400 naming the point field, as every other timestamp field does', async () => {
      const model = await createModel(testApp);
      const record = await testApp
        .http()
        .post(api('/metrics/record'))
        .send({ points: [{ modelId: model.id, metricName: 'accuracy', value: 1, recordedAt: '0000-01-01T00:00:00Z' }] });
      expect(fieldsOf(expectProblem(record, 400))).toEqual(['points[0].recordedAt']);
      const trend = await testApp.http().get(api(`/metrics/trend?modelId=${model.id}&metricName=accuracy&from=0000-01-01T00:00:00Z`));
      expect(fieldsOf(expectProblem(trend, 400))).toEqual(['from']);
      const run = await testApp.http().post(api('/training-runs')).send({ modelId: model.id, startedAt: '0000-06-01T00:00:00Z' });
      expect(fieldsOf(expectProblem(run, 400))).toEqual(['startedAt']);
    });

    it('tells a client that sent no offset to add Z', async () => {
      const model = await createModel(testApp);
      const record = await testApp
        .http()
        .post(api('/metrics/record'))
        .send({ points: [{ modelId: model.id, metricName: 'accuracy', value: 1, recordedAt: '2026-01-01T10:00:00' }] });
      expect(expectProblem(record, 400).errors?.[0].message).toMatch(/add Z/);
      const alerts = await testApp.http().get(api('/alerts?from=2026-01-01T10:00:00'));
      expect(expectProblem(alerts, 400).errors).toEqual([{ field: 'from', message: expect.stringMatching(/add Z/) }]);
    });

    it('accepts epoch milliseconds wherever a timestamp is: JSON numbers in bodies, digits in queries', async () => {
      const model = await createModel(testApp);
      const at = Date.parse('2026-11-30T12:00:00.000Z');
      const record = await testApp
        .http()
        .post(api('/metrics/record'))
        .send({ points: [{ modelId: model.id, metricName: 'accuracy', value: 0.5, recordedAt: at }] });
      expect(record.status).toBe(201);
      const trend = await testApp
        .http()
        .get(api(`/metrics/trend?modelId=${model.id}&metricName=accuracy&from=${at - 3_600_000}&to=${at + 3_600_000}`));
      expect(trend.status).toBe(200);
      expect(JSON.stringify(trend.body)).toContain('2026-11-30T12:00:00.000Z');
      const run = await testApp.http().post(api('/training-runs')).send({ modelId: model.id, status: 'running', startedAt: at });
      expect({ status: run.status, startedAt: run.body.startedAt }).toEqual({ status: 201, startedAt: '2026-11-30T12:00:00.000Z' });
    });
  });

  describe('5. huge values', () => {
    it('refuses measured values beyond ±1e15 (1e308 used to poison every aggregate of the model)', async () => {
      const model = await createModel(testApp);
      const record = await testApp
        .http()
        .post(api('/metrics/record'))
        .send({ points: [{ modelId: model.id, metricName: 'accuracy', value: 1e308 }] });
      expect(fieldsOf(expectProblem(record, 400))).toEqual(['points[0].value']);
      const baseline = await testApp
        .http()
        .put(api(`/models/${model.id}/baselines/accuracy`))
        .send({ value: 1e308 });
      expect(fieldsOf(expectProblem(baseline, 400))).toEqual(['value']);
      const rule = await testApp.http().post(api('/alert-rules')).send({
        modelId: model.id,
        name: 'r',
        metricName: 'accuracy',
        aggregation: 'avg',
        windowMinutes: 5,
        comparator: 'lt',
        threshold: -1e308,
      });
      expect(fieldsOf(expectProblem(rule, 400))).toContain('threshold');
      const run = await testApp
        .http()
        .post(api('/training-runs'))
        .send({ modelId: model.id, metrics: { auc: 1e308 } });
      expect(fieldsOf(expectProblem(run, 400))).toEqual(['metrics']);
      const reference = await testApp
        .http()
        .put(api(`/models/${model.id}/reference`))
        .send({ features: [{ name: 'f', values: [1, 1e308] }] });
      expect(expectProblem(reference, 400).detail).toMatch(/values\[1\] must be between/);
    });

    it('answers every aggregate endpoint for the largest values the API accepts', async () => {
      const model = await createModel(testApp);
      const now = testApp.clock.now().getTime();
      const points = [1e15, 1e15, -1e15, 1e15].map((value, index) => ({
        modelId: model.id,
        metricName: 'loss',
        value,
        recordedAt: new Date(now - (index + 1) * 60_000).toISOString(),
      }));
      expect((await testApp.http().post(api('/metrics/record')).send({ points })).status).toBe(201);
      const from = new Date(now - 3_600_000).toISOString();
      const to = new Date(now + 1).toISOString();
      const baseline = await testApp
        .http()
        .put(api(`/models/${model.id}/baselines/loss`))
        .send({ from, to });
      expect({ status: baseline.status, value: baseline.body.value }).toEqual({ status: 200, value: 5e14 });
      const queries = [
        `/metrics/trend?modelId=${model.id}&metricName=loss&aggregation=avg&from=${from}&to=${to}`,
        `/metrics/trend?modelId=${model.id}&metricName=loss&aggregation=sum&from=${from}&to=${to}&forecastHorizon=3`,
        `/metrics/compare?metricName=loss&modelIds=${model.id}&from=${from}&to=${to}`,
        `/metrics/degradation?modelId=${model.id}&window=1h`,
        `/metrics/latest?modelId=${model.id}`,
      ];
      for (const query of queries) {
        const response = await testApp.http().get(api(query.replace(/\+/g, '%2B')));
        expect({ query, status: response.status }).toEqual({ query, status: 200 });
      }
    });
  });

  describe('9. a model deleted while writes for it run', () => {
    it('maps a foreign-key violation of any write to the 404 of the missing resource, in one place', async () => {
      const error = await testApp
        .get(DataSource)
        .query(`INSERT INTO model_performance_metrics (model_id, metric_name, value, recorded_at) VALUES ($1, 'x', 1, now())`, [
          randomUUID(),
        ])
        .catch((caught: unknown) => caught);
      expect(toDomainError(error)).toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND' });
    });

    // The race made deterministic: the delete holds its row lock until the write's foreign-key check waits on it.
    const writes: [string, (modelId: string) => PromiseLike<{ status: number; headers: Record<string, string>; body: any }>][] = [
      ['createTrainingRun', (modelId) => testApp.http().post(api('/training-runs')).send({ modelId })],
      [
        'raiseAlert',
        (modelId) => testApp.http().post(api('/alerts')).send({ modelId, type: 'data_drift', severity: 'warning', title: 't' }),
      ],
      [
        'createAlertRule',
        (modelId) =>
          testApp.http().post(api('/alert-rules')).send({
            modelId,
            metricName: 'accuracy',
            aggregation: 'last',
            windowMinutes: 60,
            comparator: 'lt',
            threshold: 0.8,
            severity: 'critical',
          }),
      ],
      [
        'putBaseline',
        (modelId) =>
          testApp
            .http()
            .put(api(`/models/${modelId}/baselines/accuracy`))
            .send({ value: 0.9 }),
      ],
      [
        'putRetrainPolicy',
        (modelId) =>
          testApp
            .http()
            .put(api(`/models/${modelId}/retrain-policy`))
            .send({ enabled: true }),
      ],
      [
        'putReferenceData',
        (modelId) =>
          testApp
            .http()
            .put(api(`/models/${modelId}/reference`))
            .send({ features: [{ name: 'f', values: [1, 2] }] }),
      ],
      [
        'startAbTest',
        (modelId) =>
          testApp
            .http()
            .post(api('/ab-test/start'))
            .send({
              modelId,
              name: uniqueName('ab'),
              primaryMetric: 'conversion',
              metricType: 'binary',
              variants: [
                { name: 'a', weight: 1 },
                { name: 'b', weight: 1 },
              ],
            }),
      ],
    ];
    it.each(writes)('%s answers 404 MODEL_NOT_FOUND when the model goes away mid-write (server database)', async (_name, write) => {
      if (testApp.database.kind !== 'server') return;
      const model = await createModel(testApp);
      const deleter = new Client({ connectionString: testApp.database.url });
      await deleter.connect();
      try {
        await deleter.query('BEGIN');
        await deleter.query('DELETE FROM models WHERE id = $1', [model.id]);
        // then() sends the request now; awaiting it comes after the commit.
        let settled = false;
        const pending = Promise.resolve(write(model.id)).finally(() => (settled = true));
        for (let waiting = 0; waiting === 0 && !settled;) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          const { rows } = await deleter.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          waiting = rows[0].n;
        }
        await deleter.query('COMMIT');
        expectProblem(await pending, 404, 'MODEL_NOT_FOUND');
      } finally {
        await deleter.end();
      }
    });
  });

  describe('7. explicit null', () => {
    it('refuses null in a defaulted or optional field with 400 naming it, and writes nothing', async () => {
      const name = uniqueName('null');
      const model = expectProblem(await testApp.http().post(api('/models')).send({ name, taskType: null }), 400);
      expect(fieldsOf(model)).toContain('taskType');
      const listed = await testApp.http().get(api(`/models?namePrefix=${name}`));
      expect(listed.body.items).toEqual([]);
      const created = await createModel(testApp);
      const baseline = await testApp
        .http()
        .put(api(`/models/${created.id}/baselines/accuracy`))
        .send({ value: null });
      expect(fieldsOf(expectProblem(baseline, 400))).toContain('value');
      const run = await testApp.http().post(api('/training-runs')).send({ modelId: created.id, hyperparameters: null, dataset: null });
      expect(fieldsOf(expectProblem(run, 400))).toEqual(expect.arrayContaining(['hyperparameters', 'dataset']));
    });

    it('accepts null where the field is documented nullable', async () => {
      const created = await createModel(testApp, { owner: 'team' });
      const patched = await testApp
        .http()
        .patch(api(`/models/${created.id}`))
        .send({ owner: null });
      expect({ status: patched.status, owner: patched.body.owner }).toEqual({ status: 200, owner: null });
    });
  });

  describe('8. malformed array items and degenerate weights', () => {
    const variants = [
      { name: 'a', weight: 1 },
      { name: 'b', weight: 1 },
    ];
    it('answers 400 for arrays where objects belong', async () => {
      const model = await createModel(testApp);
      const start = (body: Record<string, unknown>) =>
        testApp
          .http()
          .post(api('/ab-test/start'))
          .send({ modelId: model.id, name: uniqueName('ab'), primaryMetric: 'conversion', metricType: 'binary', variants, ...body });
      expect(fieldsOf(expectProblem(await start({ variants: [[], variants[0]] }), 400))).toContain('variants');
      const reference = await testApp
        .http()
        .put(api(`/models/${model.id}/reference`))
        .send({ features: [[]] });
      expect(fieldsOf(expectProblem(reference, 400))).toContain('features');
      const run = await testApp.http().post(api('/training-runs')).send({ modelId: model.id, dataset: [] });
      expect(fieldsOf(expectProblem(run, 400))).toContain('dataset');
    });

    it('answers 400 for weights whose normalised share would round to 0, and documents the bounds it enforces', async () => {
      const model = await createModel(testApp);
      const response = await testApp
        .http()
        .post(api('/ab-test/start'))
        .send({
          modelId: model.id,
          name: uniqueName('ab'),
          primaryMetric: 'conversion',
          metricType: 'binary',
          variants: [{ name: 'a', weight: 5e-324 }, ...variants],
        });
      expect(fieldsOf(expectProblem(response, 400))).toEqual(['variants[0].weight']);
      const half = await testApp
        .http()
        .post(api('/ab-test/start'))
        .send({
          modelId: model.id,
          name: uniqueName('ab'),
          primaryMetric: 'conversion',
          metricType: 'binary',
          variants: [{ name: 'a', weight: 0.5 }, variants[1]],
        });
      expect(half.status).toBe(201);
      const document = (await testApp.http().get('/docs-json')).body;
      expect(document.components.schemas.AbTestVariantSpecDto.properties.weight).toMatchObject({ minimum: 0.000001, maximum: 1_000_000 });
      expect(document.components.schemas.StartAbTestDto.properties.baselineStdDev).toMatchObject({ minimum: 0, exclusiveMinimum: true });
    });
  });

  describe('10. createTrainingRun validates dataset fully', () => {
    it('refuses rows beyond an exact integer, nulls in its fields and non-RFC-3339 dates', async () => {
      const model = await createModel(testApp);
      const cases: [Record<string, unknown>, string][] = [
        [{ ref: 's3://d', rows: 1e308 }, 'dataset.rows'],
        [{ ref: null }, 'dataset.ref'],
        [{ ref: 's3://d', rows: null }, 'dataset.rows'],
        [{ ref: 's3://d', from: '2026-13-01T00:00:00Z' }, 'dataset.from'],
        [{ ref: 's3://d', to: 'Tue, 01 Dec 2026 00:00:00 GMT' }, 'dataset.to'],
      ];
      for (const [dataset, field] of cases) {
        const response = await testApp.http().post(api('/training-runs')).send({ modelId: model.id, dataset });
        expect(fieldsOf(expectProblem(response, 400))).toEqual([field]);
      }
      const ok = await testApp
        .http()
        .post(api('/training-runs'))
        .send({ modelId: model.id, dataset: { ref: 's3://d', rows: 10, from: 1_767_225_600_000, to: '2026-02-01T00:00:00+01:00' } });
      expect({ status: ok.status, dataset: ok.body.dataset }).toEqual({
        status: 201,
        dataset: { ref: 's3://d', rows: 10, from: '2026-01-01T00:00:00.000Z', to: '2026-01-31T23:00:00.000Z' },
      });
    });
  });

  describe('11. the spec tells the truth', () => {
    let document: any;
    let validate: (name: string, value: unknown) => unknown;
    beforeAll(async () => {
      document = (await testApp.http().get('/docs-json')).body;
      // OpenAPI 3.0 schemas: ajv understands `nullable`; formats are not this test's subject.
      const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
      ajv.addSchema({ components: document.components }, 'openapi');
      validate = (name, value) => {
        const check = ajv.getSchema(`openapi#/components/schemas/${name}`)!;
        return check(value) ? null : check.errors;
      };
    });

    it('admits the nulls the server really returns beside $ref schemas', async () => {
      const model = await createModel(testApp);
      const run = await testApp.http().post(api('/training-runs')).send({ modelId: model.id });
      expect(run.body.dataset).toBeNull();
      expect(validate('TrainingRunDto', run.body)).toBeNull();
      const empty = await createModel(testApp);
      const summary = await testApp.http().get(api(`/models/${empty.id}/training-summary`));
      expect(summary.body).toMatchObject({ lastRun: null, lastSucceededRun: null });
      expect(validate('TrainingSummaryDto', summary.body)).toBeNull();
      await putReference(testApp, model.id);
      const quiet = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(0) } });
      expect(quiet.retrain).toBeNull();
      expect(validate('DriftCheckDto', quiet)).toBeNull();
      const forbidden = await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(3) }, triggerRetrain: false });
      expect(forbidden.retrain).toMatchObject({ triggered: false, reason: 'not_requested' });
      expect(validate('DriftCheckDto', forbidden)).toBeNull();
      expect(document.components.schemas.DriftCheckDto.properties.retrain.description).toMatch(/not_requested/);
    });

    it('types path ids as uuid, compare lists as arrays, readiness 503 as problem+json; no JWT bearer format', () => {
      const operations = Object.entries(document.paths).flatMap(([path, item]: [string, any]) =>
        Object.entries(item).map(([method, operation]: [string, any]) => ({ path, method, operation })),
      );
      const idParameters = operations.flatMap(({ operation }) =>
        (operation.parameters ?? []).filter((p: any) => p.in === 'path' && /Id$/.test(p.name)),
      );
      expect(idParameters.length).toBeGreaterThan(20);
      for (const parameter of idParameters) expect(parameter.schema).toMatchObject({ type: 'string', format: 'uuid' });
      const compare = document.paths['/api/v1/metrics/compare'].get.parameters;
      for (const name of ['modelIds', 'modelVersions']) {
        expect(compare.find((p: any) => p.name === name)).toMatchObject({
          style: 'form',
          explode: false,
          schema: { type: 'array', minItems: 1 },
        });
      }
      expect(Object.keys(document.paths['/health/ready'].get.responses['503'].content)).toEqual(['application/problem+json']);
      expect(document.components.securitySchemes.bearer.bearerFormat).toBeUndefined();
    });

    it('documents 400, 413 and 415 on every operation with a body', () => {
      const missing: string[] = [];
      for (const [path, item] of Object.entries<any>(document.paths)) {
        for (const [method, operation] of Object.entries<any>(item)) {
          if (!operation.requestBody) continue;
          for (const status of ['400', '413', '415']) if (!operation.responses[status]) missing.push(`${method} ${path} ${status}`);
        }
      }
      expect(missing).toEqual([]);
    });
  });

  describe('12. oversized request line', () => {
    it('answers a request line over 16 KiB with 431 problem+json', async () => {
      const response = await testApp.http().get(api(`/models?namePrefix=${'a'.repeat(17 * 1024)}`));
      expect(response.status).toBe(431);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(response.text)).toMatchObject({ status: 431, code: 'REQUEST_HEADER_FIELDS_TOO_LARGE' });
    });
  });
});
