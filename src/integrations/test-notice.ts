import type { AlertNotice } from 'src/integrations/alert-notice';

/** A notification as the outbox holds it, for the builders' specs; every field overridable. */
export function noticeOf(overrides: Partial<AlertNotice['alert']> = {}, event: AlertNotice['event'] = 'firing'): AlertNotice {
  return {
    event,
    model: { id: '6a1f4a52-8c43-4b8e-9d0e-2b1f0c7e9a11', name: 'churn-model' },
    alert: {
      id: '0b9c7f8e-3f1a-4c2d-9e8b-7a6d5c4b3a21',
      modelId: '6a1f4a52-8c43-4b8e-9d0e-2b1f0c7e9a11',
      type: 'metric_threshold',
      severity: 'critical',
      status: 'firing',
      title: 'accuracy < 0.8',
      message: 'last(accuracy) over the last 60 min in production is 0.72 (alert when < 0.8).',
      labels: { metric: 'accuracy', environment: 'production' },
      fingerprint: 'f'.repeat(64),
      value: 0.7234567891,
      firstSeenAt: '2026-12-01T10:00:00.000Z',
      firedAt: '2026-12-01T10:05:00.000Z',
      resolvedAt: null,
      source: 'rule',
      ...overrides,
    },
  };
}
