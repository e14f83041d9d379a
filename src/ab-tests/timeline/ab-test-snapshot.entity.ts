import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AbTestEntity } from 'src/ab-tests/ab-test.entity';
import { bigintAsNumber } from 'src/ab-tests/ab-test-variant.entity';

/**
 * A counter row as an observation batch left it: written by the same statement that adds the batch to the
 * variant's (or metric's) counters, so the history and the counters cannot disagree. The cumulative lift over time
 * replays these; the newest snapshot of every row is exactly the counters the results read. Observations recorded
 * before snapshots existed appear as one snapshot per row at the time of the migration that added the table.
 */
@Entity({ name: 'model_ab_test_snapshots' })
@Index('ix_model_ab_test_snapshots_test', ['testId', 'id'])
export class AbTestSnapshotEntity {
  /** Batches of one test are serialised by the test row lock, so within a test this is the order they applied in. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'test_id', type: 'uuid' })
  testId: string;

  @ManyToOne(() => AbTestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'test_id', foreignKeyConstraintName: 'fk_model_ab_test_snapshots_test' })
  test?: AbTestEntity;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  /** null: the variant's own counters (model_ab_test_variants); else the metric's (model_ab_test_metric_stats). */
  @Column({ name: 'metric_position', type: 'smallint', nullable: true })
  metricPosition: number | null;

  @Column({ name: 'variant_position', type: 'smallint' })
  variantPosition: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  count: number;

  @Column({ type: 'double precision' })
  sum: number;

  @Column({ name: 'sum_squares', type: 'double precision' })
  sumSquares: number;

  @Column({ name: 'centered_sum_squares', type: 'double precision' })
  centeredSumSquares: number;

  /** Metric rows only (null for the variants' own counters). */
  @Column({ name: 'denominator_sum', type: 'double precision', nullable: true })
  denominatorSum: number | null;

  @Column({ name: 'denominator_sum_squares', type: 'double precision', nullable: true })
  denominatorSumSquares: number | null;

  @Column({ name: 'sum_products', type: 'double precision', nullable: true })
  sumProducts: number | null;
}
