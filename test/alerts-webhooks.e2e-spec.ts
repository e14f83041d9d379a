import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { WebhookOutboxRepository } from 'src/alerts/webhook-outbox.repository';
import { WebhookOutboxService } from 'src/alerts/webhook-outbox.service';
import { createChannel, raiseAlert, startReceiver, type WebhookReceiver } from 'test/support/alerts-factories';
import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';
import { createTestDatabase } from 'test/support/test-database';

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('alerts: webhook notifications (e2e)', () => {
  let testApp: TestApp;
  const receivers: WebhookReceiver[] = [];
  const receiver = async (respond?: Parameters<typeof startReceiver>[0]) => {
    const started = await startReceiver(respond);
    receivers.push(started);
    return started;
  };
  const deliverDue = () => testApp.get(WebhookDeliveryWorker).deliverDue();
  const notificationsOf = async (alertId: string) => (await testApp.http().get(`/api/v1/alerts/${alertId}`).expect(200)).body.notifications;

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await Promise.all(receivers.map((started) => started.close()));
    await testApp.close();
  });

  it('delivers a signed firing notification that receivers can verify and dedupe', async () => {
    const hooks = await receiver();
    const secret = 'whsec-0123456789';
    const model = await createModel(testApp);
    const channel = await createChannel(testApp, hooks.url, { secret, modelId: model.id });
    const alert = await raiseAlert(testApp, model.id, { severity: 'critical', value: 0.31 });

    const [queued] = await notificationsOf(alert.id);
    expect(queued).toMatchObject({ channelId: channel.id, event: 'firing', status: 'pending', attempts: 0 });
    expect(await deliverDue()).toEqual({ claimed: 1, delivered: 1, retried: 0, failed: 0 });

    expect(hooks.received).toHaveLength(1);
    const [request] = hooks.received;
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-modelwatch-signature']).toBe(sign(secret, request.body));
    expect(request.headers['x-modelwatch-delivery']).toBe(queued.id);
    expect(request.headers['x-modelwatch-event']).toBe('firing');
    expect(request.json).toEqual({
      version: '1',
      event: 'firing',
      alert: expect.objectContaining({ id: alert.id, status: 'firing', severity: 'critical', value: 0.31, modelId: model.id }),
      model: { id: model.id, name: model.name },
      sentAt: expect.stringMatching(/Z$/),
    });

    const [delivered] = await notificationsOf(alert.id);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, nextAttemptAt: null });
    expect(delivered.attemptLog).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200, error: null })]);
    expect(await deliverDue()).toEqual({ claimed: 0, delivered: 0, retried: 0, failed: 0 });
  });

  it('notifies on escalation, repeats a still-firing alert only after the repeat interval, and on resolve', async () => {
    const hooks = await receiver();
    const quiet = await receiver();
    const model = await createModel(testApp);
    await createChannel(testApp, hooks.url, { modelId: model.id, repeatIntervalMinutes: 60 });
    await createChannel(testApp, quiet.url, { modelId: model.id, sendResolved: false, minSeverity: 'critical' });
    const labels = { feature: 'age' };
    const alert = await raiseAlert(testApp, model.id, { severity: 'warning', labels });
    await raiseAlert(testApp, model.id, { severity: 'warning', labels }); // within the repeat interval: nothing
    testApp.clock.advanceMinutes(10);
    await raiseAlert(testApp, model.id, { severity: 'critical', labels }); // escalated: both channels now match
    testApp.clock.advanceMinutes(30);
    await raiseAlert(testApp, model.id, { severity: 'critical', labels }); // 40 min after the first notice: nothing
    testApp.clock.advanceMinutes(21);
    await raiseAlert(testApp, model.id, { severity: 'critical', labels }); // 61 min after 'firing', 51 after 'escalated': nothing yet
    testApp.clock.advanceMinutes(10);
    await raiseAlert(testApp, model.id, { severity: 'critical', labels }); // 61 min after 'escalated': a repeat
    await testApp.http().post(`/api/v1/alerts/${alert.id}/resolve`).send({ by: 'dana' }).expect(200);
    await deliverDue();

    expect(hooks.received.map((request) => request.json.event)).toEqual(['firing', 'escalated', 'firing', 'resolved']);
    expect(hooks.received[1].json.alert.severity).toBe('critical');
    expect(hooks.received[3].json.alert).toMatchObject({ status: 'resolved', resolvedBy: 'dana', occurrences: 6 });
    // its own repeat interval is the default 240 min, and it does not take resolve notifications
    expect(quiet.received.map((request) => request.json.event)).toEqual(['escalated']);
  });

  it('sends nothing for channels of other models, below their severity, or disabled', async () => {
    const hooks = await receiver();
    const model = await createModel(testApp);
    const other = await createModel(testApp);
    await createChannel(testApp, hooks.url, { modelId: other.id });
    await createChannel(testApp, hooks.url, { modelId: model.id, minSeverity: 'critical' });
    await createChannel(testApp, hooks.url, { modelId: model.id, enabled: false });
    const alert = await raiseAlert(testApp, model.id, { severity: 'warning' });
    expect(await notificationsOf(alert.id)).toEqual([]);
  });

  it('retries a receiver that answers 500 three times, then records exactly one successful delivery', async () => {
    const hooks = await receiver((index) => (index < 3 ? 500 : 200));
    const model = await createModel(testApp);
    await createChannel(testApp, hooks.url, { modelId: model.id, secret: 'retry-secret-1' });
    const alert = await raiseAlert(testApp, model.id);

    expect(await deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
    expect(await deliverDue()).toMatchObject({ claimed: 0 }); // not due before its backoff
    const [waiting] = await notificationsOf(alert.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500: receiver says 500' });
    // first retry after 1 s ± 20 %
    const delay = new Date(waiting.nextAttemptAt).getTime() - testApp.clock.now().getTime();
    expect(delay).toBeGreaterThan(700);
    expect(delay).toBeLessThanOrEqual(1200);

    for (let round = 0; round < 3; round++) {
      testApp.clock.advanceMinutes(10);
      await deliverDue();
    }
    expect(hooks.received.map((request) => request.status)).toEqual([500, 500, 500, 200]);
    expect(hooks.delivered()).toHaveLength(1);
    expect(new Set(hooks.received.map((request) => request.headers['x-modelwatch-delivery'])).size).toBe(1);
    const [delivered] = await notificationsOf(alert.id);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 4, lastStatusCode: 200 });
    expect(delivered.attemptLog.map((attempt: { attempt: number; statusCode: number }) => [attempt.attempt, attempt.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 200],
    ]);
  });

  it('fails at once on a 4xx, and after 12 attempts when the receiver is unreachable', async () => {
    const refusing = await receiver(() => 410);
    const gone = await startReceiver();
    await gone.close(); // nothing listens on this port any more
    const model = await createModel(testApp);
    await createChannel(testApp, refusing.url, { modelId: model.id });
    await createChannel(testApp, gone.url, { modelId: model.id });
    const alert = await raiseAlert(testApp, model.id);

    for (let round = 0; round < 12; round++) {
      await deliverDue();
      testApp.clock.advanceMinutes(10);
    }
    expect(refusing.received).toHaveLength(1);
    const notifications = await notificationsOf(alert.id);
    const byUrl = (channelUrl: string) =>
      notifications.find((notification: { lastStatusCode: number | null }) =>
        channelUrl === refusing.url ? notification.lastStatusCode === 410 : notification.lastStatusCode === null,
      );
    expect(byUrl(refusing.url)).toMatchObject({ status: 'failed', attempts: 1 });
    const unreachable = byUrl(gone.url);
    expect(unreachable).toMatchObject({ status: 'failed', attempts: 12, lastStatusCode: null });
    expect(unreachable.lastError).toMatch(/ECONNREFUSED/);
    expect(unreachable.attemptLog).toHaveLength(12);
    expect(await deliverDue()).toMatchObject({ claimed: 0 });
  });

  it('queues generic signed webhooks for other modules through the same outbox', async () => {
    const hooks = await receiver();
    const model = await createModel(testApp);
    const id = await testApp.get(WebhookOutboxService).enqueue({
      url: hooks.url,
      secret: 'pipeline-secret-1',
      event: 'retrain.requested',
      payload: { runId: 'r-1', reason: 'drift' },
      modelId: model.id,
    });
    expect(await deliverDue()).toMatchObject({ delivered: 1 });
    const [request] = hooks.received;
    expect(request.headers['x-modelwatch-delivery']).toBe(id);
    expect(request.headers['x-modelwatch-event']).toBe('retrain.requested');
    expect(request.headers['x-modelwatch-signature']).toBe(sign('pipeline-secret-1', request.body));
    expect(request.json).toEqual({ runId: 'r-1', reason: 'drift', sentAt: expect.any(String) });

    await expect(
      testApp.get(WebhookOutboxService).enqueue({ url: 'file:///etc/passwd', secret: null, event: 'x', payload: {} }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'deliveries[0].url', message: 'must be an http(s) URL' }],
    });
  });

  it('removes finished notifications after the retention period and keeps pending ones', async () => {
    const own = await createTestApp(); // a database of its own, so the counts are this test's alone
    try {
      const ok = await receiver();
      const refusing = await receiver(() => 400);
      const flaky = await receiver(() => 503);
      const model = await createModel(own);
      const outbox = own.get(WebhookOutboxService);
      const ids: string[] = [];
      for (const target of [ok, refusing, flaky]) {
        ids.push(await outbox.enqueue({ url: target.url, secret: null, event: 'retrain.requested', payload: {}, modelId: model.id }));
      }
      const worker = own.get(WebhookDeliveryWorker);
      expect(await worker.deliverDue()).toEqual({ claimed: 3, delivered: 1, retried: 1, failed: 1 });
      const remaining = async () => {
        const rows: { id: string }[] = await own.app.get(DataSource).query('SELECT id FROM model_alert_outbox');
        return rows.map((row) => row.id).sort();
      };

      own.clock.advance(29 * 86_400_000);
      expect(await worker.pruneFinished(30)).toBe(0);
      expect(await remaining()).toEqual([...ids].sort());

      own.clock.advance(2 * 86_400_000);
      expect(await worker.pruneFinished(0)).toBe(0); // 0 keeps everything
      expect(await worker.pruneFinished(30)).toBe(2);
      expect(await remaining()).toEqual([ids[2]]); // the pending retry stays
    } finally {
      await own.close();
    }
  });

  it('signs with the channel secret current at delivery time and skips channels disabled meanwhile', async () => {
    const hooks = await receiver();
    const model = await createModel(testApp);
    const rotated = await createChannel(testApp, hooks.url, { modelId: model.id, secret: 'old-secret-123' });
    const disabled = await createChannel(testApp, hooks.url, { modelId: model.id });
    const alert = await raiseAlert(testApp, model.id);
    await testApp.http().patch(`/api/v1/alert-channels/${rotated.id}`).send({ secret: 'new-secret-456' }).expect(200);
    await testApp.http().patch(`/api/v1/alert-channels/${disabled.id}`).send({ enabled: false }).expect(200);
    await deliverDue();
    expect(hooks.received).toHaveLength(1);
    expect(hooks.received[0].headers['x-modelwatch-signature']).toBe(sign('new-secret-456', hooks.received[0].body));
    const notifications = await notificationsOf(alert.id);
    expect(notifications.find((notification: { channelId: string }) => notification.channelId === disabled.id)).toMatchObject({
      status: 'failed',
      lastError: 'the channel is disabled',
    });
  });

  it('tests a channel with a signed test event and returns what the receiver answered', async () => {
    const hooks = await receiver((index) => (index === 0 ? 204 : 503));
    const channel = await createChannel(testApp, hooks.url, { secret: 'test-secret-99' });
    const ok = await testApp.http().post(`/api/v1/alert-channels/${channel.id}/test`).expect(200);
    expect(ok.body).toEqual({ delivered: true, statusCode: 204, error: null, durationMs: expect.any(Number) });
    expect(hooks.received[0].json).toMatchObject({ version: '1', event: 'test', channel: { id: channel.id, name: channel.name } });
    expect(hooks.received[0].headers['x-modelwatch-signature']).toBe(sign('test-secret-99', hooks.received[0].body));
    const failing = await testApp.http().post(`/api/v1/alert-channels/${channel.id}/test`).expect(200);
    expect(failing.body).toMatchObject({ delivered: false, statusCode: 503, error: 'HTTP 503: receiver says 503' });
  });
});

describe('alerts: webhook delivery across instances and restarts (e2e)', () => {
  it('loses nothing when an instance dies after claiming or before delivering, and never delivers a row twice', async () => {
    const database = await createTestDatabase();
    const hooks = await startReceiver();
    try {
      const first = await createTestApp({ database });
      const model = await createModel(first);
      await createChannel(first, hooks.url, { modelId: model.id, secret: 'restart-secret-1' });
      const claimed = await raiseAlert(first, model.id);
      // the first instance claims that notification and dies before sending it
      const [lost] = await first
        .get(WebhookOutboxRepository)
        .claimDue(first.clock.now(), new Date(first.clock.now().getTime() + 60_000), 10);
      expect(lost.delivery.alertId).toBe(claimed.id);
      const unsent = await raiseAlert(first, model.id); // queued, never picked up before the shutdown
      await first.close();

      const second = await createTestApp({ database });
      const third = await createTestApp({ database });
      try {
        const summaries = await Promise.all([
          second.get(WebhookDeliveryWorker).deliverDue(),
          third.get(WebhookDeliveryWorker).deliverDue(),
        ]);
        expect(summaries.reduce((sum, summary) => sum + summary.delivered, 0)).toBe(1); // the claimed row waits for its claim to expire
        second.clock.advance(61_000);
        await second.get(WebhookDeliveryWorker).deliverDue();

        const deliveries = hooks.received.map((request) => request.json.alert.id);
        expect(deliveries.sort()).toEqual([claimed.id, unsent.id].sort());
        expect(
          hooks.received.every((request) => request.headers['x-modelwatch-signature'] === sign('restart-secret-1', request.body)),
        ).toBe(true);
        const detail = await second.http().get(`/api/v1/alerts/${claimed.id}`).expect(200);
        expect(detail.body.notifications[0]).toMatchObject({ status: 'delivered', attempts: 2 });
        expect(detail.body.notifications[0].id).toBe(lost.delivery.id);
      } finally {
        await third.close();
        await second.close();
      }
    } finally {
      await hooks.close();
      await database.drop();
    }
  });
});

describe('alert channels: CRUD, admin scope, validation (e2e)', () => {
  const admin = { name: 'ops', scope: 'admin' as const, secret: 'admin-key-0123456789' };
  const writer = { name: 'ci', scope: 'write' as const, secret: 'write-key-0123456789' };
  const asAdmin = { authorization: `Bearer ${admin.secret}` };
  const asWriter = { authorization: `Bearer ${writer.secret}` };
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ apiKeys: [admin, writer] });
  });
  afterAll(() => testApp.close());

  it('creates, reads, updates and deletes a channel without ever returning its secret', async () => {
    const model = await createModel(testApp, {}, asWriter);
    const created = await createChannel(
      testApp,
      'https://hooks.example.com/a',
      { secret: 'super-secret-1', modelId: model.id, minSeverity: 'warning' },
      asAdmin,
    );
    expect(created).toMatchObject({
      url: 'https://hooks.example.com/a',
      hasSecret: true,
      minSeverity: 'warning',
      modelId: model.id,
      sendResolved: true,
      enabled: true,
      repeatIntervalMinutes: 240,
    });
    expect(JSON.stringify(created)).not.toContain('super-secret-1');
    expect(created.secret).toBeNull();
    const fetched = await testApp.http().get(`/api/v1/alert-channels/${created.id}`).set(asAdmin).expect(200);
    const { secret: _shownOnce, ...stored } = created;
    expect(fetched.body).toEqual(stored);
    expect(fetched.body).not.toHaveProperty('secret');

    const cleared = await testApp
      .http()
      .patch(`/api/v1/alert-channels/${created.id}`)
      .set(asAdmin)
      .send({ secret: null, modelId: null, sendResolved: false })
      .expect(200);
    // secret: null replaces the secret by a generated one, shown in this response only
    expect(cleared.body).toMatchObject({ hasSecret: true, modelId: null, sendResolved: false, url: 'https://hooks.example.com/a' });
    expect(cleared.body.secret).toMatch(/^whsec_/);
    const again = await testApp.http().get(`/api/v1/alert-channels/${created.id}`).set(asAdmin).expect(200);
    expect(again.body).not.toHaveProperty('secret');
    const list = await testApp.http().get('/api/v1/alert-channels').set(asAdmin).query({ limit: 500 }).expect(200);
    expect(list.body.items.map((channel: { id: string }) => channel.id)).toContain(created.id);

    await testApp.http().delete(`/api/v1/alert-channels/${created.id}`).set(asAdmin).expect(204);
    expectProblem(await testApp.http().get(`/api/v1/alert-channels/${created.id}`).set(asAdmin), 404, 'ALERT_CHANNEL_NOT_FOUND');
    expectProblem(await testApp.http().delete(`/api/v1/alert-channels/${created.id}`).set(asAdmin), 404, 'ALERT_CHANNEL_NOT_FOUND');
  });

  it('needs the admin scope for every channel and rule operation, reads included', async () => {
    for (const [method, path] of [
      ['get', '/api/v1/alert-channels'],
      ['get', '/api/v1/alert-rules'],
      ['post', '/api/v1/alert-channels'],
      ['post', '/api/v1/alert-rules'],
      ['get', '/api/v1/alert-rules/00000000-0000-4000-8000-000000000000'],
    ] as const) {
      expectProblem(await testApp.http()[method](path).set(asWriter).send({}), 403, 'FORBIDDEN');
    }
    await testApp.http().get('/api/v1/alerts/active').set(asWriter).expect(200);
    expectProblem(await testApp.http().get('/api/v1/alerts/active'), 401, 'UNAUTHORIZED');
  });

  it('rejects bad channels with 4xx problem+json and writes nothing', async () => {
    const name = uniqueName('bad-channel');
    const cases: [Record<string, unknown>, string][] = [
      [{ name, url: 'ftp://hooks.example.com/x' }, 'url'],
      [{ name, url: 'javascript:alert(1)' }, 'url'],
      [{ name, url: 'hooks.example.com/x' }, 'url'],
      [{ name, url: 'https://ok.example.com', minSeverity: 'fatal' }, 'minSeverity'],
      [{ name, url: 'https://ok.example.com', repeatIntervalMinutes: 0 }, 'repeatIntervalMinutes'],
      [{ name, url: 'https://ok.example.com', secret: 'short' }, 'secret'],
      [{ name, url: 'https://ok.example.com', enabled: null }, 'enabled'],
      [{ name, url: 'https://ok.example.com', hasSecret: true }, 'hasSecret'],
    ];
    for (const [body, field] of cases) {
      const problem = expectProblem(await testApp.http().post('/api/v1/alert-channels').set(asAdmin).send(body), 400, 'VALIDATION_FAILED');
      expect({ field, fields: problem.errors!.map((error) => error.field) }).toEqual({ field, fields: expect.arrayContaining([field]) });
    }
    expectProblem(
      await testApp
        .http()
        .post('/api/v1/alert-channels')
        .set(asAdmin)
        .send({ name, url: 'https://ok.example.com', modelId: '00000000-0000-4000-8000-000000000000' }),
      404,
      'MODEL_NOT_FOUND',
    );
    const list = await testApp.http().get('/api/v1/alert-channels').set(asAdmin).query({ limit: 500 }).expect(200);
    expect(list.body.items.map((channel: { name: string }) => channel.name)).not.toContain(name);

    const existing = await createChannel(testApp, 'http://127.0.0.1:9/x', {}, asAdmin);
    expectProblem(
      await testApp.http().post('/api/v1/alert-channels').set(asAdmin).send({ name: existing.name, url: 'https://ok.example.com' }),
      409,
      'ALERT_CHANNEL_NAME_TAKEN',
    );
    expectProblem(
      await testApp.http().patch(`/api/v1/alert-channels/${existing.id}`).set(asAdmin).send({ name: null }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await testApp.http().patch(`/api/v1/alert-channels/${existing.id}`).set(asAdmin).send({ url: 'mailto:a@b.c' }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
