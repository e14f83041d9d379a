/**
 * Should the coordinator retrain a model now, and if not, why not? Pure decisions over a snapshot the coordinator
 * reads inside its per-model lock (policy, active run, last automated run, now).
 */
import { AlertSeverity } from 'src/alerts/alert.enums';

export type RetrainReason = 'manual' | 'data_drift' | 'performance_degradation' | 'scheduled';

/** Who asks: a user (POST /retrain/trigger, or a drift check sent with triggerRetrain: true) or the coordinator itself. */
export type RetrainOrigin = 'request' | 'automatic';

export const DEFAULT_COOLDOWN_MINUTES = 1440;
export const DEFAULT_QUEUED_TIMEOUT_MINUTES = 60;
export const DEFAULT_RUNNING_TIMEOUT_MINUTES = 1440;
export const MAX_TIMEOUT_MINUTES = 525_600;

export interface RunLease {
  status: 'queued' | 'running';
  /** The last sign of life: the latest heartbeat or update, else when it started (running) or was queued. */
  lastSeenAt: Date;
}

/** Whether an automated run's lease ran out: no sign of life for the policy's timeout of its status (defaults without a policy). */
export function leaseExpired(
  run: RunLease,
  policy: { queuedTimeoutMinutes: number; runningTimeoutMinutes: number } | null,
  now: Date,
): boolean {
  const minutes =
    run.status === 'queued'
      ? (policy?.queuedTimeoutMinutes ?? DEFAULT_QUEUED_TIMEOUT_MINUTES)
      : (policy?.runningTimeoutMinutes ?? DEFAULT_RUNNING_TIMEOUT_MINUTES);
  return now.getTime() - run.lastSeenAt.getTime() >= minutes * 60_000;
}

export interface RetrainPolicySettings {
  enabled: boolean;
  onDataDrift: boolean;
  onPerformanceDegradation: boolean;
  cooldownMinutes: number;
}

export interface RunSnapshot {
  id: string;
  queuedAt: Date;
}

export interface RetrainContext {
  reason: RetrainReason;
  origin: RetrainOrigin;
  /** Null when the model has no retrain policy. */
  policy: RetrainPolicySettings | null;
  /** A queued or running automated run of the model. */
  activeRun: RunSnapshot | null;
  /** The most recent automated run of the model, whatever its status. */
  lastRun: RunSnapshot | null;
  now: Date;
  /** Skip the cooldown (never the one-active-run rule). */
  force: boolean;
}

export type RetrainRefusal =
  | { retrain: false; why: 'no_policy' | 'policy_disabled' | 'trigger_disabled'; detail: string }
  | { retrain: false; why: 'active_run'; detail: string; activeRunId: string }
  | { retrain: false; why: 'cooldown'; detail: string; retryAfter: Date; retryAfterSeconds: number };

export type RetrainDecision = { retrain: true } | RetrainRefusal;

/**
 * The rules, in order: automatic retraining needs an enabled policy whose flag covers the reason; one queued or
 * running automated run at a time; then the cooldown, counted from the last automated run's queue time (force skips it).
 * Requests from users need no policy (it only governs what happens on its own), but obey the run and cooldown rules.
 */
export function decideRetrain(context: RetrainContext): RetrainDecision {
  const { policy, reason } = context;
  if (context.origin === 'automatic') {
    if (!policy)
      return { retrain: false, why: 'no_policy', detail: 'The model has no retrain policy, so it is not retrained automatically.' };
    if (!policy.enabled) return { retrain: false, why: 'policy_disabled', detail: 'The retrain policy is disabled.' };
    if (!reasonEnabled(policy, reason)) {
      return { retrain: false, why: 'trigger_disabled', detail: `The retrain policy does not retrain on ${reason.replace(/_/g, ' ')}.` };
    }
  }
  if (context.activeRun) {
    return {
      retrain: false,
      why: 'active_run',
      detail: `Training run ${context.activeRun.id} is already queued or running for this model.`,
      activeRunId: context.activeRun.id,
    };
  }
  if (!context.force && context.lastRun) {
    const cooldownMinutes = policy?.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES;
    const retryAfter = new Date(context.lastRun.queuedAt.getTime() + cooldownMinutes * 60_000);
    if (retryAfter.getTime() > context.now.getTime()) {
      return {
        retrain: false,
        why: 'cooldown',
        detail: `The last automated run (${context.lastRun.id}) was queued less than ${cooldownMinutes} minutes ago; retry after ${retryAfter.toISOString()} or force it.`,
        retryAfter,
        retryAfterSeconds: Math.ceil((retryAfter.getTime() - context.now.getTime()) / 1000),
      };
    }
  }
  return { retrain: true };
}

function reasonEnabled(policy: RetrainPolicySettings, reason: RetrainReason): boolean {
  if (reason === 'data_drift') return policy.onDataDrift;
  if (reason === 'performance_degradation') return policy.onPerformanceDegradation;
  return true;
}

/**
 * Whether a drift check should consider retraining: never without dataset drift; `triggerRetrain` true asks for it
 * as a user request, false forbids it, and absent leaves it to the model's policy (automatic).
 */
export function driftCheckRetrainOrigin(
  datasetDrift: boolean,
  triggerRetrain: boolean | undefined,
): RetrainOrigin | { skip: 'no_drift' | 'not_requested' } {
  if (triggerRetrain === false) return { skip: 'not_requested' };
  if (!datasetDrift) return { skip: 'no_drift' };
  return triggerRetrain === true ? 'request' : 'automatic';
}

/** data_drift alert severity: critical when at least three quarters of the features drifted, else warning. */
export function dataDriftSeverity(driftShare: number): AlertSeverity.Warning | AlertSeverity.Critical {
  return driftShare >= 0.75 ? AlertSeverity.Critical : AlertSeverity.Warning;
}
