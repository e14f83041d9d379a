import { AlertSeverity, AlertStatus, RuleComparator } from 'src/alerts/alert.enums';
import {
  alertFingerprint,
  breaches,
  canAcknowledge,
  canResolve,
  decideRuleAlert,
  describeRuleAlert,
  firingNotice,
  isRepeatDue,
  RuleAlertState,
  ruleAlertLabels,
  sameRuleIdentity,
} from 'src/alerts/alert.policy';

describe('alertFingerprint', () => {
  it('is the hex SHA-256 of [model, type, sorted labels] as JSON', () => {
    // python3: hashlib.sha256(json.dumps(['m1','custom',[['a','1'],['b','2']]],separators=(',',':')).encode()).hexdigest()
    expect(alertFingerprint('m1', 'custom', { b: '2', a: '1' })).toBe('c697c204bba83601266a2bf2a3d69f382d38408c290aa4b39d441e0caa4064b8');
    // python3: … json.dumps(['m1','custom',[]], …)
    expect(alertFingerprint('m1', 'custom', {})).toBe('502e309c81f92cbfe5993fba2fb19ab3a9c003e2528c07cf8e4a4fb066f656f7');
    // python3: … json.dumps(['m1','custom',[['Z','x'],['a','é']]], separators=(',',':'), ensure_ascii=False).encode() …
    expect(alertFingerprint('m1', 'custom', { a: 'é', Z: 'x' })).toBe('816da80f2e458d3e7a6a2b5961ddfe43e02e33336d2779ea257cd6a561c4b61b');
  });

  it('does not depend on label order but on every part', () => {
    const base = alertFingerprint('m1', 'data_drift', { feature: 'age', env: 'prod' });
    expect(alertFingerprint('m1', 'data_drift', { env: 'prod', feature: 'age' })).toBe(base);
    expect(alertFingerprint('m2', 'data_drift', { feature: 'age', env: 'prod' })).not.toBe(base);
    expect(alertFingerprint('m1', 'custom', { feature: 'age', env: 'prod' })).not.toBe(base);
    expect(alertFingerprint('m1', 'data_drift', { feature: 'age' })).not.toBe(base);
    // a label value that contains a separator cannot collide with two labels
    expect(alertFingerprint('m1', 't', { a: 'b","c' })).not.toBe(alertFingerprint('m1', 't', { a: 'b', c: '' }));
  });
});

describe('manual transitions', () => {
  it('acknowledges pending or firing alerts and resolves anything unresolved', () => {
    expect([AlertStatus.Pending, AlertStatus.Firing, AlertStatus.Acknowledged, AlertStatus.Resolved].map(canAcknowledge)).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([AlertStatus.Pending, AlertStatus.Firing, AlertStatus.Acknowledged, AlertStatus.Resolved].map(canResolve)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('firingNotice', () => {
  it('announces the first firing, a higher severity, else a repeat; quiet unless firing', () => {
    expect(firingNotice({ status: AlertStatus.Firing, severity: AlertSeverity.Warning, notifiedSeverity: null })).toBe('firing');
    expect(firingNotice({ status: AlertStatus.Firing, severity: AlertSeverity.Critical, notifiedSeverity: AlertSeverity.Warning })).toBe(
      'escalated',
    );
    expect(firingNotice({ status: AlertStatus.Firing, severity: AlertSeverity.Warning, notifiedSeverity: AlertSeverity.Warning })).toBe(
      'repeat',
    );
    expect(firingNotice({ status: AlertStatus.Pending, severity: AlertSeverity.Critical, notifiedSeverity: null })).toBeNull();
    expect(
      firingNotice({ status: AlertStatus.Acknowledged, severity: AlertSeverity.Critical, notifiedSeverity: AlertSeverity.Info }),
    ).toBeNull();
  });
});

describe('isRepeatDue', () => {
  const now = new Date('2025-01-01T04:00:00Z');
  it('is due when never notified or once the interval has passed', () => {
    expect(isRepeatDue(null, 240, now)).toBe(true);
    expect(isRepeatDue(new Date('2025-01-01T00:00:00Z'), 240, now)).toBe(true);
    expect(isRepeatDue(new Date('2025-01-01T00:00:01Z'), 240, now)).toBe(false);
  });
});

describe('breaches', () => {
  it.each([
    [RuleComparator.Lt, [false, false, true]],
    [RuleComparator.Lte, [false, true, true]],
    [RuleComparator.Gt, [true, false, false]],
    [RuleComparator.Gte, [true, true, false]],
  ])('%s 0.8 for 0.9, 0.8, 0.7', (comparator, expected) => {
    expect([0.9, 0.8, 0.7].map((value) => breaches(value, comparator, 0.8))).toEqual(expected);
  });
});

describe('decideRuleAlert', () => {
  const t0 = new Date('2025-01-01T00:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const timing = { forMinutes: 5, keepFiringForMinutes: 10 };
  const pending: RuleAlertState = { status: AlertStatus.Pending, pendingSince: t0, clearedSince: null };
  const firing: RuleAlertState = { status: AlertStatus.Firing, pendingSince: t0, clearedSince: null };

  it('opens a pending alert on a breach, or a firing one when forMinutes is 0', () => {
    expect(decideRuleAlert(null, 'breach', timing, t0)).toEqual({ action: 'raise', status: AlertStatus.Pending });
    expect(decideRuleAlert(null, 'breach', { forMinutes: 0, keepFiringForMinutes: 0 }, t0)).toEqual({
      action: 'raise',
      status: AlertStatus.Firing,
    });
    expect(decideRuleAlert(null, 'clear', timing, t0)).toEqual({ action: 'none' });
  });

  it('fires a pending alert once the condition has held for forMinutes', () => {
    expect(decideRuleAlert(pending, 'breach', timing, at(4.99))).toEqual({ action: 'raise', status: AlertStatus.Pending });
    expect(decideRuleAlert(pending, 'breach', timing, at(5))).toEqual({ action: 'raise', status: AlertStatus.Firing });
  });

  it('resolves a pending alert whose condition clears', () => {
    expect(decideRuleAlert(pending, 'clear', timing, at(1))).toEqual({ action: 'resolve' });
  });

  it('keeps firing for keepFiringForMinutes after the condition clears, then resolves', () => {
    expect(decideRuleAlert(firing, 'clear', timing, at(20))).toEqual({ action: 'start_clearing', since: at(20) });
    const clearing = { ...firing, clearedSince: at(20) };
    expect(decideRuleAlert(clearing, 'clear', timing, at(29))).toEqual({ action: 'none' });
    expect(decideRuleAlert(clearing, 'clear', timing, at(30))).toEqual({ action: 'resolve' });
  });

  it('goes straight back to firing on a new breach during keep-firing', () => {
    expect(decideRuleAlert({ ...firing, clearedSince: at(20) }, 'breach', timing, at(25))).toEqual({
      action: 'raise',
      status: AlertStatus.Firing,
    });
  });

  it('resolves at once without keep-firing, acknowledged alerts included', () => {
    const noKeep = { forMinutes: 0, keepFiringForMinutes: 0 };
    expect(decideRuleAlert(firing, 'clear', noKeep, at(1))).toEqual({ action: 'resolve' });
    const acknowledged: RuleAlertState = { ...firing, status: AlertStatus.Acknowledged };
    expect(decideRuleAlert(acknowledged, 'clear', noKeep, at(1))).toEqual({ action: 'resolve' });
    expect(decideRuleAlert(acknowledged, 'breach', noKeep, at(1))).toEqual({ action: 'raise', status: AlertStatus.Acknowledged });
  });

  it('changes nothing when the window has no data', () => {
    for (const state of [null, pending, firing]) expect(decideRuleAlert(state, 'no_data', timing, at(100))).toEqual({ action: 'none' });
  });
});

describe('rule alerts', () => {
  const rule = { id: 'r1', metricName: 'accuracy', environment: 'production', labels: { team: 'risk', metric: 'ignored' } };

  it('labels them with the rule labels plus metric, environment and rule id (reserved keys win)', () => {
    expect(ruleAlertLabels(rule)).toEqual({ team: 'risk', metric: 'accuracy', environment: 'production', rule: 'r1' });
  });

  it('treats a change of metric, environment or labels as a new identity, label order aside', () => {
    expect(sameRuleIdentity(rule, { ...rule, labels: { metric: 'ignored', team: 'risk' } })).toBe(true);
    expect(sameRuleIdentity(rule, { ...rule, environment: 'staging' })).toBe(false);
    expect(sameRuleIdentity(rule, { ...rule, metricName: 'f1' })).toBe(false);
    expect(sameRuleIdentity(rule, { ...rule, labels: { team: 'fraud' } })).toBe(false);
  });

  it('describes the breach in the title and message', () => {
    const description = {
      name: null,
      metricName: 'latency_ms',
      environment: 'production',
      aggregation: 'p95',
      windowMinutes: 15,
      comparator: RuleComparator.Gt,
      threshold: 400,
    };
    expect(describeRuleAlert(description, 412.345678901)).toEqual({
      title: 'latency_ms > 400',
      message: 'p95(latency_ms) over the last 15 min in production is 412.346 (alert when > 400).',
    });
    expect(describeRuleAlert({ ...description, name: 'Slow scoring' }, 401).title).toBe('Slow scoring > 400');
  });
});
