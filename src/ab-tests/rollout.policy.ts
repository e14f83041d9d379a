/**
 * Safe rollouts (issue 15 point 4), the decision part only: a champion (control) and one challenger, a ramp of
 * coverage steps, and at each evaluation the rule that holds, advances, promotes or rolls back. Guardrails are read
 * from their always-valid (sequential) relative confidence sequences, so evaluating as often as one likes does not
 * inflate the false-alarm rate (Waudby-Smith et al., arXiv:2103.06476, as gbstats' sequential test). Applied by
 * AbTestRolloutService (storage) and RolloutCoordinator (alerts, webhooks). Pure TypeScript: no framework or database
 * imports.
 */
import type { AbTestInputProblem } from 'src/ab-tests/ab-test.stats';
import { checkGuardrail, type MetricDirection } from 'src/ab-tests/multi-metric.stats';

/** The default ramp: 1 → 5 → 10 → 25 → 50 → 100 % of units. */
export const DEFAULT_RAMP_STEPS: readonly number[] = [0.01, 0.05, 0.1, 0.25, 0.5, 1];

export const ROLLOUT_OUTCOMES = ['promoted', 'rolled_back'] as const;
export type RolloutOutcome = (typeof ROLLOUT_OUTCOMES)[number];
export const ROLLOUT_EVENT_KINDS = ['started', 'step', 'promoted', 'rolled_back', 'stopped'] as const;
export type RolloutEventKind = (typeof ROLLOUT_EVENT_KINDS)[number];
export const ROLLOUT_ROLLBACK_REASONS = ['guardrail_failed', 'srm_detected', 'no_traffic'] as const;
export type RolloutRollbackReason = (typeof ROLLOUT_ROLLBACK_REASONS)[number];

/** Defaults of a rollout's settings: a step lasts at least an hour and 100 units per variant; 30 min without any unit rolls back. */
export const ROLLOUT_DEFAULTS = { minStepDurationSeconds: 3600, minSamplesPerStep: 100, noTrafficAfterSeconds: 1800 } as const;

/** What a start request says about the rollout (mode and settings) and the test fields a rollout fixes. */
export interface RolloutStartInput {
  mode: 'experiment' | 'rollout';
  rollout?: { steps?: readonly number[] };
  variantCount: number;
  coverage?: number;
  sequential?: boolean;
  engine?: string;
  analysis?: string;
}

/**
 * Every problem with a start request's rollout part: a rollout has two variants (champion first), is sequential,
 * frequentist and relative (guardrail tolerances are relative harms read from the confidence sequence), and its
 * coverage is the ramp's; `rollout` applies to mode rollout only.
 */
export function rolloutStartProblems(input: RolloutStartInput): AbTestInputProblem[] {
  if (input.mode !== 'rollout') {
    return input.rollout === undefined ? [] : [{ field: 'rollout', message: "applies to mode 'rollout' only" }];
  }
  const problems: AbTestInputProblem[] = [];
  if (input.variantCount !== 2)
    problems.push({
      field: 'variants',
      message: `a rollout has exactly two variants, the champion then the challenger (has ${input.variantCount})`,
    });
  if (input.coverage !== undefined) problems.push({ field: 'coverage', message: 'follows the ramp in a rollout (rollout.steps); omit it' });
  if (input.sequential === false)
    problems.push({ field: 'sequential', message: 'a rollout is always sequential (guardrails are checked at every step)' });
  if (input.engine !== undefined && input.engine !== 'frequentist')
    problems.push({ field: 'engine', message: 'a rollout uses the frequentist sequential test' });
  if (input.analysis !== undefined && input.analysis !== 'relative')
    problems.push({ field: 'analysis', message: 'a rollout reads relative effects (guardrail tolerances are relative)' });
  problems.push(...rampProblems(input.rollout?.steps ?? DEFAULT_RAMP_STEPS));
  return problems;
}

/** Every problem with a ramp: non-empty, each step in (0, 1], strictly increasing, ending at 1. */
export function rampProblems(steps: readonly number[], field = 'rollout.steps'): AbTestInputProblem[] {
  if (steps.length === 0) return [{ field, message: 'must have at least one step' }];
  const problems: AbTestInputProblem[] = [];
  steps.forEach((step, index) => {
    if (!(step > 0 && step <= 1)) problems.push({ field: `${field}[${index}]`, message: 'must be a coverage in (0, 1]' });
    else if (index > 0 && !(step > steps[index - 1]))
      problems.push({ field: `${field}[${index}]`, message: `must be larger than the step before it (${steps[index - 1]})` });
  });
  if (steps[steps.length - 1] !== 1)
    problems.push({ field: `${field}[${steps.length - 1}]`, message: 'the last step must be 1 (all units)' });
  return problems;
}

export interface RolloutGuardrailReading {
  name: string;
  direction: MetricDirection;
  /** Tolerated relative harm, e.g. 0.02. */
  tolerance: number;
  /** The guardrail's always-valid relative confidence sequence for the challenger (null: not computable yet). */
  sequentialRelativeCiLow: number | null;
  sequentialRelativeCiHigh: number | null;
}

export interface RolloutState {
  steps: readonly number[];
  /** Index into steps of the coverage now served. */
  stepIndex: number;
  stepStartedAt: Date;
  now: Date;
  /** A step lasts at least this long … */
  minStepDurationMs: number;
  /** … and until each variant has at least this many units recorded during it. */
  minSamplesPerStep: number;
  /** Units recorded during the current step: [champion, challenger]. */
  stepCounts: readonly [number, number];
  /** No unit at all for this long into a step rolls the rollout back (the challenger may be failing to serve). */
  noTrafficAfterMs: number;
  srmDetected: boolean;
  guardrails: readonly RolloutGuardrailReading[];
}

export type RolloutDecision =
  | { action: 'hold'; reason: 'step_duration' | 'step_samples' }
  | { action: 'advance'; stepIndex: number; coverage: number }
  | { action: 'promote' }
  | { action: 'rollback'; reason: RolloutRollbackReason; detail: string };

/**
 * The rule, in priority order: a failing guardrail, a sample-ratio mismatch or a step without any traffic past
 * noTrafficAfterMs roll back; otherwise the step is held until both its duration and its samples are reached, then
 * the ramp advances, and the completed last step promotes.
 */
export function decideRollout(state: RolloutState): RolloutDecision {
  const failing = state.guardrails.filter(
    (guardrail) =>
      checkGuardrail(guardrail.sequentialRelativeCiLow, guardrail.sequentialRelativeCiHigh, guardrail.direction, guardrail.tolerance)
        .failed,
  );
  if (failing.length > 0) {
    const detail = failing
      .map((guardrail) => `${guardrail.name} beyond its tolerated harm ${guardrail.tolerance} with the test's confidence`)
      .join('; ');
    return { action: 'rollback', reason: 'guardrail_failed', detail };
  }
  if (state.srmDetected)
    return { action: 'rollback', reason: 'srm_detected', detail: 'sample-ratio mismatch between champion and challenger' };
  const elapsed = state.now.getTime() - state.stepStartedAt.getTime();
  const [championCount, challengerCount] = state.stepCounts;
  if (championCount + challengerCount === 0 && elapsed >= state.noTrafficAfterMs) {
    return { action: 'rollback', reason: 'no_traffic', detail: `no unit recorded ${Math.round(elapsed / 1000)} s into the step` };
  }
  if (elapsed < state.minStepDurationMs) return { action: 'hold', reason: 'step_duration' };
  if (Math.min(championCount, challengerCount) < state.minSamplesPerStep) return { action: 'hold', reason: 'step_samples' };
  const next = state.stepIndex + 1;
  if (next >= state.steps.length) return { action: 'promote' };
  return { action: 'advance', stepIndex: next, coverage: state.steps[next] };
}

/**
 * The webhook event type and alert severity of each transition: info for a start, a step and a promotion, critical
 * for a roll-back, warning for a stop by hand (the ramp ended without its guard deciding: the caller serves the
 * champion again, as after a roll-back, but a person chose it).
 */
export const ROLLOUT_TRANSITIONS = {
  started: { eventType: 'rollout.started', severity: 'info' },
  step: { eventType: 'rollout.step', severity: 'info' },
  promoted: { eventType: 'rollout.promoted', severity: 'info' },
  rolled_back: { eventType: 'rollout.rolled_back', severity: 'critical' },
  stopped: { eventType: 'rollout.stopped', severity: 'warning' },
} as const satisfies Record<RolloutEventKind, { eventType: `rollout.${string}`; severity: 'info' | 'warning' | 'critical' }>;
export type RolloutEventType = (typeof ROLLOUT_TRANSITIONS)[RolloutEventKind]['eventType'];
export type RolloutSeverity = (typeof ROLLOUT_TRANSITIONS)[RolloutEventKind]['severity'];

/** The transition a decision makes (hold is not one). */
export function rolloutTransition(decision: Exclude<RolloutDecision, { action: 'hold' }>): {
  eventType: RolloutEventType;
  kind: RolloutEventKind;
  severity: RolloutSeverity;
} {
  const kind = decision.action === 'advance' ? 'step' : decision.action === 'promote' ? 'promoted' : 'rolled_back';
  return { kind, ...ROLLOUT_TRANSITIONS[kind] };
}
