import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { HostResolver, type ResolvedAddress } from 'src/alerts/webhook-address-guard';
import { parseAllowList } from 'src/alerts/webhook-address.policy';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { SecretBox } from 'src/common/secrets/secret-box';
import { resealStoredSecrets } from 'src/common/secrets/secrets.service';
import { StoredSecretsRepository } from 'src/common/secrets/stored-secrets.repository';
import { TransactionRunner } from 'src/database/transaction';
import { createChannel, raiseAlert, startReceiver, type WebhookReceiver } from 'test/support/alerts-factories';
import { putPolicy, triggerRetrain } from 'test/support/drift-factories';
import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, TEST_SECRETS_KEY, type TestApp } from 'test/support/test-app';
import { createTestDatabase } from 'test/support/test-database';

/** A DNS stand-in: answers what the test says now (a rebinding server answers differently at creation and delivery). */
class FakeResolver extends HostResolver {
  answers = new Map<string, ResolvedAddress[]>();
  override async resolve(hostName: string): Promise<ResolvedAddress[]> {
    const answer = this.answers.get(hostName);
    if (!answer) throw Object.assign(new Error(`queryA ENOTFOUND ${hostName}`), { code: 'ENOTFOUND' });
    return answer;
  }
}

/** A TCP listener that only counts connections: proof that a refused delivery never connected. */
async function startListener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const FORBIDDEN_URLS: [string, string][] = [
  ['loopback v4', 'http://127.0.0.1:8080/x'],
  ['loopback v6', 'http://[::1]:8080/x'],
  ['private 10/8', 'http://10.0.0.5/x'],
  ['private 192.168/16', 'https://192.168.1.10/x'],
  ['link-local / cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
  ['link-local v6', 'http://[fe80::1]/x'],
  ['unique-local v6', 'http://[fd12:3456::1]/x'],
  ['multicast', 'http://224.0.0.1/x'],
  ['multicast v6', 'http://[ff02::1]/x'],
  ['unspecified', 'http://0.0.0.0:5432/x'],
  ['unspecified v6', 'http://[::]/x'],
  ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]:5432/x'],
  ['IPv4-mapped metadata', 'http://[::ffff:a9fe:a9fe]/x'],
  ['a name resolving to loopback', 'http://localhost:3000/admin'],
];

describe('security: signed, address-checked webhooks and sealed secrets (e2e)', () => {
  let testApp: TestApp;
  const resolver = new FakeResolver();
  const receivers: WebhookReceiver[] = [];
  const receiver = async (respond?: Parameters<typeof startReceiver>[0]) => {
    const started = await startReceiver(respond);
    receivers.push(started);
    return started;
  };
  const deliverDue = () => testApp.get(WebhookDeliveryWorker).deliverDue();
  const raw = (sql: string, parameters: unknown[] = []) => testApp.get(DataSource).query(sql, parameters);

  /** A second app with nothing allowed (the default in production), on its own database. */
  const strictResolver = new FakeResolver();
  let strict: TestApp | null = null;
  const strictApp = async () => {
    if (!strict) {
      strictResolver.answers.set('localhost', [{ address: '127.0.0.1', family: 4 }]);
      strict = await createTestApp({
        database: testApp.database,
        hostResolver: strictResolver,
        security: { webhookAllowList: parseAllowList('').allowList },
      });
    }
    return strict;
  };
  afterAll(async () => {
    await strict?.close();
  });
  beforeAll(async () => {
    resolver.answers.set('localhost', [{ address: '127.0.0.1', family: 4 }]);
    testApp = await createTestApp({ hostResolver: resolver, security: { webhookAllowList: parseAllowList('127.0.0.1').allowList } });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((started) => started.close()));
    await testApp.close();
  });

  it('signs alert deliveries with Standard Webhooks: a generated whsec_ secret shown once, the same webhook-id on every retry', async () => {
    const hooks = await receiver((index) => (index === 0 ? 500 : 200));
    const model = await createModel(testApp);
    const channel = await createChannel(testApp, hooks.url, { modelId: model.id });
    expect(channel.secret).toMatch(/^whsec_/);
    const alert = await raiseAlert(testApp, model.id, { severity: 'critical' });
    expect(await deliverDue()).toMatchObject({ retried: 1 });
    testApp.clock.advance(60_000);
    expect(await deliverDue()).toMatchObject({ delivered: 1 });

    const [delivery] = (await testApp.http().get(`/api/v1/alerts/${alert.id}`).expect(200)).body.notifications;
    expect(hooks.received).toHaveLength(2);
    const verifier = new Webhook(channel.secret);
    for (const request of hooks.received) {
      expect(request.headers['webhook-id']).toBe(delivery.id);
      expect(verifier.verify(request.body, request.headers as Record<string, string>)).toMatchObject({ event: 'firing' });
      expect(() =>
        new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(request.body, request.headers as Record<string, string>),
      ).toThrow();
    }
    // the legacy header is still sent
    expect(hooks.received[0].headers['x-modelwatch-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('is accepted by the Python stdlib receiver of docs/alerts.md, which refuses a tampered body or a stale timestamp', async () => {
    const hooks = await receiver();
    const model = await createModel(testApp);
    const channel = await createChannel(testApp, hooks.url, { modelId: model.id });
    await raiseAlert(testApp, model.id, { severity: 'critical' });
    expect(await deliverDue()).toMatchObject({ delivered: 1 });
    const [request] = hooks.received;
    const docs = readFileSync(join(__dirname, '..', 'docs', 'alerts.md'), 'utf8');
    const snippet = /```python\n([\s\S]*?)```/.exec(docs)![1];
    const check = (headers: Record<string, unknown>, body: string) =>
      execFileSync(
        'python3',
        ['-c', `${snippet}\nimport json, sys\nd = json.load(sys.stdin)\nprint(verify(d["secret"], d["headers"], d["body"].encode()))`],
        {
          input: JSON.stringify({ secret: channel.secret, headers, body }),
        },
      )
        .toString()
        .trim();
    expect(check(request.headers, request.body)).toBe('True');
    expect(check(request.headers, request.body.replace('critical', 'info'))).toBe('False');
    expect(
      check({ ...request.headers, 'webhook-timestamp': String(Number(request.headers['webhook-timestamp']) - 301) }, request.body),
    ).toBe('False');
  });

  it('signs the retrain pipeline webhook the same way, with a generated secret returned once by the policy PUT', async () => {
    const hooks = await receiver();
    const model = await createModel(testApp);
    const policy = await putPolicy(testApp, model.id, { webhookUrl: hooks.url });
    expect(policy.webhookSecret).toMatch(/^whsec_/);
    const fetched = await testApp.http().get(`/api/v1/models/${model.id}/retrain-policy`).expect(200);
    expect(fetched.body).not.toHaveProperty('webhookSecret');
    await triggerRetrain(testApp, { modelId: model.id, reason: 'manual' }).expect(202);
    expect(await deliverDue()).toMatchObject({ delivered: 1 });
    const [request] = hooks.received;
    expect(new Webhook(policy.webhookSecret).verify(request.body, request.headers as Record<string, string>)).toMatchObject({
      event: 'retrain.triggered',
    });
  });

  it.each(FORBIDDEN_URLS)('refuses a channel URL at creation: %s', async (_kind, url) => {
    const strict = await strictApp();
    const response = await strict
      .http()
      .post('/api/v1/alert-channels')
      .send({ name: uniqueName('channel'), url });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.errors).toEqual([{ field: 'url', message: expect.stringContaining('refused') }]);
  });

  it('refuses forbidden pipeline URLs at policy creation, and a channel change to one', async () => {
    const strict = await strictApp();
    const model = await createModel(strict);
    const response = await strict
      .http()
      .put(`/api/v1/models/${model.id}/retrain-policy`)
      .send({ enabled: true, webhookUrl: 'http://169.254.169.254/latest' });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(['webhookUrl']);
    const channel = await createChannel(strict, 'https://93.184.215.14/hooks');
    const patch = await strict.http().patch(`/api/v1/alert-channels/${channel.id}`).send({ url: 'http://[::ffff:10.0.0.1]/x' });
    expect(patch.body.errors.map((error: { field: string }) => error.field)).toEqual(['url']);
  });

  it('checks again at delivery: a name that rebinds to loopback is refused as blocked_address and never connected to', async () => {
    const strict = await strictApp();
    const listener = await startListener();
    try {
      strictResolver.answers.set('rebind.example', [{ address: '93.184.215.14', family: 4 }]);
      const model = await createModel(strict);
      const channel = await createChannel(strict, `http://rebind.example:${listener.port}/hooks`, { modelId: model.id });
      strictResolver.answers.set('rebind.example', [{ address: '127.0.0.1', family: 4 }]);
      const alert = await raiseAlert(strict, model.id, { severity: 'critical' });
      await strict.get(WebhookDeliveryWorker).deliverDue();
      // other tests' channels without a model filter get this alert too: look at ours
      const notifications: { channelId: string }[] = (await strict.http().get(`/api/v1/alerts/${alert.id}`).expect(200)).body.notifications;
      const delivery: any = notifications.find((notification) => notification.channelId === channel.id);
      expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null });
      expect(delivery.attemptLog[0].error).toMatch(/^blocked_address: 127\.0\.0\.1 is a loopback address/);
      expect(listener.connections()).toBe(0);
    } finally {
      await listener.close();
    }
  });

  it('connects to the address it checked, not to a second DNS answer', async () => {
    const hooks = await receiver();
    const port = new URL(hooks.url).port;
    // only the resolver knows this name; a second lookup through the system resolver would fail
    resolver.answers.set('pinned.example', [{ address: '127.0.0.1', family: 4 }]);
    const model = await createModel(testApp);
    const channel = await createChannel(testApp, `http://pinned.example:${port}/hooks`, { modelId: model.id });
    await raiseAlert(testApp, model.id, { severity: 'critical' });
    expect(await deliverDue()).toMatchObject({ delivered: 1 });
    expect(hooks.received[0].headers.host).toBe(`pinned.example:${port}`);
    expect(new Webhook(channel.secret).verify(hooks.received[0].body, hooks.received[0].headers as Record<string, string>)).toBeTruthy();
  });

  it('does not follow redirects', async () => {
    const target = await receiver();
    const redirecting = await receiver(() => 307);
    const model = await createModel(testApp);
    await createChannel(testApp, redirecting.url, { modelId: model.id });
    await raiseAlert(testApp, model.id, { severity: 'critical' });
    expect(await deliverDue()).toMatchObject({ failed: 1 });
    expect(redirecting.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('stores no secret in plaintext: channels, policies and the outbox hold AES-GCM ciphertext only', async () => {
    const model = await createModel(testApp);
    const chosen = `my-chosen-secret-${randomBytes(4).toString('hex')}`;
    const channel = await createChannel(testApp, 'https://93.184.215.14/hooks', { secret: chosen, modelId: model.id });
    const policy = await putPolicy(testApp, model.id, { webhookUrl: 'https://93.184.215.14/train' });
    await triggerRetrain(testApp, { modelId: model.id, reason: 'manual' }).expect(202);
    await raiseAlert(testApp, model.id, { severity: 'critical' });
    const dump = JSON.stringify([
      await raw(`SELECT * FROM model_alert_channels WHERE id = $1`, [channel.id]),
      await raw(`SELECT * FROM model_retrain_policies WHERE model_id = $1`, [model.id]),
      await raw(`SELECT * FROM model_alert_outbox WHERE model_id = $1`, [model.id]),
    ]);
    expect(dump).not.toContain(chosen);
    expect(dump).not.toContain(policy.webhookSecret);
    expect(dump).not.toContain(policy.webhookSecret.slice('whsec_'.length));
    const secrets: { secret: string }[] = await raw(
      `SELECT secret FROM model_alert_outbox WHERE model_id = $1 AND secret IS NOT NULL
       UNION ALL SELECT secret FROM model_alert_channels WHERE id = $2
       UNION ALL SELECT webhook_secret FROM model_retrain_policies WHERE model_id = $1`,
      [model.id, channel.id],
    );
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const { secret } of secrets) expect(secret).toMatch(/^mwenc:v1:[0-9a-f]{8}:/);
  });
});

describe('security: secrets keys at start and rotation (e2e)', () => {
  it('seals plaintext secrets left from before encryption at start, and signs with them unchanged', async () => {
    const database = await createTestDatabase();
    const hooks = await startReceiver();
    const first = await createTestApp({ database });
    try {
      const model = await createModel(first);
      const channel = await createChannel(first, hooks.url, { modelId: model.id });
      await first.get(DataSource).query(`UPDATE model_alert_channels SET secret = 'legacy-plain-secret' WHERE id = $1`, [channel.id]);
      await first.close();
      const second = await createTestApp({ database });
      try {
        const [{ secret }] = await second.get(DataSource).query(`SELECT secret FROM model_alert_channels WHERE id = $1`, [channel.id]);
        expect(secret).toMatch(/^mwenc:v1:/);
        await raiseAlert(second, model.id, { severity: 'critical' });
        expect(await second.get(WebhookDeliveryWorker).deliverDue()).toMatchObject({ delivered: 1 });
        const [request] = hooks.received;
        expect(
          new Webhook('legacy-plain-secret', { format: 'raw' }).verify(request.body, request.headers as Record<string, string>),
        ).toBeTruthy();
      } finally {
        await second.close();
      }
    } finally {
      await hooks.close();
      await database.drop();
    }
  });

  it('stops at start on a server holding secrets without SECRETS_KEY, with one clear message', async () => {
    const database = await createTestDatabase();
    try {
      const first = await createTestApp({ database });
      await createChannel(first, 'https://93.184.215.14/hooks');
      await first.close();
      await expect(createTestApp({ database, security: { secretsKey: null } })).rejects.toThrow(
        /holds 1 webhook secret\(s\) but SECRETS_KEY is not set/,
      );
    } finally {
      await database.drop();
    }
  });

  it('rotates: values sealed under the previous key are re-sealed under the new one, and still sign', async () => {
    const database = await createTestDatabase();
    const hooks = await startReceiver();
    const newKey = randomBytes(32);
    try {
      const first = await createTestApp({ database });
      const model = await createModel(first);
      const channel = await createChannel(first, hooks.url, { modelId: model.id });
      await first.close();
      const rotated = await createTestApp({ database, security: { secretsKey: newKey, secretsKeyPrevious: TEST_SECRETS_KEY } });
      try {
        const changed = await resealStoredSecrets(
          new SecretBox(newKey, TEST_SECRETS_KEY),
          rotated.get(StoredSecretsRepository),
          rotated.get(TransactionRunner),
          'rotate',
        );
        expect(changed).toBe(1);
        await raiseAlert(rotated, model.id, { severity: 'critical' });
        expect(await rotated.get(WebhookDeliveryWorker).deliverDue()).toMatchObject({ delivered: 1 });
        expect(
          new Webhook(channel.secret).verify(hooks.received[0].body, hooks.received[0].headers as Record<string, string>),
        ).toBeTruthy();
      } finally {
        await rotated.close();
      }
      // the old key alone no longer opens anything
      const stale = await createTestApp({ database, security: { secretsKey: TEST_SECRETS_KEY } });
      try {
        await raiseAlert(stale, model.id, { severity: 'critical', title: 'again', labels: { other: 'x' } });
        expect(await stale.get(WebhookDeliveryWorker).deliverDue()).toMatchObject({ delivered: 0 });
      } finally {
        await stale.close();
      }
    } finally {
      await hooks.close();
      await database.drop();
    }
  });
});
