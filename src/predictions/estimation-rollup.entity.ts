import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

/**
 * The CBPE statistics of a binary model's predictions in one hour of prediction time, per environment, under the
 * reference fit `fit_id` (estimation-rollup.policy.ts): `sums` holds per predicted class the count and Σ
 * calibrated probability, `histogram` Σ(1 − p) and Σp per score bin, `aucU`/`aucTies` that histogram's Mann–Whitney
 * U and tied pairs (null until a read computes them). A row holds every prediction of its hour: written whole by a
 * read that finds it missing or stale, then kept by the transactions that write predictions.
 */
@Entity({ name: 'model_estimation_rollups' })
export class EstimationRollupEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_estimation_rollups' })
  modelId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_model_estimation_rollups' })
  environment: string;

  @PrimaryColumn({ name: 'bucket_start', type: 'timestamptz', primaryKeyConstraintName: 'pk_model_estimation_rollups' })
  bucketStart: Date;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_estimation_rollups_model' })
  model?: ModelEntity;

  @Column({ name: 'fit_id', type: 'uuid' })
  fitId: string;

  @Column({ type: 'double precision', array: true })
  sums: number[];

  @Column({ type: 'double precision', array: true })
  histogram: number[];

  @Column({ name: 'auc_u', type: 'double precision', nullable: true })
  aucU: number | null;

  @Column({ name: 'auc_ties', type: 'double precision', nullable: true })
  aucTies: number | null;
}
