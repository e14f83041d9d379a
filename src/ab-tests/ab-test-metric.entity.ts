import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AbTestEntity } from 'src/ab-tests/ab-test.entity';
import { bigintAsNumber } from 'src/ab-tests/ab-test-variant.entity';
import { METRIC_DIRECTIONS, METRIC_ROLES, METRIC_TYPES } from 'src/ab-tests/multi-metric.stats';

/** One metric of a multi-metric test (a single-metric test has none: its metric lives on the test row). */
@Entity({ name: 'model_ab_test_metrics' })
@Index('uq_model_ab_test_metrics_name', ['testId', 'name'], { unique: true })
@Check('ck_model_ab_test_metrics_covariate', `NOT ("covariate" AND "type" = 'ratio')`)
@Check('ck_model_ab_test_metrics_tolerance', `("role" = 'guardrail') = ("tolerance" IS NOT NULL)`)
export class AbTestMetricEntity {
  @PrimaryColumn({ name: 'test_id', type: 'uuid' })
  testId: string;

  @PrimaryColumn({ type: 'smallint' })
  position: number;

  @ManyToOne(() => AbTestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'test_id', foreignKeyConstraintName: 'fk_model_ab_test_metrics_test' })
  test?: AbTestEntity;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'enum', enum: METRIC_ROLES, enumName: 'ab_test_metric_role' })
  role: (typeof METRIC_ROLES)[number];

  @Column({ type: 'enum', enum: METRIC_TYPES, enumName: 'ab_test_metric_kind' })
  type: (typeof METRIC_TYPES)[number];

  @Column({ type: 'enum', enum: METRIC_DIRECTIONS, enumName: 'ab_test_metric_direction' })
  direction: (typeof METRIC_DIRECTIONS)[number];

  @Column({ type: 'double precision', nullable: true })
  tolerance: number | null;

  /** CUPED: units carry a pre-experiment covariate, summed in the stats row's paired columns. */
  @Column({ type: 'boolean', default: false })
  covariate: boolean;
}

/** One metric's running sufficient statistics in one variant, updated by atomic increments like the variants'. */
@Entity({ name: 'model_ab_test_metric_stats' })
export class AbTestMetricStatsEntity {
  @PrimaryColumn({ name: 'test_id', type: 'uuid' })
  testId: string;

  @PrimaryColumn({ name: 'metric_position', type: 'smallint' })
  metricPosition: number;

  @PrimaryColumn({ name: 'variant_position', type: 'smallint' })
  variantPosition: number;

  @ManyToOne(() => AbTestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'test_id', foreignKeyConstraintName: 'fk_model_ab_test_metric_stats_test' })
  test?: AbTestEntity;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  count: number;

  @Column({ type: 'double precision', default: 0 })
  sum: number;

  @Column({ name: 'sum_squares', type: 'double precision', default: 0 })
  sumSquares: number;

  @Column({ name: 'centered_sum_squares', type: 'double precision', default: 0 })
  centeredSumSquares: number;

  /** The unit's second value: ratio metrics Σd, Σd², Σm·d; CUPED metrics Σx, Σx², Σx·y of the covariate (0 otherwise). */
  @Column({ name: 'denominator_sum', type: 'double precision', default: 0 })
  denominatorSum: number;

  @Column({ name: 'denominator_sum_squares', type: 'double precision', default: 0 })
  denominatorSumSquares: number;

  @Column({ name: 'sum_products', type: 'double precision', default: 0 })
  sumProducts: number;
}
