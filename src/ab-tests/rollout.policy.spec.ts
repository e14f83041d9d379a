import {
  DEFAULT_RAMP_STEPS,
  RolloutState,
  decideRollout,
  rampProblems,
  rolloutStartProblems,
  rolloutTransition,
  ROLLOUT_TRANSITIONS,
} from 'src/ab-tests/rollout.policy';

const START = new Date('2026-12-02T00:00:00Z');
const minutes = (count: number) => new Date(START.getTime() + count * 60_000);

function state(overrides: Partial<RolloutState> = {}): RolloutState {
  return {
    steps: DEFAULT_RAMP_STEPS,
    stepIndex: 0,
    stepStartedAt: START,
    now: minutes(61),
    minStepDurationMs: 60 * 60_000,
    minSamplesPerStep: 100,
    stepCounts: [500, 480],
    noTrafficAfterMs: 30 * 60_000,
    srmDetected: false,
    guardrails: [
      { name: 'latency_ms', direction: 'lower_is_better', tolerance: 0.02, sequentialRelativeCiLow: -0.01, sequentialRelativeCiHigh: 0.03 },
    ],
    ...overrides,
  };
}

describe('rollout ramp', () => {
  it('the default ramp is 1 → 5 → 10 → 25 → 50 → 100 % and valid', () => {
    expect(DEFAULT_RAMP_STEPS).toEqual([0.01, 0.05, 0.1, 0.25, 0.5, 1]);
    expect(rampProblems(DEFAULT_RAMP_STEPS)).toEqual([]);
  });

  it('names a decreasing step, a coverage outside (0, 1] and a ramp that does not end at 1', () => {
    expect(rampProblems([0.1, 0.05, 1])).toEqual([{ field: 'rollout.steps[1]', message: 'must be larger than the step before it (0.1)' }]);
    expect(rampProblems([0, 1]).map((problem) => problem.field)).toEqual(['rollout.steps[0]']);
    expect(rampProblems([0.5, 1.5]).map((problem) => problem.field)).toEqual(['rollout.steps[1]', 'rollout.steps[1]']);
    expect(rampProblems([0.1, 0.5])).toEqual([{ field: 'rollout.steps[1]', message: 'the last step must be 1 (all units)' }]);
    expect(rampProblems([])).toEqual([{ field: 'rollout.steps', message: 'must have at least one step' }]);
  });
});

describe('decideRollout', () => {
  it('advances once the step lasted its minimum duration with its minimum sample in each variant', () => {
    expect(decideRollout(state())).toEqual({ action: 'advance', stepIndex: 1, coverage: 0.05 });
  });

  it('holds before the minimum duration, then for samples', () => {
    expect(decideRollout(state({ now: minutes(59) }))).toEqual({ action: 'hold', reason: 'step_duration' });
    expect(decideRollout(state({ stepCounts: [500, 99] }))).toEqual({ action: 'hold', reason: 'step_samples' });
  });

  it('promotes after the last step completes', () => {
    expect(decideRollout(state({ stepIndex: 5 }))).toEqual({ action: 'promote' });
  });

  it('rolls back when a guardrail shows harm beyond its tolerance, even before the step ends', () => {
    const harmful = state({
      now: minutes(5),
      guardrails: [
        {
          name: 'latency_ms',
          direction: 'lower_is_better',
          tolerance: 0.02,
          sequentialRelativeCiLow: 0.025,
          sequentialRelativeCiHigh: 0.08,
        },
      ],
    });
    expect(decideRollout(harmful)).toMatchObject({ action: 'rollback', reason: 'guardrail_failed' });
    // Higher-is-better: harm is a CI entirely below −tolerance.
    const conversion = state({
      guardrails: [
        {
          name: 'conversion',
          direction: 'higher_is_better',
          tolerance: 0.02,
          sequentialRelativeCiLow: -0.09,
          sequentialRelativeCiHigh: -0.021,
        },
      ],
    });
    expect(decideRollout(conversion)).toMatchObject({ action: 'rollback', reason: 'guardrail_failed' });
    // A CI that still reaches inside the tolerance does not fail (not enough evidence of harm).
    const unsure = state({
      guardrails: [
        {
          name: 'conversion',
          direction: 'higher_is_better',
          tolerance: 0.02,
          sequentialRelativeCiLow: -0.09,
          sequentialRelativeCiHigh: -0.01,
        },
      ],
    });
    expect(decideRollout(unsure)).toMatchObject({ action: 'advance' });
  });

  it('rolls back on a sample-ratio mismatch and on a step with no traffic at all', () => {
    expect(decideRollout(state({ srmDetected: true }))).toMatchObject({ action: 'rollback', reason: 'srm_detected' });
    expect(decideRollout(state({ stepCounts: [0, 0], now: minutes(31) }))).toMatchObject({ action: 'rollback', reason: 'no_traffic' });
    expect(decideRollout(state({ stepCounts: [0, 0], now: minutes(29) }))).toEqual({ action: 'hold', reason: 'step_duration' });
  });

  it('maps transitions to rollout.* events: info for a step and a promotion, critical for a rollback', () => {
    expect(rolloutTransition({ action: 'advance', stepIndex: 1, coverage: 0.05 })).toEqual({
      eventType: 'rollout.step',
      kind: 'step',
      severity: 'info',
    });
    expect(rolloutTransition({ action: 'promote' })).toEqual({ eventType: 'rollout.promoted', kind: 'promoted', severity: 'info' });
    expect(rolloutTransition({ action: 'rollback', reason: 'no_traffic', detail: '' })).toEqual({
      eventType: 'rollout.rolled_back',
      kind: 'rolled_back',
      severity: 'critical',
    });
    // Start and stop by hand are transitions too (no decision makes them).
    expect(ROLLOUT_TRANSITIONS.started).toEqual({ eventType: 'rollout.started', severity: 'info' });
    expect(ROLLOUT_TRANSITIONS.stopped).toEqual({ eventType: 'rollout.stopped', severity: 'warning' });
  });
});

describe('rolloutStartProblems', () => {
  const rollout = { mode: 'rollout' as const, variantCount: 2 };

  it('accepts a two-variant rollout on the default ramp, and an experiment without rollout settings', () => {
    expect(rolloutStartProblems(rollout)).toEqual([]);
    expect(rolloutStartProblems({ mode: 'experiment', variantCount: 3 })).toEqual([]);
  });

  it('names each field a rollout fixes, and the ramp steps', () => {
    const problems = rolloutStartProblems({
      ...rollout,
      variantCount: 3,
      coverage: 0.5,
      sequential: false,
      engine: 'bayesian',
      analysis: 'absolute',
      rollout: { steps: [0.2, 0.1, 1] },
    });
    expect(problems.map((problem) => problem.field)).toEqual([
      'variants',
      'coverage',
      'sequential',
      'engine',
      'analysis',
      'rollout.steps[1]',
    ]);
  });

  it('refuses rollout settings on an experiment', () => {
    expect(rolloutStartProblems({ mode: 'experiment', variantCount: 2, rollout: {} })).toEqual([
      { field: 'rollout', message: "applies to mode 'rollout' only" },
    ]);
  });
});
