import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';
import type { RetrainRolloutSettings } from 'src/drift/rollout-on-retrain.policy';

/** When the coordinator may retrain a model on its own, and where to tell the user's training pipeline. */
@Entity({ name: 'model_retrain_policies' })
@Check('ck_model_retrain_policies_timeouts', 'queued_timeout_minutes >= 1 AND running_timeout_minutes >= 1')
@Check('ck_model_retrain_policies_reference_grace', 'reference_grace_minutes >= 0')
export class RetrainPolicyEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid' })
  modelId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ name: 'on_data_drift', type: 'boolean', default: true })
  onDataDrift: boolean;

  @Column({ name: 'on_performance_degradation', type: 'boolean', default: true })
  onPerformanceDegradation: boolean;

  @Column({ name: 'cooldown_minutes', type: 'integer', default: 1440 })
  cooldownMinutes: number;

  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl: string | null;

  /** The webhook signing secret, sealed under SECRETS_KEY; never returned by the API after it was generated. */
  @Column({ name: 'webhook_secret', type: 'text', nullable: true })
  webhookSecret: string | null;

  /** An automated run queued longer than this without a heartbeat or update fails with `timed_out`. */
  @Column({ name: 'queued_timeout_minutes', type: 'integer', default: 60 })
  queuedTimeoutMinutes: number;

  /** An automated run running longer than this since its last heartbeat or update fails with `timed_out`. */
  @Column({ name: 'running_timeout_minutes', type: 'integer', default: 1440 })
  runningTimeoutMinutes: number;

  /** Hold back data_drift / performance_degradation notifications while a training run is queued or running. */
  @Column({ name: 'inhibit_during_retrain', type: 'boolean', default: true })
  inhibitDuringRetrain: boolean;

  /** Hold them back this many minutes after the reference was replaced (0 = off). */
  @Column({ name: 'reference_grace_minutes', type: 'integer', default: 60 })
  referenceGraceMinutes: number;

  /** Start a guarded rollout of the candidate each successful retrain produces (null: off); see RetrainRolloutSettings. */
  @Column({ name: 'rollout_on_retrain', type: 'jsonb', nullable: true })
  rolloutOnRetrain: RetrainRolloutSettings | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
