import {
  allowedTransitions,
  canTransition,
  daysSince,
  durationSeconds,
  errorFieldErrors,
  frozenResultFields,
  periodErrors,
  resolveCreateTimestamps,
  resolveTransitionTimestamps,
  successRate,
  summarizeRunGroups,
  timestampOrderErrors,
  TrainingRunStatus as S,
  TrainingTrigger as T,
} from 'src/training-runs/training-run.policy';

const at = (iso: string) => new Date(iso);
const NOW = at('2030-01-10T12:00:00Z');

describe('training-run state machine', () => {
  const allowed: [S, S][] = [
    [S.Queued, S.Running],
    [S.Queued, S.Cancelled],
    [S.Running, S.Succeeded],
    [S.Running, S.Failed],
    [S.Running, S.Cancelled],
  ];
  const all = Object.values(S);

  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it('refuses every other move, including any move out of a terminal status', () => {
    const refused = all
      .flatMap((from) => all.map((to) => [from, to] as [S, S]))
      .filter(([from, to]) => from !== to && !allowed.some(([a, b]) => a === from && b === to));
    expect(refused).toHaveLength(20 - 5);
    for (const [from, to] of refused) expect({ from, to, allowed: canTransition(from, to) }).toEqual({ from, to, allowed: false });
    expect(refused).toEqual(
      expect.arrayContaining([
        [S.Queued, S.Succeeded],
        [S.Queued, S.Failed],
        [S.Running, S.Queued],
        [S.Succeeded, S.Failed],
        [S.Cancelled, S.Running],
      ]),
    );
  });

  it('treats staying in queued or running as no transition, and a terminal status as final even towards itself', () => {
    expect(canTransition(S.Queued, S.Queued)).toBe(true);
    expect(canTransition(S.Running, S.Running)).toBe(true);
    for (const terminal of [S.Succeeded, S.Failed, S.Cancelled]) {
      expect(canTransition(terminal, terminal)).toBe(false);
      expect(allowedTransitions(terminal)).toEqual([]);
    }
  });
});

describe('timestamps of a new run', () => {
  it('queues now by default', () => {
    expect(resolveCreateTimestamps(S.Queued, {}, NOW)).toEqual({
      timestamps: { queuedAt: NOW, startedAt: null, finishedAt: null },
      errors: [],
    });
  });

  it('starts a running run now, queued at its start when the queue time is unknown', () => {
    expect(resolveCreateTimestamps(S.Running, {}, NOW).timestamps).toEqual({ queuedAt: NOW, startedAt: NOW, finishedAt: null });
    const startedAt = at('2030-01-10T10:00:00Z');
    expect(resolveCreateTimestamps(S.Running, { startedAt }, NOW).timestamps).toEqual({ queuedAt: startedAt, startedAt, finishedAt: null });
  });

  it('keeps the start of a run logged as finished unknown unless given, and ends it now', () => {
    expect(resolveCreateTimestamps(S.Succeeded, {}, NOW).timestamps).toEqual({ queuedAt: NOW, startedAt: null, finishedAt: NOW });
    const finishedAt = at('2030-01-09T00:00:00Z');
    expect(resolveCreateTimestamps(S.Failed, { finishedAt }, NOW).timestamps).toEqual({
      queuedAt: finishedAt,
      startedAt: null,
      finishedAt,
    });
  });

  it('accepts ordered timestamps as given, equal ones included', () => {
    const given = { queuedAt: at('2030-01-01T00:00:00Z'), startedAt: at('2030-01-01T00:00:00Z'), finishedAt: at('2030-01-01T02:00:00Z') };
    expect(resolveCreateTimestamps(S.Succeeded, given, NOW)).toEqual({ timestamps: given, errors: [] });
  });

  it('names the later given field when the order is broken', () => {
    const queuedAt = at('2030-01-02T00:00:00Z');
    expect(resolveCreateTimestamps(S.Running, { queuedAt, startedAt: at('2030-01-01T00:00:00Z') }, NOW).errors).toEqual([
      { field: 'startedAt', message: 'must not be before queuedAt' },
    ]);
    expect(
      resolveCreateTimestamps(S.Succeeded, { startedAt: at('2030-01-02T00:00:00Z'), finishedAt: at('2030-01-01T00:00:00Z') }, NOW).errors,
    ).toEqual([{ field: 'finishedAt', message: 'must not be before startedAt' }]);
    expect(resolveCreateTimestamps(S.Failed, { queuedAt, finishedAt: at('2030-01-01T00:00:00Z') }, NOW).errors).toEqual([
      { field: 'finishedAt', message: 'must not be before queuedAt' },
    ]);
  });

  it('names the given earlier field when only a server default follows it', () => {
    expect(resolveCreateTimestamps(S.Running, { queuedAt: at('2030-01-10T12:03:00Z') }, NOW).errors).toEqual([
      { field: 'queuedAt', message: 'must not be after startedAt' },
    ]);
  });

  it('refuses times more than 5 minutes ahead of the clock', () => {
    const ahead = at('2030-01-10T12:05:01Z');
    expect(resolveCreateTimestamps(S.Succeeded, { finishedAt: ahead }, NOW).errors).toEqual([
      { field: 'finishedAt', message: 'must not be more than 5 minutes in the future' },
    ]);
    expect(resolveCreateTimestamps(S.Queued, { queuedAt: ahead }, NOW).errors.map((error) => error.field)).toEqual(['queuedAt']);
    expect(resolveCreateTimestamps(S.Succeeded, { finishedAt: at('2030-01-10T12:05:00Z') }, NOW).errors).toEqual([]);
    const current = { queuedAt: at('2030-01-10T08:00:00Z'), startedAt: at('2030-01-10T09:00:00Z'), finishedAt: null };
    expect(
      resolveTransitionTimestamps(S.Running, S.Succeeded, current, { finishedAt: ahead }, NOW).errors.map((error) => error.field),
    ).toEqual(['finishedAt']);
  });

  it('refuses timestamps a status cannot have', () => {
    expect(resolveCreateTimestamps(S.Queued, { startedAt: NOW, finishedAt: NOW }, NOW).errors.map((error) => error.field)).toEqual([
      'startedAt',
      'finishedAt',
    ]);
    expect(resolveCreateTimestamps(S.Running, { finishedAt: NOW }, NOW).errors).toEqual([
      { field: 'finishedAt', message: 'cannot be set on a running run' },
    ]);
  });

  it('reports each field once', () => {
    const errors = timestampOrderErrors(
      { queuedAt: at('2030-01-03T00:00:00Z'), startedAt: at('2030-01-02T00:00:00Z'), finishedAt: at('2030-01-01T00:00:00Z') },
      { queuedAt: NOW, startedAt: NOW, finishedAt: NOW },
    );
    expect(errors.map((error) => error.field)).toEqual(['startedAt', 'finishedAt']);
  });
});

describe('timestamps on a transition', () => {
  const queuedAt = at('2030-01-10T08:00:00Z');
  const startedAt = at('2030-01-10T09:00:00Z');

  it('sets startedAt now on queued → running and finishedAt now on running → succeeded', () => {
    expect(resolveTransitionTimestamps(S.Queued, S.Running, { queuedAt, startedAt: null, finishedAt: null }, {}, NOW)).toEqual({
      timestamps: { queuedAt, startedAt: NOW, finishedAt: null },
      errors: [],
    });
    expect(
      resolveTransitionTimestamps(S.Running, S.Succeeded, { queuedAt, startedAt, finishedAt: null }, {}, NOW).timestamps.finishedAt,
    ).toEqual(NOW);
  });

  it('finishes a cancelled queued run without a start', () => {
    expect(resolveTransitionTimestamps(S.Queued, S.Cancelled, { queuedAt, startedAt: null, finishedAt: null }, {}, NOW).timestamps).toEqual(
      {
        queuedAt,
        startedAt: null,
        finishedAt: NOW,
      },
    );
  });

  it('never lets a server-set time precede the run’s earlier times (a run queued in the future)', () => {
    const later = at('2030-01-11T00:00:00Z');
    expect(resolveTransitionTimestamps(S.Queued, S.Running, { queuedAt: later, startedAt: null, finishedAt: null }, {}, NOW)).toEqual({
      timestamps: { queuedAt: later, startedAt: later, finishedAt: null },
      errors: [],
    });
  });

  it('uses given times and checks their order against the stored ones', () => {
    const finishedAt = at('2030-01-10T10:30:00Z');
    expect(
      resolveTransitionTimestamps(S.Running, S.Failed, { queuedAt, startedAt, finishedAt: null }, { finishedAt }, NOW).timestamps
        .finishedAt,
    ).toEqual(finishedAt);
    expect(
      resolveTransitionTimestamps(S.Running, S.Failed, { queuedAt, startedAt, finishedAt: null }, { finishedAt: queuedAt }, NOW).errors,
    ).toEqual([{ field: 'finishedAt', message: 'must not be before startedAt' }]);
    expect(
      resolveTransitionTimestamps(
        S.Queued,
        S.Running,
        { queuedAt, startedAt: null, finishedAt: null },
        { startedAt: at('2030-01-10T07:00:00Z') },
        NOW,
      ).errors,
    ).toEqual([{ field: 'startedAt', message: 'must not be before queuedAt' }]);
  });

  it('accepts startedAt only when the run starts and finishedAt only when it finishes', () => {
    expect(
      resolveTransitionTimestamps(S.Running, S.Succeeded, { queuedAt, startedAt, finishedAt: null }, { startedAt: NOW }, NOW).errors,
    ).toEqual([{ field: 'startedAt', message: 'can only be set when the run starts (queued → running)' }]);
    expect(
      resolveTransitionTimestamps(S.Queued, S.Running, { queuedAt, startedAt: null, finishedAt: null }, { finishedAt: NOW }, NOW).errors,
    ).toEqual([{ field: 'finishedAt', message: 'can only be set when the run finishes' }]);
    expect(resolveTransitionTimestamps(S.Running, S.Running, { queuedAt, startedAt, finishedAt: null }, {}, NOW)).toEqual({
      timestamps: { queuedAt, startedAt, finishedAt: null },
      errors: [],
    });
  });
});

describe('field rules', () => {
  it('requires error on failed runs and refuses it elsewhere', () => {
    expect(errorFieldErrors(S.Failed, undefined)).toEqual([{ field: 'error', message: 'is required when status is failed' }]);
    expect(errorFieldErrors(S.Failed, 'OOM')).toEqual([]);
    expect(errorFieldErrors(S.Succeeded, 'OOM')).toEqual([{ field: 'error', message: 'can only be set on a failed run' }]);
    expect(errorFieldErrors(S.Running, null)).toEqual([]);
  });

  it('freezes results of finished runs only', () => {
    expect(frozenResultFields(S.Succeeded, { metrics: { auc: 0.9 }, modelVersion: undefined, error: undefined })).toEqual(['metrics']);
    expect(frozenResultFields(S.Cancelled, { modelVersion: null })).toEqual(['modelVersion']);
    expect(frozenResultFields(S.Running, { metrics: { auc: 0.9 }, modelVersion: 'v2' })).toEqual([]);
  });

  it('checks that a period does not end before it starts', () => {
    expect(periodErrors(at('2030-01-02T00:00:00Z'), at('2030-01-01T00:00:00Z'), 'dataset.to')).toEqual([
      { field: 'dataset.to', message: 'must not be before from' },
    ]);
    expect(periodErrors(NOW, NOW, 'to')).toEqual([]);
    expect(periodErrors(undefined, NOW, 'to')).toEqual([]);
  });
});

describe('summary figures', () => {
  it('computes duration in seconds, null while unknown', () => {
    expect(durationSeconds(at('2030-01-01T00:00:00Z'), at('2030-01-01T01:30:00.500Z'))).toBe(5400.5);
    expect(durationSeconds(null, NOW)).toBeNull();
    expect(durationSeconds(NOW, null)).toBeNull();
  });

  it('computes success rate over succeeded and failed runs only', () => {
    expect(successRate(3, 1)).toBe(0.75);
    expect(successRate(0, 2)).toBe(0);
    expect(successRate(0, 0)).toBeNull();
  });

  it('counts days since the last success, fractional and never negative', () => {
    expect(daysSince(at('2030-01-07T00:00:00Z'), NOW)).toBe(3.5);
    expect(daysSince(at('2030-01-11T00:00:00Z'), NOW)).toBe(0);
    expect(daysSince(null, NOW)).toBeNull();
  });

  it('sums groups into per-status and per-trigger counts with every key present', () => {
    const counts = summarizeRunGroups([
      { status: S.Succeeded, trigger: T.Scheduled, count: 2, timedCount: 2, durationSecondsSum: 300 },
      { status: S.Succeeded, trigger: T.DataDrift, count: 2, timedCount: 1, durationSecondsSum: 600 },
      { status: S.Failed, trigger: T.Scheduled, count: 1, timedCount: 1, durationSecondsSum: 10 },
      { status: S.Queued, trigger: T.Manual, count: 1, timedCount: 0, durationSecondsSum: 0 },
    ]);
    expect(counts).toEqual({
      totalRuns: 6,
      byStatus: { queued: 1, running: 0, succeeded: 4, failed: 1, cancelled: 0 },
      byTrigger: { manual: 1, scheduled: 3, data_drift: 2, performance_degradation: 0, ab_test: 0, api: 0 },
      // (300 + 600) / 3 timed succeeded runs; the failed run's 10 s is left out
      meanDurationSeconds: 300,
    });
    expect(summarizeRunGroups([]).meanDurationSeconds).toBeNull();
  });
});
