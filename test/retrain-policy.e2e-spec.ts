import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

const ADMIN = { Authorization: 'Bearer admin-secret-0123456789' };
const WRITER = { Authorization: 'Bearer write-secret-0123456789' };
const READER = { Authorization: 'Bearer read-secret-01234567890' };

describe('retrain policies (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({
      apiKeys: [
        { name: 'ops', scope: 'admin', secret: 'admin-secret-0123456789' },
        { name: 'pipeline', scope: 'write', secret: 'write-secret-0123456789' },
        { name: 'dashboard', scope: 'read', secret: 'read-secret-01234567890' },
      ],
    });
  });
  afterAll(() => testApp.close());

  const policyUrl = (modelId: string) => `/api/v1/models/${modelId}/retrain-policy`;

  it('sets a policy with defaults and returns it without the webhook secret', async () => {
    const model = await createModel(testApp, {}, ADMIN);
    expectProblem(await testApp.http().get(policyUrl(model.id)).set(READER), 404, 'RETRAIN_POLICY_NOT_FOUND');
    const put = await testApp
      .http()
      .put(policyUrl(model.id))
      .set(ADMIN)
      .send({ enabled: true, webhookUrl: 'http://127.0.0.1:9/train', webhookSecret: 'pipeline-signing-secret' })
      .expect(200);
    expect(put.body).toEqual({
      modelId: model.id,
      enabled: true,
      onDataDrift: true,
      onPerformanceDegradation: true,
      cooldownMinutes: 1440,
      queuedTimeoutMinutes: 60,
      runningTimeoutMinutes: 1440,
      inhibitDuringRetrain: true,
      referenceGraceMinutes: 60,
      webhookUrl: 'http://127.0.0.1:9/train',
      hasWebhookSecret: true,
      rolloutOnRetrain: null,
      webhookSecret: null,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    const fetched = await testApp.http().get(policyUrl(model.id)).set(READER).expect(200);
    const { webhookSecret: _shownOnce, ...stored } = put.body;
    expect(fetched.body).toEqual(stored);
    expect(JSON.stringify(fetched.body)).not.toContain('pipeline-signing-secret');
  });

  it('replaces the policy, keeping the secret only while the webhook URL stays the same', async () => {
    const model = await createModel(testApp, {}, ADMIN);
    const webhook = { webhookUrl: 'https://ml.example.com/hooks/retrain', webhookSecret: 'pipeline-signing-secret' };
    await testApp
      .http()
      .put(policyUrl(model.id))
      .set(ADMIN)
      .send({ enabled: true, ...webhook })
      .expect(200);
    const kept = await testApp
      .http()
      .put(policyUrl(model.id))
      .set(ADMIN)
      .send({ enabled: false, onPerformanceDegradation: false, cooldownMinutes: 30, webhookUrl: webhook.webhookUrl })
      .expect(200);
    expect(kept.body).toMatchObject({
      enabled: false,
      onDataDrift: true,
      onPerformanceDegradation: false,
      cooldownMinutes: 30,
      hasWebhookSecret: true,
    });
    expect(Date.parse(kept.body.updatedAt)).toBeGreaterThan(Date.parse(kept.body.createdAt));
    const moved = await testApp
      .http()
      .put(policyUrl(model.id))
      .set(ADMIN)
      .send({ enabled: true, webhookUrl: 'https://other.example.com/x' })
      .expect(200);
    // a new URL without a secret gets a generated one, shown in this response only
    expect(moved.body).toMatchObject({ webhookUrl: 'https://other.example.com/x', hasWebhookSecret: true });
    expect(moved.body.webhookSecret).toMatch(/^whsec_/);
    const cleared = await testApp.http().put(policyUrl(model.id)).set(ADMIN).send({ enabled: true }).expect(200);
    expect(cleared.body).toMatchObject({
      webhookUrl: null,
      hasWebhookSecret: false,
      cooldownMinutes: 1440,
      onPerformanceDegradation: true,
    });
  });

  it('needs the admin scope to change a policy', async () => {
    const model = await createModel(testApp, {}, ADMIN);
    expectProblem(await testApp.http().put(policyUrl(model.id)).set(WRITER).send({ enabled: true }), 403, 'FORBIDDEN');
    expectProblem(await testApp.http().put(policyUrl(model.id)).send({ enabled: true }), 401, 'UNAUTHORIZED');
    expectProblem(await testApp.http().get(policyUrl(model.id)).set(READER), 404, 'RETRAIN_POLICY_NOT_FOUND');
  });

  it.each([
    { why: 'a missing enabled flag', body: {}, field: 'enabled' },
    { why: 'a negative cooldown', body: { enabled: true, cooldownMinutes: -1 }, field: 'cooldownMinutes' },
    { why: 'a fractional cooldown', body: { enabled: true, cooldownMinutes: 1.5 }, field: 'cooldownMinutes' },
    { why: 'a webhook URL that is not http(s)', body: { enabled: true, webhookUrl: 'ftp://example.com/x' }, field: 'webhookUrl' },
    { why: 'a short secret', body: { enabled: true, webhookUrl: 'https://example.com/x', webhookSecret: 'short' }, field: 'webhookSecret' },
    { why: 'a string flag', body: { enabled: 'true' }, field: 'enabled' },
  ])('rejects $why', async ({ body, field }) => {
    const model = await createModel(testApp, {}, ADMIN);
    const problem = expectProblem(await testApp.http().put(policyUrl(model.id)).set(ADMIN).send(body), 400, 'VALIDATION_FAILED');
    expect(problem.errors!.map((error) => error.field)).toContain(field);
  });

  it('answers 404 for an unknown model', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectProblem(await testApp.http().put(policyUrl(unknown)).set(ADMIN).send({ enabled: true }), 404, 'MODEL_NOT_FOUND');
    expectProblem(await testApp.http().get(policyUrl(unknown)).set(READER), 404, 'MODEL_NOT_FOUND');
  });
});
