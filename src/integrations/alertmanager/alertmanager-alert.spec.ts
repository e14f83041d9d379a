import { noticeOf } from 'src/integrations/test-notice';
import {
  alertmanagerAlertsUrl,
  buildPostableAlerts,
  labelName,
  readAlertmanagerAlert,
} from 'src/integrations/alertmanager/alertmanager-alert';

const sentAt = new Date('2026-12-01T12:00:00.000Z');
const PROMETHEUS_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

describe('buildPostableAlerts (Alertmanager API v2 PostableAlert)', () => {
  it('labels alertname, model, metric, severity, environment, the alert labels and modelwatch_alert_id; no endsAt while open', () => {
    const [alert] = buildPostableAlerts(noticeOf({ labels: { metric: 'accuracy', environment: 'production', 'feature-set': 'v2' } }), {
      publicUrl: 'https://mw.example.com',
      sentAt,
    });
    expect(alert.labels).toEqual({
      alertname: 'metric_threshold',
      model: 'churn-model',
      metric: 'accuracy',
      severity: 'critical',
      environment: 'production',
      feature_set: 'v2',
      modelwatch_alert_id: '0b9c7f8e-3f1a-4c2d-9e8b-7a6d5c4b3a21',
    });
    expect(alert.annotations).toEqual({
      summary: 'accuracy < 0.8',
      description: 'last(accuracy) over the last 60 min in production is 0.72 (alert when < 0.8).',
      value: '0.723457',
    });
    expect(alert.startsAt).toBe('2026-12-01T10:05:00.000Z');
    expect(alert.endsAt).toBeUndefined();
    expect(alert.generatorURL).toMatch(/^https:\/\/mw\.example\.com\/ui\/alerts\?alertId=0b9c7f8e/);
    for (const name of Object.keys(alert.labels)) expect(name).toMatch(PROMETHEUS_LABEL_NAME);
  });

  it('sets endsAt on resolve, lets the reserved labels win, and leaves generatorURL out without PUBLIC_URL', () => {
    const [alert] = buildPostableAlerts(
      noticeOf(
        { resolvedAt: '2026-12-01T11:00:00.000Z', labels: { severity: 'fake', alertname: 'fake', '9lives': 'x', '': 'y' } },
        'resolved',
      ),
      { publicUrl: null, sentAt },
    );
    expect(alert.endsAt).toBe('2026-12-01T11:00:00.000Z');
    expect(alert.labels).toMatchObject({ severity: 'critical', alertname: 'metric_threshold', _9lives: 'x', _: 'y' });
    expect(alert.generatorURL).toBeUndefined();
    for (const name of Object.keys(alert.labels)) expect(name).toMatch(PROMETHEUS_LABEL_NAME);
  });

  it('sanitises label names and builds the alerts URL under a base URL with or without a path', () => {
    expect(['ok_name', 'feature-set', 'a.b', '1st', 'ü'].map(labelName)).toEqual(['ok_name', 'feature_set', 'a_b', '_1st', '_']);
    expect(alertmanagerAlertsUrl('http://am:9093')).toBe('http://am:9093/api/v2/alerts');
    expect(alertmanagerAlertsUrl('http://proxy/alertmanager/')).toBe('http://proxy/alertmanager/api/v2/alerts');
  });
});

describe('readAlertmanagerAlert (webhook payload version 4)', () => {
  const base = {
    status: 'firing' as const,
    labels: { alertname: 'DiskFull', severity: 'page', model: 'churn-model' },
    annotations: { summary: 'Disk full', description: 'on node-1' },
    startsAt: '2026-12-01T10:00:00.123456789Z',
    endsAt: '0001-01-01T00:00:00Z',
    fingerprint: 'c0ffee',
  };

  it('keys on the fingerprint, maps severity words, summary and description, and reads the zero endsAt as none', () => {
    expect(readAlertmanagerAlert(base)).toMatchObject({
      fingerprint: 'alertmanager:c0ffee',
      modelwatchAlertId: null,
      modelReference: 'churn-model',
      firing: true,
      severity: 'critical',
      title: 'Disk full',
      message: 'on node-1',
      endsAt: null,
    });
    expect(readAlertmanagerAlert({ ...base, labels: { alertname: 'X', severity: 'whatever' }, annotations: {} })).toMatchObject({
      severity: 'warning',
      title: 'X',
      message: null,
      modelReference: null,
    });
  });

  it('recognises an alert ModelWatch pushed by its modelwatch_alert_id label (a UUID only)', () => {
    const id = '0B9C7F8E-3F1A-4C2D-9E8B-7A6D5C4B3A21';
    expect(readAlertmanagerAlert({ ...base, labels: { ...base.labels, modelwatch_alert_id: id } }).modelwatchAlertId).toBe(
      id.toLowerCase(),
    );
    expect(readAlertmanagerAlert({ ...base, labels: { ...base.labels, modelwatch_alert_id: 'nope' } }).modelwatchAlertId).toBeNull();
    expect(readAlertmanagerAlert({ ...base, status: 'resolved', endsAt: '2026-12-01T11:00:00Z' })).toMatchObject({
      firing: false,
      endsAt: new Date('2026-12-01T11:00:00Z'),
    });
  });
});
