import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { AbTestEntity } from 'src/ab-tests/ab-test.entity';
import { ROLLOUT_EVENT_KINDS, ROLLOUT_OUTCOMES, type RolloutEventKind, type RolloutOutcome } from 'src/ab-tests/rollout.policy';

/** bigint[] arrives from pg as strings; counts stay far below 2^53. */
const countsAsNumbers = {
  to: (value: number[]) => value,
  from: (value: (string | number)[] | null) => (value === null ? null : value.map(Number)),
};

/**
 * The ramp of a test in `rollout` mode: its steps, where it stands, and how it ended. The coverage now served is the
 * test's own `coverage` column (so assignment reads one row); `step_start_counts` are the variants' counts when the
 * step began, so the step's own sample is the current counts minus these.
 */
@Entity({ name: 'model_ab_test_rollouts' })
@Check('ck_model_ab_test_rollouts_step', '"step_index" >= 0 AND "step_index" < cardinality("steps")')
@Check(
  'ck_model_ab_test_rollouts_settings',
  '"min_step_duration_seconds" >= 0 AND "min_samples_per_step" >= 0 AND "no_traffic_after_seconds" >= 1',
)
@Check('ck_model_ab_test_rollouts_outcome', '("outcome" IS NULL) = ("ended_at" IS NULL)')
export class AbTestRolloutEntity {
  @PrimaryColumn({ name: 'test_id', type: 'uuid' })
  testId: string;

  @ManyToOne(() => AbTestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'test_id', foreignKeyConstraintName: 'fk_model_ab_test_rollouts_test' })
  test?: AbTestEntity;

  @Column({ type: 'double precision', array: true })
  steps: number[];

  @Column({ name: 'step_index', type: 'smallint', default: 0 })
  stepIndex: number;

  @Column({ name: 'step_started_at', type: 'timestamptz' })
  stepStartedAt: Date;

  @Column({ name: 'step_start_counts', type: 'bigint', array: true, transformer: countsAsNumbers })
  stepStartCounts: number[];

  @Column({ name: 'min_step_duration_seconds', type: 'integer' })
  minStepDurationSeconds: number;

  @Column({ name: 'min_samples_per_step', type: 'integer' })
  minSamplesPerStep: number;

  @Column({ name: 'no_traffic_after_seconds', type: 'integer' })
  noTrafficAfterSeconds: number;

  @Column({ type: 'enum', enum: ROLLOUT_OUTCOMES, enumName: 'ab_test_rollout_outcome', nullable: true })
  outcome: RolloutOutcome | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  /** The training run whose candidate this rollout ramps (rolloutOnRetrain), if any. */
  @Column({ name: 'training_run_id', type: 'uuid', nullable: true })
  trainingRunId: string | null;
}

/** Every transition of a rollout (start, each step, promotion, roll-back), in order: the rollout's visible history. */
@Entity({ name: 'model_ab_test_rollout_events' })
@Index('ix_model_ab_test_rollout_events_test', ['testId', 'occurredAt', 'id'])
export class AbTestRolloutEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'test_id', type: 'uuid' })
  testId: string;

  @ManyToOne(() => AbTestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'test_id', foreignKeyConstraintName: 'fk_model_ab_test_rollout_events_test' })
  test?: AbTestEntity;

  @Column({ type: 'enum', enum: ROLLOUT_EVENT_KINDS, enumName: 'ab_test_rollout_event_kind' })
  kind: RolloutEventKind;

  @Column({ name: 'step_index', type: 'smallint' })
  stepIndex: number;

  /** The coverage served from this event on (the last step's for a promotion or roll-back). */
  @Column({ type: 'double precision' })
  coverage: number;

  /** Roll-backs: guardrail_failed, srm_detected or no_traffic. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text', nullable: true })
  detail: string | null;

  /** The variants' counts at the event (champion, challenger). */
  @Column({ type: 'bigint', array: true, transformer: countsAsNumbers })
  counts: number[];

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}
