import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ReferenceFeatureDisplay } from 'src/drift/reference-sample';
import { ModelEntity } from 'src/models/model.entity';

export enum FeatureKind {
  Numerical = 'numerical',
  Categorical = 'categorical',
}

/**
 * One reference feature, stored compactly: a numerical feature as its cleaned values sorted ascending in a float8[]
 * (sorted once at upload, so every check reuses the order); a categorical one as its distinct categories with their
 * counts (every categorical drift test only needs counts). Raw values never leave the database.
 */
@Entity({ name: 'model_reference_features' })
@Check(
  'ck_model_reference_features_storage',
  `(type = 'numerical' AND numeric_values IS NOT NULL) OR (type = 'categorical' AND categories IS NOT NULL AND category_counts IS NOT NULL)`,
)
export class ModelReferenceFeatureEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid' })
  modelId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: ModelEntity;

  @PrimaryColumn({ type: 'text' })
  name: string;

  @Column({ type: 'enum', enum: FeatureKind, enumName: 'drift_feature_type' })
  type: FeatureKind;

  /** Values left after dropping null/NaN/±Infinity. */
  @Column({ type: 'integer' })
  size: number;

  @Column({ name: 'missing_count', type: 'integer' })
  missingCount: number;

  @Column({ name: 'distinct_count', type: 'integer' })
  distinctCount: number;

  /** Numerical only, ascending. Not selected by default: read it through the repository's binary path. */
  @Column({ name: 'numeric_values', type: 'float8', array: true, nullable: true, select: false })
  numericValues?: number[] | null;

  /** Population mean and standard deviation (numerical only), kept so a check need not recompute them. */
  @Column({ type: 'float8', nullable: true })
  mean: number | null;

  @Column({ type: 'float8', nullable: true })
  std: number | null;

  /** Categorical only: distinct categories (canonical string keys) and their counts, same order. */
  @Column({ type: 'text', array: true, nullable: true, select: false })
  categories?: string[] | null;

  @Column({ name: 'category_counts', type: 'integer', array: true, nullable: true, select: false })
  categoryCounts?: number[] | null;

  /** Every category came from a JSON number (so "first in sorted order" is numeric order). */
  @Column({ name: 'numeric_categories', type: 'boolean', default: false })
  numericCategories: boolean;

  /** What GET /models/{id}/reference shows besides the counts (min/max/median or top categories). */
  @Column({ type: 'jsonb' })
  display: ReferenceFeatureDisplay;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
