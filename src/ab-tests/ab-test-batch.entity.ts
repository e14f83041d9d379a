import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AbTestEntity } from 'src/ab-tests/ab-test.entity';

/**
 * The batchIds already applied to a test. Inserted ON CONFLICT DO NOTHING in the same transaction as the counter
 * increments, so a repeated batchId is ignored atomically, also when two copies arrive at the same time.
 */
@Entity({ name: 'model_ab_test_batches' })
export class AbTestBatchEntity {
  @PrimaryColumn({ name: 'test_id', type: 'uuid' })
  testId: string;

  @PrimaryColumn({ name: 'batch_id', type: 'text' })
  batchId: string;

  @ManyToOne(() => AbTestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'test_id', foreignKeyConstraintName: 'fk_model_ab_test_batches_test' })
  test?: AbTestEntity;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
