import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AbTestEntity } from 'src/ab-tests/ab-test.entity';

/** bigint arrives from pg as a string; counts stay far below 2^53, so a JS number is exact. */
export const bigintAsNumber = { to: (value: number) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

/**
 * One arm of a test with its running sufficient statistics (n, Σx, Σx², Σ(x − x̄)²), updated by atomic increments
 * (count = count + n) so concurrent posters never lose an update. Position 0 is the control.
 */
@Entity({ name: 'model_ab_test_variants' })
@Index('uq_model_ab_test_variants_name', ['testId', 'name'], { unique: true })
@Check('ck_model_ab_test_variants_weight', '"weight" > 0')
@Check('ck_model_ab_test_variants_count', '"count" >= 0')
export class AbTestVariantEntity {
  @PrimaryColumn({ name: 'test_id', type: 'uuid' })
  testId: string;

  @PrimaryColumn({ type: 'smallint' })
  position: number;

  @ManyToOne(() => AbTestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'test_id', foreignKeyConstraintName: 'fk_model_ab_test_variants_test' })
  test?: AbTestEntity;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'model_version', type: 'text', nullable: true })
  modelVersion: string | null;

  /** Normalised traffic share (the weights of a test sum to 1). */
  @Column({ type: 'double precision' })
  weight: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  count: number;

  @Column({ type: 'double precision', default: 0 })
  sum: number;

  @Column({ name: 'sum_squares', type: 'double precision', default: 0 })
  sumSquares: number;

  /**
   * Σ(x − x̄)², merged per batch with Chan's pairwise update in the same atomic UPDATE. The variance is read from it:
   * Σx² − (Σx)²/n cancels catastrophically when |x̄| ≫ s (e.g. mean 10⁶, sd 1), this does not.
   */
  @Column({ name: 'centered_sum_squares', type: 'double precision', default: 0 })
  centeredSumSquares: number;
}
