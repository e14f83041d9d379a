import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

/** A model's data-quality reference window and alert thresholds; a model without a row uses DEFAULT_QUALITY_THRESHOLDS. */
@Entity({ name: 'model_data_quality_settings' })
export class DataQualitySettingsEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_data_quality_settings' })
  modelId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_data_quality_settings_model' })
  model?: ModelEntity;

  @Column({ name: 'reference_from', type: 'timestamptz', nullable: true })
  referenceFrom: Date | null;

  @Column({ name: 'reference_to', type: 'timestamptz', nullable: true })
  referenceTo: Date | null;

  /** The environment the window was learned from, and that the periodic evaluation reads. */
  @Column({ type: 'text', default: 'production' })
  environment: string;

  @Column({ name: 'missing_share', type: 'double precision' })
  missingShare: number;

  @Column({ name: 'out_of_range_share', type: 'double precision' })
  outOfRangeShare: number;

  @Column({ name: 'unseen_category_share', type: 'double precision' })
  unseenCategoryShare: number;

  @Column({ name: 'type_mismatch_share', type: 'double precision' })
  typeMismatchShare: number;

  @Column({ name: 'window_minutes', type: 'integer' })
  windowMinutes: number;

  @Column({ name: 'min_count', type: 'integer' })
  minCount: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
