import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TrainingRunStatus, TrainingTrigger } from 'src/training-runs/training-run.policy';

export interface TrainingDataset {
  ref: string;
  rows?: number;
  from?: string;
  to?: string;
}

/** The name the coordinator's conflict target relies on (see TrainingRunsRepository.insertRun). */
export const ACTIVE_AUTOMATED_RUN_INDEX = 'uq_training_runs_active_automated';

/**
 * The training/retraining log (table name kept from the user's existing system).
 * At most one automated (non-manual) run per model may be queued or running: a partial unique
 * index, so concurrent retrain requests across instances cannot pile up.
 * Keyed by (model_id, id), the parent run referenced through (model_id, parent_run_id) (migration 1796400000000). The
 * foreign key clears only parent_run_id when a parent goes, ON DELETE SET NULL (parent_run_id): TypeORM cannot declare
 * the column list and reads it back as SET NULL; Citus refuses it (test/schema-distribution.e2e-spec.ts).
 * ix_training_runs_id serves the reads by id alone.
 */
@Entity({ name: 'model_training_history' })
@ForeignKey('model_training_history', ['modelId', 'parentRunId'], ['modelId', 'id'], {
  name: 'fk_training_runs_parent',
  onDelete: 'SET NULL',
})
@Index(ACTIVE_AUTOMATED_RUN_INDEX, ['modelId'], { unique: true, where: `status IN ('queued', 'running') AND trigger <> 'manual'` })
@Index('ix_training_runs_model_queued', ['modelId', 'queuedAt', 'id'])
@Index('ix_training_runs_queued', ['queuedAt', 'id'])
@Index('ix_training_runs_id', ['id'])
@Check('ck_training_runs_started_after_queued', 'started_at IS NULL OR started_at >= queued_at')
@Check('ck_training_runs_finished_after_started', 'finished_at IS NULL OR finished_at >= COALESCE(started_at, queued_at)')
@Check('ck_training_runs_finished_iff_terminal', `(finished_at IS NOT NULL) = (status IN ('succeeded', 'failed', 'cancelled'))`)
@Check('ck_training_runs_running_started', `status <> 'running' OR started_at IS NOT NULL`)
@Check('ck_training_runs_failed_has_error', `status <> 'failed' OR error IS NOT NULL`)
@Check('ck_training_runs_json_objects', `jsonb_typeof(hyperparameters) = 'object' AND jsonb_typeof(metrics) = 'object'`)
export class TrainingRunEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_training_runs' })
  id: string;

  @ForeignKey('models', { name: 'fk_training_runs_model', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_training_runs' })
  modelId: string;

  /** The version the run produced or will produce. */
  @Column({ name: 'model_version', type: 'text', nullable: true })
  modelVersion: string | null;

  @Column({ type: 'enum', enum: TrainingTrigger, enumName: 'training_run_trigger' })
  trigger: TrainingTrigger;

  @Column({ type: 'enum', enum: TrainingRunStatus, enumName: 'training_run_status' })
  status: TrainingRunStatus;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** A person, a service, or `modelwatch` for the coordinator's own retrains. */
  @Column({ name: 'triggered_by', type: 'text' })
  triggeredBy: string;

  /** The drift check that caused an automated retrain (no foreign key: drift checks are the coordinator's). */
  @Column({ name: 'drift_check_id', type: 'uuid', nullable: true })
  driftCheckId: string | null;

  @Index('ix_training_runs_parent')
  @Column({ name: 'parent_run_id', type: 'uuid', nullable: true })
  parentRunId: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  hyperparameters: Record<string, unknown>;

  @Column({ type: 'jsonb', nullable: true })
  dataset: TrainingDataset | null;

  /** Evaluation results: metric name → finite number. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  metrics: Record<string, number>;

  @Column({ name: 'artifact_uri', type: 'text', nullable: true })
  artifactUri: string | null;

  /** The run's id in the user's pipeline or MLflow. */
  @Column({ name: 'external_run_id', type: 'text', nullable: true })
  externalRunId: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'queued_at', type: 'timestamptz' })
  queuedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** The last heartbeat or update: an automated run's lease runs from here (see the retrain policy's timeouts). */
  @Column({ name: 'last_heartbeat_at', type: 'timestamptz', nullable: true })
  lastHeartbeatAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
