import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

/** When the coordinator may retrain a model on its own, and where to tell the user's training pipeline. */
@Entity({ name: 'model_retrain_policies' })
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

  /** HMAC secret for the webhook signature; never returned by the API. */
  @Column({ name: 'webhook_secret', type: 'text', nullable: true })
  webhookSecret: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
