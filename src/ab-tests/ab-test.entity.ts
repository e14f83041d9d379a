import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CORRECTION_SCOPES } from 'src/ab-tests/multi-metric.stats';
import { ModelEntity } from 'src/models/model.entity';

export const AB_TEST_METRIC_TYPES = ['binary', 'continuous'] as const;
export const AB_TEST_STATUSES = ['running', 'completed'] as const;
export const AB_TEST_ANALYSES = ['relative', 'absolute'] as const;
export const AB_TEST_ENGINES = ['frequentist', 'bayesian'] as const;
/** `experiment`: a champion/challenger test; `rollout`: a guarded ramp of the challenger (model_ab_test_rollouts). */
export const AB_TEST_MODES = ['experiment', 'rollout'] as const;
export type AbTestMode = (typeof AB_TEST_MODES)[number];
export type AbTestStatus = (typeof AB_TEST_STATUSES)[number];

/**
 * One champion/challenger experiment on a model (the seed system's table name). Results are computed from the
 * variants' sufficient statistics (model_ab_test_variants), never from raw events: none are stored.
 */
@Entity({ name: 'model_ab_tests' })
@Index('ix_model_ab_tests_started', ['startedAt', 'id'])
@Index('ix_model_ab_tests_model_started', ['modelId', 'startedAt', 'id'])
@Check('ck_model_ab_tests_alpha', '"alpha" > 0 AND "alpha" < 1')
@Check('ck_model_ab_tests_power', '"power" > 0 AND "power" < 1')
@Check('ck_model_ab_tests_ended', `("status" = 'completed') = ("ended_at" IS NOT NULL)`)
@Check('ck_model_ab_tests_coverage', '"coverage" > 0 AND "coverage" <= 1')
@Check(
  'ck_model_ab_tests_prior',
  '("prior_mean" IS NULL) = ("prior_variance" IS NULL) AND ("prior_variance" IS NULL OR "prior_variance" > 0)',
)
export class AbTestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_ab_tests_model' })
  model?: ModelEntity;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', nullable: true })
  hypothesis: string | null;

  @Column({ name: 'primary_metric', type: 'text' })
  primaryMetric: string;

  @Column({ name: 'metric_type', type: 'enum', enum: AB_TEST_METRIC_TYPES, enumName: 'ab_test_metric_type' })
  metricType: (typeof AB_TEST_METRIC_TYPES)[number];

  @Column({ type: 'double precision' })
  alpha: number;

  @Column({ type: 'double precision' })
  power: number;

  @Column({ name: 'minimum_detectable_effect', type: 'double precision' })
  minimumDetectableEffect: number;

  @Column({ name: 'baseline_rate', type: 'double precision', nullable: true })
  baselineRate: number | null;

  @Column({ name: 'baseline_mean', type: 'double precision', nullable: true })
  baselineMean: number | null;

  @Column({ name: 'baseline_std_dev', type: 'double precision', nullable: true })
  baselineStdDev: number | null;

  @Column({ name: 'hash_seed', type: 'text' })
  hashSeed: string;

  @Column({ type: 'boolean', default: false })
  sequential: boolean;

  @Column({ name: 'min_samples_per_variant', type: 'integer' })
  minSamplesPerVariant: number;

  /** GrowthBook coverage: the share of units in the test; the others are reported as not in it. */
  @Column({ type: 'double precision', default: 1 })
  coverage: number;

  @Column({ type: 'enum', enum: AB_TEST_ANALYSES, enumName: 'ab_test_analysis', default: 'relative' })
  analysis: (typeof AB_TEST_ANALYSES)[number];

  @Column({ type: 'enum', enum: AB_TEST_ENGINES, enumName: 'ab_test_engine', default: 'frequentist' })
  engine: (typeof AB_TEST_ENGINES)[number];

  @Column({ name: 'sequential_tuning_parameter', type: 'double precision', default: 5000 })
  sequentialTuningParameter: number;

  /** Proper Gaussian prior on the effect (Bayesian engine); both null: the improper flat prior. */
  @Column({ name: 'prior_mean', type: 'double precision', nullable: true })
  priorMean: number | null;

  @Column({ name: 'prior_variance', type: 'double precision', nullable: true })
  priorVariance: number | null;

  /** Multi-metric tests: Holm over the treatments of each metric, or over every primary and secondary comparison. */
  @Column({ name: 'correction_scope', type: 'enum', enum: CORRECTION_SCOPES, enumName: 'ab_test_correction_scope', default: 'variants' })
  correctionScope: (typeof CORRECTION_SCOPES)[number];

  @Column({ type: 'enum', enum: AB_TEST_MODES, enumName: 'ab_test_mode', default: 'experiment' })
  mode: AbTestMode;

  @Column({ type: 'enum', enum: AB_TEST_STATUSES, enumName: 'ab_test_status', default: 'running' })
  status: AbTestStatus;

  @Column({ type: 'text', nullable: true })
  winner: string | null;

  @Column({ type: 'text', nullable: true })
  conclusion: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
