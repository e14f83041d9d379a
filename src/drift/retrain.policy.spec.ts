import { dataDriftSeverity, decideRetrain, driftCheckRetrainOrigin, type RetrainContext } from 'src/drift/retrain.policy';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const POLICY = { enabled: true, onDataDrift: true, onPerformanceDegradation: true, cooldownMinutes: 60 };

function context(overrides: Partial<RetrainContext> = {}): RetrainContext {
  return {
    reason: 'data_drift',
    origin: 'automatic',
    policy: POLICY,
    activeRun: null,
    lastRun: null,
    now: NOW,
    force: false,
    ...overrides,
  };
}

describe('decideRetrain', () => {
  it('retrains when nothing stands in the way', () => {
    expect(decideRetrain(context())).toEqual({ retrain: true });
    expect(decideRetrain(context({ lastRun: { id: 'old', queuedAt: minutesAgo(61) } }))).toEqual({ retrain: true });
  });

  it('retrains automatically only with an enabled policy whose flag covers the reason', () => {
    expect(decideRetrain(context({ policy: null }))).toMatchObject({ retrain: false, why: 'no_policy' });
    expect(decideRetrain(context({ policy: { ...POLICY, enabled: false } }))).toMatchObject({ retrain: false, why: 'policy_disabled' });
    expect(decideRetrain(context({ policy: { ...POLICY, onDataDrift: false } }))).toMatchObject({
      retrain: false,
      why: 'trigger_disabled',
    });
    expect(
      decideRetrain(context({ reason: 'performance_degradation', policy: { ...POLICY, onPerformanceDegradation: false } })),
    ).toMatchObject({ retrain: false, why: 'trigger_disabled' });
    // the other flag does not matter
    expect(decideRetrain(context({ reason: 'performance_degradation', policy: { ...POLICY, onDataDrift: false } }))).toEqual({
      retrain: true,
    });
  });

  it('lets users ask without a policy, or with a disabled one', () => {
    expect(decideRetrain(context({ origin: 'request', reason: 'manual', policy: null }))).toEqual({ retrain: true });
    expect(decideRetrain(context({ origin: 'request', policy: { ...POLICY, enabled: false, onDataDrift: false } }))).toEqual({
      retrain: true,
    });
  });

  it('refuses while an automated run is queued or running, even when forced', () => {
    const activeRun = { id: 'run-1', queuedAt: minutesAgo(500) };
    for (const force of [false, true]) {
      expect(decideRetrain(context({ origin: 'request', activeRun, force }))).toMatchObject({
        retrain: false,
        why: 'active_run',
        activeRunId: 'run-1',
      });
    }
  });

  it('refuses within the cooldown of the last automated run, with the time to retry; force skips it', () => {
    const lastRun = { id: 'run-0', queuedAt: minutesAgo(20) };
    expect(decideRetrain(context({ lastRun }))).toEqual({
      retrain: false,
      why: 'cooldown',
      detail: expect.stringContaining('2025-03-01T12:40:00.000Z'),
      retryAfter: new Date('2025-03-01T12:40:00.000Z'),
      retryAfterSeconds: 2400,
    });
    expect(decideRetrain(context({ lastRun, force: true }))).toEqual({ retrain: true });
    // exactly at the end of the cooldown it is allowed again
    expect(decideRetrain(context({ lastRun: { id: 'run-0', queuedAt: minutesAgo(60) } }))).toEqual({ retrain: true });
  });

  it('uses the default cooldown of 1440 minutes without a policy', () => {
    expect(decideRetrain(context({ origin: 'request', policy: null, lastRun: { id: 'run-0', queuedAt: minutesAgo(1439) } }))).toMatchObject(
      {
        why: 'cooldown',
        retryAfterSeconds: 60,
      },
    );
    expect(decideRetrain(context({ origin: 'request', policy: null, lastRun: { id: 'run-0', queuedAt: minutesAgo(1440) } }))).toEqual({
      retrain: true,
    });
  });

  it('checks the policy before the run rules (a disabled policy is the reason, not the cooldown)', () => {
    const decision = decideRetrain(context({ policy: { ...POLICY, enabled: false }, activeRun: { id: 'run-1', queuedAt: NOW } }));
    expect(decision).toMatchObject({ why: 'policy_disabled' });
  });
});

describe('driftCheckRetrainOrigin', () => {
  it('considers retraining only after dataset drift, as the user asked or else by policy', () => {
    expect(driftCheckRetrainOrigin(false, undefined)).toEqual({ skip: 'no_drift' });
    expect(driftCheckRetrainOrigin(false, true)).toEqual({ skip: 'no_drift' });
    expect(driftCheckRetrainOrigin(true, false)).toEqual({ skip: 'not_requested' });
    expect(driftCheckRetrainOrigin(true, true)).toBe('request');
    expect(driftCheckRetrainOrigin(true, undefined)).toBe('automatic');
  });
});

describe('dataDriftSeverity', () => {
  it('is critical from three quarters of the features drifted', () => {
    expect(dataDriftSeverity(0.5)).toBe('warning');
    expect(dataDriftSeverity(0.74)).toBe('warning');
    expect(dataDriftSeverity(0.75)).toBe('critical');
    expect(dataDriftSeverity(1)).toBe('critical');
  });
});
