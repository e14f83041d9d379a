import { DataSource } from 'typeorm';
import { AlertSuppressionReview } from 'src/alerts/alert-suppression-review.service';
import { createChannel, eventually, raiseAlert } from 'test/support/alerts-factories';
import { finishRun, putPolicy, putReference } from 'test/support/drift-factories';
import { createModel, expectProblem, uniqueName } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';
import { createTrainingRun } from 'test/support/training-runs-factories';

const RECEIVER = 'http://127.0.0.1:9/hooks';
const hoursFrom = (date: Date, hours: number) => new Date(date.getTime() + hours * 3_600_000).toISOString();

describe('alerts: silences and inhibition (e2e)', () => {
  let testApp: TestApp;
  const http = () => testApp.http();
  const notificationsOf = async (alertId: string) => (await http().get(`/api/v1/alerts/${alertId}`).expect(200)).body.notifications;
  const review = () => testApp.get(AlertSuppressionReview).reviewNextBatch();
  const silence = async (body: Record<string, unknown>) => {
    const response = await http()
      .post('/api/v1/silences')
      .send({ endsAt: hoursFrom(testApp.clock.now(), 2), createdBy: 'dana', comment: 'maintenance', ...body });
    if (response.status !== 201) throw new Error(`silence failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string; state: string; [key: string]: any };
  };
  const modelWithChannel = async () => {
    const model = await createModel(testApp);
    await createChannel(testApp, RECEIVER, { modelId: model.id });
    return model;
  };

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('records and deduplicates a silenced alert without notifying it, and notifies it once the silence is expired', async () => {
    const model = await modelWithChannel();
    const created = await silence({
      matchers: [
        { name: 'model', operator: '=', value: model.name },
        { name: 'type', operator: '=~', value: 'data_.*' },
        { name: 'severity', operator: '!=', value: 'critical' },
      ],
    });
    expect(created).toMatchObject({ state: 'active', createdBy: 'dana', comment: 'maintenance', rrule: null });

    const labels = { feature: 'age' };
    const alert = await raiseAlert(testApp, model.id, { labels });
    expect(alert).toMatchObject({ status: 'firing', silencedBy: [created.id], inhibitedBy: [] });
    const again = await raiseAlert(testApp, model.id, { labels });
    expect(again).toMatchObject({ id: alert.id, occurrences: 2, silencedBy: [created.id] });
    expect(await notificationsOf(alert.id)).toEqual([]);

    // not matched: critical (the != matcher) and another type (the anchored regex)
    const critical = await raiseAlert(testApp, model.id, { severity: 'critical', type: 'custom' });
    expect(critical.silencedBy).toEqual([]);
    expect(await notificationsOf(critical.id)).toHaveLength(1);

    await http().delete(`/api/v1/silences/${created.id}`).expect(204);
    expect(await notificationsOf(alert.id)).toEqual([expect.objectContaining({ event: 'firing' })]);
    expect((await http().get(`/api/v1/alerts/${alert.id}`).expect(200)).body.silencedBy).toEqual([]);
    expect((await http().get(`/api/v1/silences/${created.id}`).expect(200)).body.state).toBe('expired');
    expectProblem(await http().delete(`/api/v1/silences/${created.id}`), 409, 'SILENCE_EXPIRED');
  });

  it('lists silences newest first with their state, filters expired ones and pages with a cursor', async () => {
    const name = uniqueName('listed');
    const now = testApp.clock.now();
    const pending = await silence({ matchers: [{ name: 'model', operator: '=', value: name }], startsAt: hoursFrom(now, 1) });
    const active = await silence({ matchers: [{ name: 'model', operator: '=', value: name }] });
    expect(pending).toMatchObject({ state: 'pending', nextWindowStartsAt: hoursFrom(now, 1) });
    const first = (await http().get('/api/v1/silences').query({ limit: 1, expired: false }).expect(200)).body;
    expect(first.items.map((item: { id: string }) => item.id)).toEqual([active.id]);
    const second = (await http().get('/api/v1/silences').query({ limit: 1, expired: false, cursor: first.nextCursor }).expect(200)).body;
    expect(second.items.map((item: { id: string }) => item.id)).toEqual([pending.id]);
    await http().delete(`/api/v1/silences/${pending.id}`).expect(204);
    const expired = (await http().get('/api/v1/silences').query({ expired: true, limit: 500 }).expect(200)).body.items;
    expect(expired.map((item: { id: string }) => item.id)).toContain(pending.id);
    expectProblem(await http().get(`/api/v1/silences/${crypto.randomUUID()}`), 404, 'SILENCE_NOT_FOUND');
  });

  it('silences only inside the windows of a recurring maintenance rule', async () => {
    const model = await modelWithChannel();
    const now = testApp.clock.now();
    const created = await silence({
      matchers: [{ name: 'model_id', operator: '=', value: model.id }],
      startsAt: hoursFrom(now, -24),
      endsAt: hoursFrom(now, 24 * 7),
      rrule: `FREQ=DAILY;BYHOUR=${now.getUTCHours()};BYMINUTE=0;BYSECOND=0`,
      durationMinutes: 60,
    });
    expect(created.state).toBe('active');
    const alert = await raiseAlert(testApp, model.id, { type: 'custom' });
    expect(alert.silencedBy).toEqual([created.id]);
    testApp.clock.advanceMinutes(60); // past this hour's window
    expect((await http().get(`/api/v1/silences/${created.id}`).expect(200)).body.state).toBe('pending');
    await review();
    expect(await notificationsOf(alert.id)).toEqual([expect.objectContaining({ event: 'firing' })]);
  });

  it('inhibits drift and degradation alerts while the model retrains and notifies them when the run finishes', async () => {
    const model = await modelWithChannel();
    const run = await createTrainingRun(testApp, model.id);
    const drift = await raiseAlert(testApp, model.id, { type: 'data_drift' });
    const degraded = await raiseAlert(testApp, model.id, { type: 'performance_degradation' });
    const other = await raiseAlert(testApp, model.id, { type: 'metric_threshold' });
    for (const alert of [drift, degraded]) {
      expect(alert.inhibitedBy).toEqual([{ reason: 'training_run', trainingRunId: run.id, until: null }]);
      expect(await notificationsOf(alert.id)).toEqual([]);
    }
    expect(other.inhibitedBy).toEqual([]);
    expect(await notificationsOf(other.id)).toHaveLength(1);

    await finishRun(testApp, run.id, 'succeeded');
    for (const alert of [drift, degraded]) {
      await eventually(async () => (await notificationsOf(alert.id)).length === 1);
      expect((await http().get(`/api/v1/alerts/${alert.id}`).expect(200)).body.inhibitedBy).toEqual([]);
    }
  });

  it('inhibits after a reference replacement for referenceGraceMinutes, switchable per model in the retrain policy', async () => {
    const model = await modelWithChannel();
    await putReference(testApp, model.id);
    const firstUpload = await raiseAlert(testApp, model.id, { type: 'data_drift' });
    expect(firstUpload.inhibitedBy).toEqual([]); // a first reference replaces nothing

    await putReference(testApp, model.id);
    const afterReplace = await raiseAlert(testApp, model.id, { type: 'data_drift' });
    expect(afterReplace.inhibitedBy).toEqual([{ reason: 'reference_replaced', trainingRunId: null, until: expect.stringMatching(/Z$/) }]);
    testApp.clock.advanceMinutes(61);
    await review();
    expect(await notificationsOf(afterReplace.id)).toHaveLength(1);

    const policy = await putPolicy(testApp, model.id, { enabled: false, inhibitDuringRetrain: false, referenceGraceMinutes: 0 });
    expect(policy).toMatchObject({ inhibitDuringRetrain: false, referenceGraceMinutes: 0 });
    await createTrainingRun(testApp, model.id);
    const during = await raiseAlert(testApp, model.id, { type: 'data_drift' });
    expect(during.inhibitedBy).toEqual([]);
    expect(await notificationsOf(during.id)).toHaveLength(1);
  });

  it('refuses bad silences with problem+json naming the field, and writes nothing', async () => {
    const now = testApp.clock.now();
    const marker = uniqueName('refused');
    const base = {
      matchers: [{ name: 'model', operator: '=', value: 'churn' }],
      createdBy: marker,
      comment: 'x',
      endsAt: hoursFrom(now, 1),
    };
    const refused = async (body: Record<string, unknown>, field: string) => {
      const response = await http()
        .post('/api/v1/silences')
        .send({ ...base, ...body });
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    };
    await refused({ matchers: [{ name: 'model', operator: '=~', value: '(?=churn)' }] }, 'matchers[0].value');
    await refused({ matchers: [{ name: 'model', operator: '=~', value: '(unclosed' }] }, 'matchers[0].value');
    await refused({ matchers: [{ name: 'model', operator: '~', value: 'x' }] }, 'matchers[0].operator');
    await refused({ matchers: [] }, 'matchers');
    await refused({ matchers: [{ name: 'env', operator: '=~', value: '.*' }] }, 'matchers');
    await refused({ startsAt: hoursFrom(now, 1), endsAt: hoursFrom(now, 1) }, 'endsAt');
    await refused({ startsAt: hoursFrom(now, 2) }, 'endsAt');
    await refused({ startsAt: hoursFrom(now, -3), endsAt: hoursFrom(now, -1) }, 'endsAt');
    await refused({ rrule: 'FREQ=SECONDLY', durationMinutes: 10 }, 'rrule');
    await refused({ rrule: 'FREQ=DAILY;BYHOUR=99', durationMinutes: 10 }, 'rrule');
    await refused({ rrule: 'not a rule', durationMinutes: 10 }, 'rrule');
    await refused({ rrule: 'FREQ=DAILY' }, 'durationMinutes');
    await refused({ durationMinutes: 30 }, 'durationMinutes');
    await refused({ endsAt: 'tomorrow' }, 'endsAt');
    const [{ count }] = await testApp
      .get(DataSource)
      .query('SELECT count(*)::int AS count FROM model_alert_silences WHERE created_by = $1', [marker]);
    expect(count).toBe(0);
  });
});

describe('alerts: silences with API keys (e2e)', () => {
  const admin = { name: 'ops', scope: 'admin' as const, secret: 'admin-secret-0123456789' };
  const writer = { name: 'ingest-bot', scope: 'write' as const, secret: 'writer-secret-0123456789' };
  const reader = { name: 'viewer', scope: 'read' as const, secret: 'reader-secret-0123456789' };
  const as = (key: { secret: string }) => ({ Authorization: `Bearer ${key.secret}` });
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ apiKeys: [admin, writer, reader] });
  });
  afterAll(() => testApp.close());

  it('needs admin to create and expire, read to list, and audits both changes', async () => {
    const body = {
      matchers: [{ name: 'type', operator: '=', value: 'data_drift' }],
      endsAt: hoursFrom(testApp.clock.now(), 1),
      createdBy: 'dana',
      comment: 'planned',
    };
    expectProblem(await testApp.http().post('/api/v1/silences').set(as(writer)).send(body), 403, 'FORBIDDEN');
    const created = (await testApp.http().post('/api/v1/silences').set(as(admin)).send(body).expect(201)).body;
    await testApp.http().get('/api/v1/silences').set(as(reader)).expect(200);
    await testApp.http().get(`/api/v1/silences/${created.id}`).set(as(reader)).expect(200);
    expectProblem(await testApp.http().delete(`/api/v1/silences/${created.id}`).set(as(writer)), 403, 'FORBIDDEN');
    await testApp.http().delete(`/api/v1/silences/${created.id}`).set(as(admin)).expect(204);

    const entries = (await testApp.http().get('/api/v1/audit').set(as(admin)).query({ resourceId: created.id }).expect(200)).body.items;
    expect(entries.map((entry: { operation: string }) => entry.operation)).toEqual(['deleteSilence', 'createSilence']);
    expect(entries[0]).toMatchObject({ actor: 'ops', resourceType: 'silence', before: { state: 'active' }, after: { state: 'expired' } });
    expect(entries[1]).toMatchObject({ before: null, after: { createdBy: 'dana', comment: 'planned' } });
  });
});
