import type { AddressInfo } from 'node:net';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { createChannel, eventually, raiseAlert } from 'test/support/alerts-factories';
import { startAlertmanager, type AlertmanagerProcess } from 'test/support/alertmanager-process';
import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

/**
 * Both directions against Debian's Alertmanager 0.25, started on loopback with a webhook receiver that points back
 * at this ModelWatch (which listens on a free loopback port). Everything is polled: no fixed sleeps.
 */
describe('integrations: Alertmanager both ways (e2e, real alertmanager)', () => {
  let testApp: TestApp;
  let alertmanager: AlertmanagerProcess;
  const POLL_MS = 90_000;
  const deliverDue = () => testApp.get(WebhookDeliveryWorker).deliverDue();
  const getAlert = async (id: string) => (await testApp.http().get(`/api/v1/alerts/${id}`).expect(200)).body;

  beforeAll(async () => {
    testApp = await createTestApp();
    await testApp.app.listen(0, '127.0.0.1');
    const { port } = testApp.app.getHttpServer().address() as AddressInfo;
    alertmanager = await startAlertmanager(`http://127.0.0.1:${port}/api/v1/integrations/alertmanager`);
  });
  afterAll(async () => {
    await alertmanager?.stop();
    await testApp?.close();
  });

  it('pushes a ModelWatch alert to Alertmanager with its labels, hears it back on the same alert, and resolves it there', async () => {
    const model = await createModel(testApp);
    await createChannel(testApp, alertmanager.url, { kind: 'alertmanager', modelId: model.id });
    const labels = { metric: 'accuracy', environment: 'production', 'feature-set': 'v2' };
    const alert = await raiseAlert(testApp, model.id, { type: 'metric_threshold', severity: 'critical', title: 'accuracy < 0.8', labels });
    expect(await deliverDue()).toMatchObject({ delivered: 1 });

    const pushed = await eventually(
      async () => (await alertmanager.alerts()).find((item) => item.labels.modelwatch_alert_id === alert.id),
      POLL_MS,
    );
    expect(pushed.labels).toEqual({
      alertname: 'metric_threshold',
      model: model.name,
      metric: 'accuracy',
      environment: 'production',
      severity: 'critical',
      feature_set: 'v2',
      modelwatch_alert_id: alert.id,
    });
    expect(pushed.annotations).toMatchObject({ summary: 'accuracy < 0.8' });
    expect(pushed.status.state).toBe('active');

    // Alertmanager's webhook comes back: recorded on the same alert, no twin
    const heard = await eventually(async () => {
      const current = await getAlert(alert.id);
      return current.details.alertmanager?.status === 'firing' ? current : null;
    }, POLL_MS);
    expect(heard.details.alertmanager).toMatchObject({ receiver: 'modelwatch', fingerprint: pushed.fingerprint });
    const twins = await testApp.http().get('/api/v1/alerts').query({ type: 'custom', limit: 500 }).expect(200);
    expect(twins.body.items.filter((item: any) => item.labels.modelwatch_alert_id === alert.id)).toEqual([]);

    await testApp.http().post(`/api/v1/alerts/${alert.id}/resolve`).send({ by: 'dana' }).expect(200);
    expect(await deliverDue()).toMatchObject({ delivered: 1 });
    const resolvedThere = await eventually(async () => {
      const current = await getAlert(alert.id);
      return current.details.alertmanager?.status === 'resolved' ? current : null;
    }, POLL_MS);
    expect(resolvedThere).toMatchObject({ status: 'resolved', resolvedBy: 'dana' });
    const after = (await alertmanager.alerts()).find((item) => item.labels.modelwatch_alert_id === alert.id);
    // Alertmanager lists a resolved alert until it is garbage-collected, with endsAt in the past
    if (after) expect(new Date(after.endsAt).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("records Alertmanager's own alerts by fingerprint, maps the model label, and resolves them by alertmanager", async () => {
    const model = await createModel(testApp);
    const alertname = uniqueName('DiskFull').replace(/[^a-zA-Z0-9_]/g, '_');
    const startsAt = new Date().toISOString();
    await alertmanager.push([
      {
        labels: { alertname, model: model.name, severity: 'critical' },
        annotations: { summary: 'Disk full', description: 'on node-1' },
        startsAt,
      },
      { labels: { alertname, instance: 'node-2', severity: 'warning' }, annotations: { summary: 'Disk filling' }, startsAt },
    ]);
    const recorded = await eventually(async () => {
      const page = await testApp.http().get('/api/v1/alerts').query({ type: 'custom', limit: 500 }).expect(200);
      const mine = page.body.items.filter((item: any) => item.labels.alertname === alertname);
      return mine.length === 2 ? mine : null;
    }, POLL_MS);
    const withModel = recorded.find((item: any) => item.labels.model === model.name);
    const withoutModel = recorded.find((item: any) => item.labels.instance === 'node-2');
    expect(withModel).toMatchObject({
      modelId: model.id,
      severity: 'critical',
      title: 'Disk full',
      message: 'on node-1',
      source: 'alertmanager',
    });
    expect(withModel.fingerprint).toMatch(/^alertmanager:/);
    expect(withoutModel).toMatchObject({ modelId: null, severity: 'warning', status: 'firing' });
    const active = await testApp.http().get('/api/v1/alerts/active').query({ limit: 500 }).expect(200);
    expect(active.body.items.find((item: any) => item.id === withoutModel.id)).toMatchObject({ modelId: null, modelName: null });

    await alertmanager.push([
      {
        labels: { alertname, instance: 'node-2', severity: 'warning' },
        annotations: { summary: 'Disk filling' },
        startsAt,
        endsAt: new Date().toISOString(),
      },
    ]);
    const resolved = await eventually(async () => {
      const current = await getAlert(withoutModel.id);
      return current.status === 'resolved' ? current : null;
    }, POLL_MS);
    expect(resolved).toMatchObject({ resolvedBy: 'alertmanager' });
    expect((await getAlert(withModel.id)).status).toBe('firing');
  });

  it('refuses a payload of another version, naming the field, and writes nothing', async () => {
    const fingerprint = uniqueName('fp');
    const body = {
      version: '3',
      groupKey: '{}:{}',
      status: 'firing',
      receiver: 'x',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'X' },
          annotations: {},
          startsAt: new Date().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          fingerprint,
        },
      ],
    };
    const response = await testApp.http().post('/api/v1/integrations/alertmanager').send(body);
    expectProblem(response, 400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'version' })]);
    const page = await testApp.http().get('/api/v1/alerts').query({ type: 'custom', limit: 500 }).expect(200);
    expect(page.body.items.filter((item: any) => item.fingerprint === `alertmanager:${fingerprint}`)).toEqual([]);
    // the same call with version 4 is recorded, with modelId null and the zero endsAt read as "no end"
    const accepted = await testApp
      .http()
      .post('/api/v1/integrations/alertmanager')
      .send({ ...body, version: '4' })
      .expect(200);
    expect(accepted.body.alerts).toEqual([{ fingerprint, alertId: expect.any(String), action: 'raised' }]);
  });
});
