import { noticeOf } from 'src/integrations/test-notice';
import { buildPagerDutyEvent, isPagerDutyRoutingKey, PAGERDUTY_LIMITS, pagerDutyAction } from 'src/integrations/pagerduty/pagerduty-event';

const routingKey = 'R0123456789abcdefABCDEF012345678';
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

describe('buildPagerDutyEvent (Events API v2)', () => {
  it('triggers with the fingerprint as dedup_key and a payload within the schema', () => {
    const event = buildPagerDutyEvent(noticeOf(), { routingKey, publicUrl: 'https://mw.example.com' });
    expect(event).toMatchObject({
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: 'f'.repeat(64),
      client: 'ModelWatch',
      payload: {
        summary: '[churn-model] accuracy < 0.8',
        source: 'churn-model',
        severity: 'critical',
        timestamp: '2026-12-01T10:05:00.000Z',
        component: 'accuracy',
        group: 'production',
        class: 'metric_threshold',
      },
    });
    expect(event.links).toEqual([
      { href: expect.stringMatching(/^https:\/\/mw\.example\.com\/ui\/alerts\?alertId=/), text: 'Open in ModelWatch' },
    ]);
    expect(SEVERITIES).toContain(event.payload!.severity);
  });

  it('acknowledges and resolves with only routing_key, event_action and dedup_key', () => {
    expect(buildPagerDutyEvent(noticeOf({}, 'acknowledged'), { routingKey, publicUrl: null })).toEqual({
      routing_key: routingKey,
      event_action: 'acknowledge',
      dedup_key: 'f'.repeat(64),
    });
    expect(buildPagerDutyEvent(noticeOf({}, 'resolved'), { routingKey, publicUrl: null })).toEqual({
      routing_key: routingKey,
      event_action: 'resolve',
      dedup_key: 'f'.repeat(64),
    });
    expect(['firing', 'escalated', 'test'].map((event) => pagerDutyAction(event as never))).toEqual(['trigger', 'trigger', 'trigger']);
  });

  it('truncates summary, source, component, group and dedup_key to their limits instead of failing', () => {
    const huge = 'y'.repeat(5000);
    const event = buildPagerDutyEvent(
      { ...noticeOf({ title: huge, fingerprint: huge, labels: { metric: huge, environment: huge } }), model: { id: 'm', name: huge } },
      { routingKey, publicUrl: null },
    );
    expect(event.payload!.summary.length).toBe(PAGERDUTY_LIMITS.summary);
    expect(event.dedup_key.length).toBe(PAGERDUTY_LIMITS.dedupKey);
    for (const field of [event.payload!.source, event.payload!.component, event.payload!.group]) {
      expect(field!.length).toBeLessThanOrEqual(PAGERDUTY_LIMITS.field);
    }
    expect(event.client_url).toBeUndefined();
  });

  it('recognises a routing key: 32 letters and digits', () => {
    expect(isPagerDutyRoutingKey(routingKey)).toBe(true);
    expect(isPagerDutyRoutingKey(routingKey.slice(1))).toBe(false);
    expect(isPagerDutyRoutingKey(`${routingKey.slice(1)}-`)).toBe(false);
  });
});
