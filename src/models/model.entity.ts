import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum TaskType {
  BinaryClassification = 'binary_classification',
  MulticlassClassification = 'multiclass_classification',
  Regression = 'regression',
  Ranking = 'ranking',
  Other = 'other',
}

/** The registry every other table hangs off (their model_id foreign keys cascade on a forced delete). */
@Entity({ name: 'models' })
@Check('ck_models_decision_threshold', `"decision_threshold" >= 0 AND "decision_threshold" <= 1`)
export class ModelEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_models_name', { unique: true })
  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'task_type', type: 'enum', enum: TaskType, enumName: 'model_task_type', default: TaskType.Other })
  taskType: TaskType;

  /** Binary classifiers: a logged prediction without predictedLabel is 1 when score ≥ this threshold. */
  @Column({ name: 'decision_threshold', type: 'double precision', default: 0.5 })
  decisionThreshold: number;

  @Index('ix_models_owner')
  @Column({ type: 'text', nullable: true })
  owner: string | null;

  @Index('ix_models_tags', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
