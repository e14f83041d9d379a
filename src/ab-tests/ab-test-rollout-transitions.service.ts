import { Injectable } from '@nestjs/common';
import type { AbTestRecord } from 'src/ab-tests/ab-tests.repository';
import { AbTestRolloutRecord, AbTestRolloutsRepository } from 'src/ab-tests/ab-test-rollouts.repository';
import { ROLLOUT_TRANSITIONS, type RolloutEventKind, type RolloutEventType, type RolloutSeverity } from 'src/ab-tests/rollout.policy';
import type { Transaction } from 'src/database/transaction';

/** A transition just applied (start, step, promotion, roll-back, stop by hand), with what an alert and a webhook need. */
export interface RolloutTransition {
  kind: RolloutEventKind;
  eventType: RolloutEventType;
  severity: RolloutSeverity;
  test: { id: string; name: string; modelId: string };
  champion: { name: string; modelVersion: string | null };
  challenger: { name: string; modelVersion: string | null };
  fromStepIndex: number;
  stepIndex: number;
  fromCoverage: number;
  coverage: number;
  counts: number[];
  /** Roll-backs: the rule's reason and detail; a stop by hand: null and the stop's conclusion. */
  reason: string | null;
  detail: string | null;
  trainingRunId: string | null;
  occurredAt: Date;
}

/** What the rollout's side effects do with a transition, in the transaction that applied it. */
export type RolloutTransitionListener = (transition: RolloutTransition, transaction: Transaction) => Promise<void>;

export interface RolloutChange {
  kind: RolloutEventKind;
  /** The step the rollout is at after the change (a step: the new one; otherwise the one it was at). */
  stepIndex: number;
  reason?: string | null;
  detail?: string | null;
}

/**
 * The one path every rollout transition takes: the event row in the rollout's history, then each listener (the
 * rollout coordinator raises the alert and queues the signed `rollout.*` webhook), all in the caller's transaction,
 * so a transition is recorded and announced together or not at all. The coordinator lives in the drift module,
 * which depends on this one; it registers itself here instead of this module depending back on it.
 */
@Injectable()
export class AbTestRolloutTransitions {
  private readonly listeners: RolloutTransitionListener[] = [];

  constructor(private readonly rollouts: AbTestRolloutsRepository) {}

  listen(listener: RolloutTransitionListener): void {
    this.listeners.push(listener);
  }

  /** Records the change of `rollout` (as read before it) of `test`, whose counts are those at the change. */
  async record(
    test: AbTestRecord,
    rollout: AbTestRolloutRecord,
    change: RolloutChange,
    occurredAt: Date,
    transaction: Transaction,
  ): Promise<RolloutTransition> {
    const counts = test.variants.map((variant) => variant.count);
    const [champion, challenger] = test.variants;
    const coverage = rollout.steps[change.stepIndex];
    const reason = change.reason ?? null;
    const detail = change.detail ?? null;
    await this.rollouts.appendEvent(
      { testId: test.id, kind: change.kind, stepIndex: change.stepIndex, coverage, reason, detail, counts, occurredAt },
      transaction,
    );
    const transition: RolloutTransition = {
      kind: change.kind,
      ...ROLLOUT_TRANSITIONS[change.kind],
      test: { id: test.id, name: test.name, modelId: test.modelId },
      champion: { name: champion.name, modelVersion: champion.modelVersion },
      challenger: { name: challenger.name, modelVersion: challenger.modelVersion },
      fromStepIndex: rollout.stepIndex,
      stepIndex: change.stepIndex,
      fromCoverage: rollout.steps[rollout.stepIndex],
      coverage,
      counts,
      reason,
      detail,
      trainingRunId: rollout.trainingRunId,
      occurredAt,
    };
    for (const listener of this.listeners) await listener(transition, transaction);
    return transition;
  }
}
