import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

/**
 * What one feature of a model's predictions should look like. A feature may have a `learned` row (from the
 * data-quality reference window) and a `given` one (set explicitly); the given one wins, and relearning never
 * overwrites it.
 */
@Entity({ name: 'model_data_quality_expectations' })
@Check('ck_model_data_quality_expectations_type', `"type" IN ('numerical', 'categorical')`)
@Check('ck_model_data_quality_expectations_source', `"source" IN ('learned', 'given')`)
export class DataQualityExpectationEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_data_quality_expectations' })
  modelId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_data_quality_expectations_model' })
  model?: ModelEntity;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_model_data_quality_expectations' })
  source: 'learned' | 'given';

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_model_data_quality_expectations' })
  feature: string;

  @Column({ type: 'text' })
  type: 'numerical' | 'categorical';

  @Column({ type: 'double precision', nullable: true })
  min: number | null;

  @Column({ type: 'double precision', nullable: true })
  max: number | null;

  /** Allowed categories (their text), sorted; null: not checked. */
  @Column({ type: 'jsonb', nullable: true })
  categories: string[] | null;

  @Column({ type: 'boolean', default: true })
  nullable: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
