import { ApiProperty } from '@nestjs/swagger';
import { METRIC_DIRECTIONS, type MetricDirection } from 'src/ab-tests/multi-metric.stats';
import { ROLLOUT_EVENT_KINDS, ROLLOUT_OUTCOMES, type RolloutEventKind, type RolloutOutcome } from 'src/ab-tests/rollout.policy';
import type { AbTestRolloutEventRecord } from 'src/ab-tests/ab-test-rollouts.repository';

export const ROLLOUT_STATES = ['ramping', 'promoted', 'rolled_back', 'stopped'] as const;
export type RolloutStateName = (typeof ROLLOUT_STATES)[number];
export const ROLLOUT_ACTIONS = ['hold', 'advance', 'promote', 'rollback'] as const;

export class RolloutVariantDto {
  name: string;
  @ApiProperty({ type: 'string', nullable: true })
  modelVersion: string | null;
  /** Units recorded since the current step began (the whole last step once the rollout ended). */
  @ApiProperty({ type: 'integer' })
  stepCount: number;
  /** Units recorded since the rollout started. */
  @ApiProperty({ type: 'integer' })
  count: number;
}

export class RolloutGuardrailDto {
  name: string;
  @ApiProperty({ enum: METRIC_DIRECTIONS, enumName: 'AbTestMetricDirection' })
  direction: MetricDirection;
  /** Tolerated relative harm. */
  tolerance: number;
  /** The challenger's always-valid relative confidence sequence (null: not computable yet). */
  @ApiProperty({ type: 'number', nullable: true })
  sequentialRelativeCiLow: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  sequentialRelativeCiHigh: number | null;
  /** The sequence lies entirely beyond the tolerated harm: the rollout rolls back. */
  failed: boolean;
}

export class RolloutSrmDto {
  @ApiProperty({ type: 'number', nullable: true })
  pValue: number | null;
  detected: boolean;
}

export class RolloutEventDto {
  @ApiProperty({ enum: ROLLOUT_EVENT_KINDS, enumName: 'AbTestRolloutEventKind' })
  kind: RolloutEventKind;
  @ApiProperty({ type: 'integer' })
  stepIndex: number;
  coverage: number;
  /** Roll-backs: `guardrail_failed`, `srm_detected` or `no_traffic`. */
  @ApiProperty({ type: 'string', nullable: true })
  reason: string | null;
  @ApiProperty({ type: 'string', nullable: true })
  detail: string | null;
  /** The variants' counts at the event (champion, challenger). */
  @ApiProperty({ type: [Number] })
  counts: number[];
  @ApiProperty({ format: 'date-time' })
  occurredAt: string;
}

/** Where a rollout stands, what its guardrails read now, and every transition so far. */
export class AbTestRolloutDto {
  @ApiProperty({ format: 'uuid' })
  testId: string;
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  /** `ramping` while the test runs; `stopped` when it was stopped by hand before an outcome. */
  @ApiProperty({ enum: ROLLOUT_STATES, enumName: 'AbTestRolloutState' })
  state: RolloutStateName;
  @ApiProperty({ enum: ROLLOUT_OUTCOMES, enumName: 'AbTestRolloutOutcome', nullable: true })
  outcome: RolloutOutcome | null;
  steps: number[];
  @ApiProperty({ type: 'integer' })
  stepIndex: number;
  /** The coverage `assign` serves now. */
  coverage: number;
  @ApiProperty({ format: 'date-time' })
  stepStartedAt: string;
  @ApiProperty({ type: 'integer' })
  minStepDurationSeconds: number;
  @ApiProperty({ type: 'integer' })
  minSamplesPerStep: number;
  @ApiProperty({ type: 'integer' })
  noTrafficAfterSeconds: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  endedAt: string | null;
  /** The training run whose candidate is rolled out (rolloutOnRetrain), if any. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  trainingRunId: string | null;
  champion: RolloutVariantDto;
  challenger: RolloutVariantDto;
  @ApiProperty({ type: [RolloutGuardrailDto] })
  guardrails: RolloutGuardrailDto[];
  srm: RolloutSrmDto;
  /** Oldest first. */
  @ApiProperty({ type: [RolloutEventDto] })
  events: RolloutEventDto[];
}

/** One evaluation: the rule's decision and the rollout after it was applied. */
export class AbTestRolloutEvaluationDto {
  /** null when the rollout had already ended (nothing was decided). */
  @ApiProperty({ enum: ROLLOUT_ACTIONS, enumName: 'AbTestRolloutAction', nullable: true })
  action: (typeof ROLLOUT_ACTIONS)[number] | null;
  /** hold: `step_duration` or `step_samples`; rollback: `guardrail_failed`, `srm_detected` or `no_traffic`. */
  @ApiProperty({ type: 'string', nullable: true })
  reason: string | null;
  rollout: AbTestRolloutDto;
}

export function mapRolloutEvent(event: AbTestRolloutEventRecord): RolloutEventDto {
  return {
    kind: event.kind,
    stepIndex: event.stepIndex,
    coverage: event.coverage,
    reason: event.reason,
    detail: event.detail,
    counts: event.counts,
    occurredAt: event.occurredAt.toISOString(),
  };
}
