import { DataSource } from 'typeorm';
import { AlertJobs } from 'src/alerts/alert-jobs.service';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { createChannel, raiseAlert, startReceiver, type WebhookReceiver } from 'test/support/alerts-factories';
import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

const ROUTING_KEY = 'R0123456789abcdefABCDEF012345678';

describe('alerts: channel kinds slack, pagerduty, alertmanager (e2e)', () => {
  let testApp: TestApp;
  const receivers: WebhookReceiver[] = [];
  const receiver = async () => {
    const started = await startReceiver();
    receivers.push(started);
    return started;
  };
  const deliverDue = () => testApp.get(WebhookDeliveryWorker).deliverDue();

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await Promise.all(receivers.map((started) => started.close()));
    await testApp.close();
  });

  it.each([
    [{ kind: 'teams', url: 'http://127.0.0.1:1/x' }, 'kind'],
    [{ kind: 'pagerduty', routingKey: 'too-short' }, 'routingKey'],
    [{ kind: 'pagerduty' }, 'routingKey'],
    [{ kind: 'slack', url: 'http://127.0.0.1:1/x', routingKey: ROUTING_KEY }, 'routingKey'],
    [{ kind: 'alertmanager' }, 'url'],
  ])('refuses %j naming %s, and writes nothing', async (body, field) => {
    const name = uniqueName('channel');
    const response = await testApp
      .http()
      .post('/api/v1/alert-channels')
      .send({ name, ...body });
    expectProblem(response, 400);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    const page = await testApp.http().get('/api/v1/alert-channels').query({ limit: 500 }).expect(200);
    expect(page.body.items.map((channel: { name: string }) => channel.name)).not.toContain(name);
  });

  it('PagerDuty: sealed routing key, default enqueue URL, trigger → acknowledge → resolve on the fingerprint, signed', async () => {
    const defaulted = await createChannel(testApp, undefined as never, { kind: 'pagerduty', routingKey: ROUTING_KEY, enabled: false });
    expect(defaulted).toMatchObject({ kind: 'pagerduty', url: 'https://events.pagerduty.com/v2/enqueue', hasRoutingKey: true });
    expect(defaulted).not.toHaveProperty('routingKey');

    const pagerduty = await receiver();
    const plain = await receiver();
    const model = await createModel(testApp);
    const channel = await createChannel(testApp, pagerduty.url, { kind: 'pagerduty', routingKey: ROUTING_KEY, modelId: model.id });
    await createChannel(testApp, plain.url, { modelId: model.id });
    const [{ routing_key: stored }] = await testApp
      .get(DataSource)
      .query('SELECT routing_key FROM model_alert_channels WHERE id = $1', [channel.id]);
    expect(stored).toMatch(/^mwenc:v1:/);
    expect(stored).not.toContain(ROUTING_KEY);

    const alert = await raiseAlert(testApp, model.id, { severity: 'critical' });
    await deliverDue();
    await testApp.http().post(`/api/v1/alerts/${alert.id}/acknowledge`).send({ by: 'dana' }).expect(200);
    await deliverDue();
    await testApp.http().post(`/api/v1/alerts/${alert.id}/resolve`).send({ by: 'dana' }).expect(200);
    await deliverDue();

    expect(pagerduty.received.map((request) => [request.json.event_action, request.json.dedup_key, request.json.routing_key])).toEqual([
      ['trigger', alert.fingerprint, ROUTING_KEY],
      ['acknowledge', alert.fingerprint, ROUTING_KEY],
      ['resolve', alert.fingerprint, ROUTING_KEY],
    ]);
    expect(pagerduty.received[0].json.payload).toMatchObject({ summary: `[${model.name}] Feature drift`, severity: 'critical' });
    expect(pagerduty.received[0].headers['webhook-signature']).toMatch(/^v1,/);
    // the plain webhook channel hears firing and resolved only, as before
    expect(plain.received.map((request) => request.json.event)).toEqual(['firing', 'resolved']);
  });

  it('Slack: a Block Kit message with severity colour, model and value; the channel test sends one too', async () => {
    const slack = await receiver();
    const model = await createModel(testApp);
    const channel = await createChannel(testApp, slack.url, { kind: 'slack', modelId: model.id });
    await raiseAlert(testApp, model.id, { severity: 'warning', value: 0.42, title: 'Drift on age' });
    expect(await deliverDue()).toMatchObject({ delivered: 1 });
    const [message] = slack.received;
    expect(message.json.text).toBe('Firing: Drift on age (warning)');
    expect(message.json.attachments[0].color).toBe('#f79009');
    expect(message.json.attachments[0].blocks[0].text.text).toContain('Drift on age');
    expect(message.json.attachments[0].blocks[1].fields).toEqual(
      expect.arrayContaining([
        { type: 'mrkdwn', text: `*Model*\n${model.name}` },
        { type: 'mrkdwn', text: '*Value*\n0.42' },
      ]),
    );
    expect(message.json).not.toHaveProperty('sentAt');

    const tested = await testApp.http().post(`/api/v1/alert-channels/${channel.id}/test`).expect(200);
    expect(tested.body).toMatchObject({ delivered: true, statusCode: 200 });
    expect(slack.received[1].json.text).toMatch(/^Test: ModelWatch test message for channel/);
  });

  it('Alertmanager: pushes PostableAlerts to /api/v2/alerts and re-sends an open alert after the re-send interval', async () => {
    const alertmanager = await receiver();
    const model = await createModel(testApp);
    const base = alertmanager.url.replace(/\/hooks$/, '');
    await createChannel(testApp, base, { kind: 'alertmanager', modelId: model.id });
    const alert = await raiseAlert(testApp, model.id, { severity: 'info' });
    const jobs = testApp.get(AlertJobs);
    await deliverDue();
    expect(await jobs.resendToAlertmanager()).toBe(0);
    testApp.clock.advanceMinutes(3);
    expect(await jobs.resendToAlertmanager()).toBeGreaterThanOrEqual(1);
    await deliverDue();
    const mine = alertmanager.received.filter((request) => request.json[0]?.labels.modelwatch_alert_id === alert.id);
    expect(mine).toHaveLength(2);
    expect(mine[0].json).toEqual([expect.objectContaining({ labels: expect.objectContaining({ model: model.name, severity: 'info' }) })]);
    expect(mine[0].json[0]).not.toHaveProperty('endsAt');

    await testApp.http().post(`/api/v1/alerts/${alert.id}/resolve`).send({ by: 'dana' }).expect(200);
    await deliverDue();
    const last = alertmanager.received.filter((request) => request.json[0]?.labels.modelwatch_alert_id === alert.id).at(-1)!;
    expect(last.json[0].endsAt).toEqual(expect.any(String));
    testApp.clock.advanceMinutes(3);
    await jobs.resendToAlertmanager();
    await deliverDue();
    expect(alertmanager.received.filter((request) => request.json[0]?.labels.modelwatch_alert_id === alert.id)).toHaveLength(3);
  });
});
