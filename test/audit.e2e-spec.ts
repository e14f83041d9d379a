import { DataSource } from 'typeorm';
import { createChannel } from 'test/support/alerts-factories';
import { startAbTest } from 'test/support/ab-test-factories';
import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

const admin = { name: 'ops', scope: 'admin' as const, secret: 'admin-secret-0123456789' };
const writer = { name: 'ingest-bot', scope: 'write' as const, secret: 'writer-secret-0123456789' };
const reader = { name: 'viewer', scope: 'read' as const, secret: 'reader-secret-0123456789' };
const asAdmin = { Authorization: `Bearer ${admin.secret}` };
const asWriter = { Authorization: `Bearer ${writer.secret}` };
const asReader = { Authorization: `Bearer ${reader.secret}` };

describe('audit trail (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ apiKeys: [admin, writer, reader] });
  });
  afterAll(() => testApp.close());

  const audit = async (query: Record<string, string | number>) =>
    (await testApp.http().get('/api/v1/audit').set(asAdmin).query(query).expect(200)).body;
  const verify = async () => (await testApp.http().get('/api/v1/audit/verify').set(asAdmin).expect(200)).body;

  it('records who changed a channel, how, with before/after (secret redacted) and the request id', async () => {
    const secret = `chosen-${uniqueName('secret')}`;
    const channel = await createChannel(testApp, 'https://93.184.215.14/hooks', { secret }, { ...asAdmin, 'X-Request-Id': 'req-create-1' });
    await testApp
      .http()
      .patch(`/api/v1/alert-channels/${channel.id}`)
      .set({ ...asAdmin, 'X-Request-Id': 'req-update-1' })
      .send({ minSeverity: 'critical' })
      .expect(200);
    await testApp.http().delete(`/api/v1/alert-channels/${channel.id}`).set(asAdmin).expect(204);

    const page = await audit({ resourceType: 'alert-channel', resourceId: channel.id });
    expect(page.items.map((entry: { operation: string }) => entry.operation)).toEqual([
      'deleteAlertChannel',
      'updateAlertChannel',
      'createAlertChannel',
    ]);
    const [deleted, updated, created] = page.items;
    expect(created).toMatchObject({
      actor: 'ops',
      method: 'POST',
      path: '/api/v1/alert-channels',
      requestId: 'req-create-1',
      before: null,
    });
    expect(created.after).toMatchObject({ id: channel.id, hasSecret: true, minSeverity: 'info' });
    expect(updated).toMatchObject({ requestId: 'req-update-1', before: { minSeverity: 'info' }, after: { minSeverity: 'critical' } });
    expect(deleted).toMatchObject({ before: { id: channel.id }, after: null });
    expect(JSON.stringify(page)).not.toContain(secret);
    expect(deleted.seq).toBeGreaterThan(updated.seq);
    expect(updated.prevHash).toBe((await audit({ limit: 500 })).items.find((entry: { seq: number }) => entry.seq === updated.seq - 1).hash);
  });

  it('records every write with its actor, and no entry for a write that was refused', async () => {
    const model = await createModel(testApp, {}, asWriter);
    const before = (await audit({ limit: 500 })).items.length;
    await testApp
      .http()
      .post('/api/v1/metrics/record')
      .set({ ...asWriter, 'X-Request-Id': 'req-metrics-1' })
      .send({ points: [{ modelId: model.id, metricName: 'accuracy', value: 0.5 }] })
      .expect(201);
    const [entry] = (await audit({ operation: 'recordMetrics', actor: 'ingest-bot' })).items;
    expect(entry).toMatchObject({ requestId: 'req-metrics-1', method: 'POST', resourceType: 'metrics' });

    const name = uniqueName('channel');
    await createChannel(testApp, 'https://93.184.215.14/a', { name }, asAdmin);
    const count = (await audit({ limit: 500 })).items.length;
    expect(count).toBe(before + 2);
    expectProblem(await testApp.http().post('/api/v1/alert-channels').set(asAdmin).send({ name, url: 'https://93.184.215.14/b' }), 409);
    expectProblem(await testApp.http().post('/api/v1/alert-channels').set(asAdmin).send({ name: 'x', url: 'http://127.0.0.2/' }), 400);
    expect((await audit({ limit: 500 })).items.length).toBe(count);
  });

  it('records a write once even when it fans out: the rule evaluation it triggers is not billed to the caller', async () => {
    const model = await createModel(testApp, {}, asWriter);
    await testApp
      .http()
      .post('/api/v1/alert-rules')
      .set(asAdmin)
      .send({
        modelId: model.id,
        metricName: 'accuracy',
        aggregation: 'last',
        windowMinutes: 60,
        comparator: 'lt',
        threshold: 0.8,
        severity: 'critical',
      })
      .expect(201);
    await testApp
      .http()
      .post('/api/v1/metrics/record')
      .set({ ...asWriter, 'X-Request-Id': 'req-fanout-1' })
      .send({ points: [{ modelId: model.id, metricName: 'accuracy', value: 0.1 }] })
      .expect(201);
    const alerts = await testApp.http().get('/api/v1/alerts').set(asReader).query({ modelId: model.id }).expect(200);
    expect(alerts.body.items).toHaveLength(1);
    const entries = (await audit({ limit: 500 })).items.filter((entry: { requestId: string }) => entry.requestId === 'req-fanout-1');
    expect(entries).toHaveLength(1);
  });

  it('keeps concurrent writers in one linear chain', async () => {
    const model = await createModel(testApp, {}, asWriter);
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        testApp
          .http()
          .post('/api/v1/metrics/record')
          .set(asWriter)
          .send({ points: [{ modelId: model.id, metricName: 'latency', value: index }] })
          .expect(201),
      ),
    );
    const seqs = (await audit({ limit: 500 })).items.map((entry: { seq: number }) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs[0] - seqs[seqs.length - 1]).toBe(seqs.length - 1);
    expect(await verify()).toMatchObject({ valid: true, firstBrokenSeq: null, checked: seqs[0] });
  });

  it('pages with a cursor and needs the admin scope', async () => {
    const first = await audit({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await audit({ limit: 2, cursor: first.nextCursor });
    expect(second.items[0].seq).toBe(first.items[1].seq - 1);
    expectProblem(await testApp.http().get('/api/v1/audit').set(asReader), 403, 'FORBIDDEN');
    expectProblem(await testApp.http().get('/api/v1/audit/verify').set(asWriter), 403, 'FORBIDDEN');
    expectProblem(await testApp.http().get('/api/v1/audit').set(asAdmin).query({ cursor: 'forged' }), 400, 'INVALID_CURSOR');
  });

  it('verify reports the first broken link after a row is altered directly in the database', async () => {
    await createModel(testApp, {}, asWriter);
    await createModel(testApp, {}, asWriter);
    expect((await verify()).valid).toBe(true);
    const [{ seq }] = await testApp.get(DataSource).query(`SELECT max(seq) - 1 AS seq FROM model_audit_log`);
    await testApp.get(DataSource).query(`UPDATE model_audit_log SET actor = 'mallory' WHERE seq = $1`, [seq]);
    expect(await verify()).toMatchObject({ valid: false, firstBrokenSeq: Number(seq), reason: 'hash_mismatch' });
  });
});

describe('audit trail in protected mode (e2e)', () => {
  it('names the actor protected-mode when the service runs without keys', async () => {
    const testApp = await createTestApp();
    try {
      const model = await createModel(testApp);
      const page = (await testApp.http().get('/api/v1/audit').query({ operation: 'createModel' }).expect(200)).body;
      expect(page.items[0]).toMatchObject({ actor: 'protected-mode', resourceType: 'models' });
      expect(model.id).toBeDefined();
      const removed = await testApp.http().delete(`/api/v1/models/${model.id}`).expect(204);
      expect(removed.status).toBe(204);
      const [deleted] = (await testApp.http().get('/api/v1/audit').query({ operation: 'deleteModel' }).expect(200)).body.items;
      expect(deleted).toMatchObject({ resourceId: model.id });

      // A/B test settings are recorded; a deterministic assignment (a POST that writes nothing) is not
      const abTest = await startAbTest(testApp);
      await testApp.http().post(`/api/v1/ab-test/${abTest.id}/stop`).send({ winner: 'challenger' }).expect(200);
      await testApp.http().post(`/api/v1/ab-test/${abTest.id}/assign`).send({ unitId: 'user-1' });
      const entries = (await testApp.http().get('/api/v1/audit').query({ resourceId: abTest.id }).expect(200)).body.items;
      expect(entries.map((entry: { operation: string }) => entry.operation)).toEqual(['stopAbTest', 'startAbTest']);
      expect(entries[0]).toMatchObject({ resourceType: 'ab-test', before: { status: 'running' }, after: { status: 'completed' } });
    } finally {
      await testApp.close();
    }
  });
});
