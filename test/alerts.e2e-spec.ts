import { DataSource } from 'typeorm';
import { raiseAlert } from 'test/support/alerts-factories';
import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('alerts: raise, dedup, lifecycle and reads (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('raises a firing alert and folds a second raise of the same fingerprint into it', async () => {
    const model = await createModel(testApp);
    const first = await raiseAlert(testApp, model.id, {
      severity: 'warning',
      labels: { feature: 'age', env: 'prod' },
      value: 0.2,
      details: { psi: 0.2 },
    });
    expect(first).toMatchObject({
      modelId: model.id,
      type: 'data_drift',
      status: 'firing',
      severity: 'warning',
      occurrences: 1,
      value: 0.2,
      source: 'api',
    });
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);

    testApp.clock.advanceMinutes(5);
    const second = await raiseAlert(testApp, model.id, {
      severity: 'critical',
      labels: { env: 'prod', feature: 'age' },
      value: 0.4,
      details: { ks: 0.3 },
    });
    expect(second).toMatchObject({ id: first.id, occurrences: 2, severity: 'critical', value: 0.4, details: { psi: 0.2, ks: 0.3 } });
    expect(new Date(second.lastSeenAt).getTime() - new Date(first.lastSeenAt).getTime()).toBeGreaterThanOrEqual(5 * 60_000);

    const lower = await raiseAlert(testApp, model.id, { severity: 'info', labels: { env: 'prod', feature: 'age' } });
    expect(lower).toMatchObject({ id: first.id, occurrences: 3, severity: 'critical', value: 0.4 });

    const otherLabels = await raiseAlert(testApp, model.id, { labels: { env: 'prod', feature: 'income' } });
    expect(otherLabels.id).not.toBe(first.id);
  });

  it('opens a new alert for the same fingerprint once the old one is resolved', async () => {
    const model = await createModel(testApp);
    const labels = { feature: 'age' };
    const first = await raiseAlert(testApp, model.id, { labels });
    await testApp.http().post(`/api/v1/alerts/${first.id}/resolve`).send({ by: 'alice', note: 'retrained' }).expect(200);
    const again = await raiseAlert(testApp, model.id, { labels });
    expect(again.id).not.toBe(first.id);
    expect(again).toMatchObject({ status: 'firing', occurrences: 1, fingerprint: first.fingerprint });
  });

  it('deduplicates 50 concurrent raises into one alert with 50 occurrences', async () => {
    const model = await createModel(testApp);
    const labels = { feature: uniqueName('f') };
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        testApp
          .http()
          .post('/api/v1/alerts')
          .send({ modelId: model.id, type: 'custom', severity: 'info', title: 't', labels, value: index }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    const list = await testApp.http().get('/api/v1/alerts').query({ modelId: model.id }).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].occurrences).toBe(50);
  });

  it('deduplicates concurrent raises from other modules inside their own transactions without aborting them', async () => {
    const { AlertsService } = await import('src/alerts/alerts.service');
    const { TransactionRunner } = await import('src/database/transaction');
    const alerts = testApp.get(AlertsService);
    const transactions = testApp.get(TransactionRunner);
    const model = await createModel(testApp);
    const input = {
      modelId: model.id,
      type: 'retrain_failed' as any,
      severity: 'critical' as any,
      title: 'Retrain failed',
      labels: { run: 'r1' },
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        transactions.run(async (transaction) => {
          const alert = await alerts.raise({ ...input, source: 'drift' }, transaction);
          // the caller's transaction is still usable after the raise
          const [{ one }] = await transaction.manager.query('SELECT 1 AS one');
          return { alert, one };
        }),
      ),
    );
    expect(results.every((result) => result.one === 1)).toBe(true);
    expect(new Set(results.map((result) => result.alert.id)).size).toBe(1);
    const detail = await testApp.http().get(`/api/v1/alerts/${results[0].alert.id}`).expect(200);
    expect(detail.body).toMatchObject({ occurrences: 20, source: 'drift', status: 'firing' });
  });

  it('resolves an open alert by model, type and labels for other modules', async () => {
    const { AlertsService } = await import('src/alerts/alerts.service');
    const alerts = testApp.get(AlertsService);
    const model = await createModel(testApp);
    const raised = await alerts.raise({
      modelId: model.id,
      type: 'data_drift' as any,
      severity: 'warning' as any,
      title: 'drift',
      labels: { feature: 'x' },
    });
    expect(await alerts.resolveOpen({ modelId: model.id, type: 'data_drift' as any, labels: { feature: 'y' } }, 'drift')).toBe(0);
    expect(
      await alerts.resolveOpen({ modelId: model.id, type: 'data_drift' as any, labels: { feature: 'x' } }, 'drift', 'no drift any more'),
    ).toBe(1);
    const detail = await testApp.http().get(`/api/v1/alerts/${raised.id}`).expect(200);
    expect(detail.body).toMatchObject({ status: 'resolved', resolvedBy: 'drift', resolutionNote: 'no drift any more' });
    expect(await alerts.resolveOpen({ modelId: model.id, type: 'data_drift' as any, labels: { feature: 'x' } }, 'drift')).toBe(0);
  });

  it('acknowledges and resolves by hand, and refuses other transitions with 409', async () => {
    const model = await createModel(testApp);
    const alert = await raiseAlert(testApp, model.id);
    const acknowledged = await testApp
      .http()
      .post(`/api/v1/alerts/${alert.id}/acknowledge`)
      .send({ by: 'bob', note: 'looking' })
      .expect(200);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'bob', acknowledgementNote: 'looking' });
    expect(acknowledged.body.acknowledgedAt).toMatch(/Z$/);

    const again = expectProblem(
      await testApp.http().post(`/api/v1/alerts/${alert.id}/acknowledge`).send({ by: 'bob' }),
      409,
      'ALERT_INVALID_TRANSITION',
    );
    expect(again.status).toBe(409);

    const raisedWhileAcknowledged = await raiseAlert(testApp, model.id, { labels: alert.labels });
    expect(raisedWhileAcknowledged).toMatchObject({ id: alert.id, status: 'acknowledged', occurrences: 2 });

    const resolved = await testApp
      .http()
      .post(`/api/v1/alerts/${alert.id}/resolve`)
      .send({ by: 'bob', note: 'fixed upstream' })
      .expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: 'bob', resolutionNote: 'fixed upstream' });

    expectProblem(await testApp.http().post(`/api/v1/alerts/${alert.id}/acknowledge`).send({ by: 'bob' }), 409, 'ALERT_INVALID_TRANSITION');
    expectProblem(await testApp.http().post(`/api/v1/alerts/${alert.id}/resolve`).send({ by: 'bob' }), 409, 'ALERT_INVALID_TRANSITION');
    const after = await testApp.http().get(`/api/v1/alerts/${alert.id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'resolved', resolvedBy: 'bob', acknowledgedBy: 'bob' });
  });

  it('lists active alerts from the view with their model name, newest first, with filters and pages', async () => {
    const model = await createModel(testApp);
    const other = await createModel(testApp);
    testApp.clock.set('2030-01-01T00:00:00Z');
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      testApp.clock.advanceMinutes(1);
      ids.push(
        (
          await raiseAlert(testApp, model.id, {
            severity: index === 0 ? 'critical' : 'warning',
            type: index === 3 ? 'custom' : 'data_drift',
          })
        ).id,
      );
    }
    await raiseAlert(testApp, other.id);
    await testApp.http().post(`/api/v1/alerts/${ids[1]}/acknowledge`).send({ by: 'carol' }).expect(200);
    await testApp.http().post(`/api/v1/alerts/${ids[2]}/resolve`).send({ by: 'carol' }).expect(200);

    const active = await testApp.http().get('/api/v1/alerts/active').query({ modelId: model.id }).expect(200);
    expect(active.body.items.map((alert: { id: string }) => alert.id)).toEqual([ids[3], ids[1], ids[0]]);
    expect(active.body.items[0]).toMatchObject({ modelName: model.name, status: 'firing' });
    expect(active.body.items[1].status).toBe('acknowledged');

    const critical = await testApp.http().get('/api/v1/alerts/active').query({ modelId: model.id, severity: 'critical' }).expect(200);
    expect(critical.body.items.map((alert: { id: string }) => alert.id)).toEqual([ids[0]]);
    const custom = await testApp.http().get('/api/v1/alerts/active').query({ modelId: model.id, type: 'custom' }).expect(200);
    expect(custom.body.items.map((alert: { id: string }) => alert.id)).toEqual([ids[3]]);

    const firstPage = await testApp.http().get('/api/v1/alerts/active').query({ modelId: model.id, limit: 2 }).expect(200);
    expect(firstPage.body.items).toHaveLength(2);
    const secondPage = await testApp
      .http()
      .get('/api/v1/alerts/active')
      .query({ modelId: model.id, limit: 2, cursor: firstPage.body.nextCursor })
      .expect(200);
    expect(secondPage.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });

    const all = await testApp.http().get('/api/v1/alerts').query({ modelId: model.id }).expect(200);
    expect(all.body.items.map((alert: { id: string }) => alert.id)).toEqual([...ids].reverse());
    const resolved = await testApp.http().get('/api/v1/alerts').query({ modelId: model.id, status: 'resolved' }).expect(200);
    expect(resolved.body.items.map((alert: { id: string }) => alert.id)).toEqual([ids[2]]);
    const window = await testApp
      .http()
      .get('/api/v1/alerts')
      .query({ modelId: model.id, from: '2030-01-01T00:02:00Z', to: '2030-01-01T00:04:00Z' })
      .expect(200);
    expect(window.body.items.map((alert: { id: string }) => alert.id)).toEqual([ids[2], ids[1]]);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await testApp
        .http()
        .get('/api/v1/alerts')
        .query({ modelId: model.id, limit: 3, ...(cursor ? { cursor } : {}) })
        .expect(200);
      paged.push(...page.body.items.map((alert: { id: string }) => alert.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual([...ids].reverse());
  });

  it('rejects bad input with 4xx problem+json and writes nothing', async () => {
    const model = await createModel(testApp);
    const valid = { modelId: model.id, type: 'custom', severity: 'info', title: 't' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, type: 'earthquake' }, 'type'],
      [{ ...valid, severity: 'fatal' }, 'severity'],
      [{ ...valid, title: '' }, 'title'],
      [{ ...valid, value: 'NaN' }, 'value'],
      [{ ...valid, labels: { a: 1 } }, 'labels'],
      [{ ...valid, details: [1] }, 'details'],
      [{ ...valid, modelId: 'nope' }, 'modelId'],
      [{ ...valid, ruleId: model.id }, 'ruleId'],
    ];
    for (const [body, field] of cases) {
      const problem = expectProblem(await testApp.http().post('/api/v1/alerts').send(body), 400, 'VALIDATION_FAILED');
      expect({ field, fields: problem.errors!.map((error) => error.field) }).toEqual({ field, fields: expect.arrayContaining([field]) });
    }
    expectProblem(
      await testApp
        .http()
        .post('/api/v1/alerts')
        .send({ ...valid, modelId: '00000000-0000-4000-8000-000000000000' }),
      404,
      'MODEL_NOT_FOUND',
    );
    const list = await testApp.http().get('/api/v1/alerts').query({ modelId: model.id }).expect(200);
    expect(list.body.items).toEqual([]);

    expectProblem(await testApp.http().get('/api/v1/alerts/00000000-0000-4000-8000-000000000000'), 404, 'ALERT_NOT_FOUND');
    expectProblem(
      await testApp.http().post('/api/v1/alerts/00000000-0000-4000-8000-000000000000/resolve').send({ by: 'x' }),
      404,
      'ALERT_NOT_FOUND',
    );
    expectProblem(await testApp.http().get('/api/v1/alerts/not-a-uuid'), 400, 'VALIDATION_FAILED');
    expectProblem(
      await testApp.http().post(`/api/v1/alerts/00000000-0000-4000-8000-000000000000/acknowledge`).send({}),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await testApp.http().get('/api/v1/alerts').query({ status: 'open' }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await testApp.http().get('/api/v1/alerts').query({ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await testApp.http().get('/api/v1/alerts').query({ cursor: 'garbage' }), 400, 'INVALID_CURSOR');
    expectProblem(await testApp.http().get('/api/v1/alerts/active').query({ includePending: 'yes' }), 400, 'VALIDATION_FAILED');
  });

  it('goes away with its model on a forced delete', async () => {
    const model = await createModel(testApp);
    const alert = await raiseAlert(testApp, model.id);
    expectProblem(await testApp.http().delete(`/api/v1/models/${model.id}`), 409, 'MODEL_HAS_DATA');
    await testApp.http().delete(`/api/v1/models/${model.id}`).query({ force: 'true' }).expect(204);
    expectProblem(await testApp.http().get(`/api/v1/alerts/${alert.id}`), 404, 'ALERT_NOT_FOUND');
    const [{ count }] = await testApp
      .get(DataSource)
      .query('SELECT count(*)::int AS count FROM v_unresolved_model_alerts WHERE model_id = $1', [model.id]);
    expect(count).toBe(0);
  });
});
