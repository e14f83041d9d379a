import { randomUUID } from 'node:crypto';
import { describeAuditedChange } from 'src/common/http/request-context';
import { Injectable } from '@nestjs/common';
import { definitionProblems } from 'src/ab-tests/ab-test-input.policy';
import { normalizeWeights } from 'src/ab-tests/ab-test-assignment.policy';
import type { AbTestInputProblem, AbTestMetricType } from 'src/ab-tests/ab-test.stats';
import { type MetricDefinition, metricDefinitionProblems } from 'src/ab-tests/multi-metric.stats';
import { DEFAULT_SEQUENTIAL_TUNING_PARAMETER } from 'src/ab-tests/sequential.stats';
import { type AbTestStatus } from 'src/ab-tests/ab-test.entity';
import { AbTestErrors } from 'src/ab-tests/ab-tests.errors';
import { AbTestRecord, AbTestsRepository } from 'src/ab-tests/ab-tests.repository';
import { AbTestRolloutRecord, AbTestRolloutsRepository } from 'src/ab-tests/ab-test-rollouts.repository';
import { AbTestRolloutTransitions } from 'src/ab-tests/ab-test-rollout-transitions.service';
import { DEFAULT_RAMP_STEPS, ROLLOUT_DEFAULTS, rolloutStartProblems } from 'src/ab-tests/rollout.policy';
import { AbTestDto, AbTestPageDto, ListAbTestsQueryDto, mapAbTest, StartAbTestDto, StopAbTestDto } from 'src/ab-tests/dto/ab-test.dto';
import { Clock } from 'src/common/clock';
import { invalidField, invalidFields } from 'src/common/errors/domain-error';
import { decodeTimeCursor, timeCursorKey, toPage } from 'src/common/pagination/cursor';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { ModelsService } from 'src/models/models.service';

/** Defaults of the start request (the brief's contract). */
const DEFAULTS = {
  alpha: 0.05,
  power: 0.8,
  minimumDetectableEffect: 0.05,
  sequential: false,
  minSamplesPerVariant: 100,
  coverage: 1,
  analysis: 'relative',
  engine: 'frequentist',
  sequentialTuningParameter: DEFAULT_SEQUENTIAL_TUNING_PARAMETER,
} as const;

/** The metrics of a multi-metric start request with their defaults (empty for a single-metric test). */
function metricDefinitions(input: StartAbTestDto): MetricDefinition[] {
  return (input.metrics ?? []).map((metric) => ({
    name: metric.name,
    role: metric.role,
    type: metric.type,
    direction: metric.direction ?? 'higher_is_better',
    tolerance: metric.tolerance ?? null,
    covariate: metric.covariate ?? false,
  }));
}

/** Rules between the single-metric fields and `metrics`. */
function startProblems(input: StartAbTestDto, metrics: MetricDefinition[]): AbTestInputProblem[] {
  if (metrics.length === 0) {
    return input.primaryMetric === undefined ? [{ field: 'primaryMetric', message: 'is required unless metrics is given' }] : [];
  }
  const problems = metricDefinitionProblems(metrics);
  const primary = metrics.find((metric) => metric.role === 'primary');
  if (input.primaryMetric !== undefined && primary && input.primaryMetric !== primary.name) {
    problems.push({ field: 'primaryMetric', message: `must name the primary metric "${primary.name}" (or be omitted)` });
  }
  if (input.metricType !== undefined) problems.push({ field: 'metricType', message: 'is given by the metrics; omit it' });
  return problems;
}

/** A start request's settings with their defaults, and every problem with it (nothing is written when there is one). */
function planStart(input: StartAbTestDto) {
  const mode = input.mode ?? 'experiment';
  const steps = input.rollout?.steps ?? DEFAULT_RAMP_STEPS;
  const weights = normalizeWeights(input.variants.map((variant) => variant.weight));
  const metrics = metricDefinitions(input);
  const primary = metrics.find((metric) => metric.role === 'primary');
  const definition = {
    // A multi-metric test keeps its primary metric in the single-metric columns too (the seed system's view).
    metricType: (primary ? (primary.type === 'binomial' ? 'binary' : 'continuous') : input.metricType) as AbTestMetricType,
    alpha: input.alpha ?? DEFAULTS.alpha,
    power: input.power ?? DEFAULTS.power,
    minimumDetectableEffect: input.minimumDetectableEffect ?? DEFAULTS.minimumDetectableEffect,
    baselineRate: input.baselineRate ?? null,
    baselineMean: input.baselineMean ?? null,
    baselineStdDev: input.baselineStdDev ?? null,
    sequential: mode === 'rollout' ? true : (input.sequential ?? DEFAULTS.sequential),
    minSamplesPerVariant: input.minSamplesPerVariant ?? DEFAULTS.minSamplesPerVariant,
    analysis: input.analysis ?? DEFAULTS.analysis,
    engine: input.engine ?? DEFAULTS.engine,
    sequentialTuningParameter: input.sequentialTuningParameter ?? DEFAULTS.sequentialTuningParameter,
    prior: input.prior ? { mean: input.prior.mean, variance: input.prior.variance } : null,
    variants: input.variants.map((variant, index) => ({
      name: variant.name,
      modelVersion: variant.modelVersion ?? null,
      weight: weights[index],
    })),
  };
  const problems = [
    ...startProblems(input, metrics),
    ...definitionProblems(definition),
    ...rolloutStartProblems({ ...input, mode, variantCount: input.variants.length }),
  ];
  return { mode, steps, metrics, primary, definition, problems };
}

/** Starting, reading, listing and stopping tests; the one place that answers AB_TEST_NOT_FOUND. */
const AUDIT_KIND = 'ab-test';

@Injectable()
export class AbTestLifecycleService {
  constructor(
    private readonly tests: AbTestsRepository,
    private readonly rollouts: AbTestRolloutsRepository,
    private readonly transitions: AbTestRolloutTransitions,
    private readonly models: ModelsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * Starts a test; in mode `rollout` also its ramp at the first step (its coverage), with a `started` event. The
   * training run is recorded when the retrain coordinator starts the rollout of a run's candidate.
   */
  async start(input: StartAbTestDto, origin: { trainingRunId?: string } = {}): Promise<AbTestDto> {
    const { mode, steps, metrics, primary, definition, problems } = planStart(input);
    if (problems.length > 0) throw invalidFields(problems);
    // The id is made here so that it can be the default hash seed (assignment needs no database round trip).
    const id = randomUUID();
    const now = this.clock.now();
    return this.transactions.run(async (transaction) => {
      await this.models.getSummary(input.modelId, transaction);
      const { variants, prior, ...settings } = definition;
      await this.tests.insert(
        {
          ...settings,
          coverage: mode === 'rollout' ? steps[0] : (input.coverage ?? DEFAULTS.coverage),
          mode,
          correctionScope: input.correctionScope ?? 'variants',
          priorMean: prior?.mean ?? null,
          priorVariance: prior?.variance ?? null,
          id,
          name: input.name,
          modelId: input.modelId,
          primaryMetric: primary?.name ?? (input.primaryMetric as string),
          description: input.description ?? null,
          hypothesis: input.hypothesis ?? null,
          hashSeed: input.hashSeed ?? id,
          startedAt: now,
        },
        variants,
        metrics,
        transaction,
      );
      const rollout =
        mode === 'rollout' ? await this.startRamp(id, input, [...steps], now, origin.trainingRunId ?? null, transaction) : null;
      const record = await this.getOrFail(id, transaction);
      if (rollout) await this.transitions.record(record, rollout, { kind: 'started', stepIndex: 0 }, now, transaction);
      const created = mapAbTest(record);
      describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: id, before: null, after: created });
      return created;
    });
  }

  /** The problems a start request would be refused with (for requests kept to be started later, as rolloutOnRetrain). */
  startProblems(input: StartAbTestDto): AbTestInputProblem[] {
    return planStart(input).problems;
  }

  private async startRamp(
    testId: string,
    input: StartAbTestDto,
    steps: number[],
    now: Date,
    trainingRunId: string | null,
    transaction: Transaction,
  ): Promise<AbTestRolloutRecord> {
    const rollout: AbTestRolloutRecord = {
      testId,
      steps,
      stepIndex: 0,
      stepStartedAt: now,
      stepStartCounts: input.variants.map(() => 0),
      minStepDurationSeconds: input.rollout?.minStepDurationSeconds ?? ROLLOUT_DEFAULTS.minStepDurationSeconds,
      minSamplesPerStep: input.rollout?.minSamplesPerStep ?? ROLLOUT_DEFAULTS.minSamplesPerStep,
      noTrafficAfterSeconds: input.rollout?.noTrafficAfterSeconds ?? ROLLOUT_DEFAULTS.noTrafficAfterSeconds,
      outcome: null,
      endedAt: null,
      trainingRunId,
    };
    await this.rollouts.insert(rollout, transaction);
    return rollout;
  }

  async get(id: string): Promise<AbTestDto> {
    return mapAbTest(await this.getOrFail(id));
  }

  async list(query: ListAbTestsQueryDto): Promise<AbTestPageDto> {
    const after = decodeTimeCursor(query.cursor, 'startedAt');
    if (query.modelId !== undefined) await this.models.getSummary(query.modelId);
    const rows = await this.tests.list({
      status: query.status,
      modelId: query.modelId,
      after: after ? { startedAt: after.at, id: after.id } : undefined,
      limit: query.limit,
    });
    return toPage(rows, query.limit, mapAbTest, (test) => timeCursorKey('startedAt', test.startedAt, test.id));
  }

  /**
   * Completes the test: its counters are frozen from here on (observations are refused), so are its results. A
   * rollout still ramping ends there too: a `stopped` transition, announced like the others.
   */
  stop(id: string, input: StopAbTestDto): Promise<AbTestDto> {
    return this.transactions.run(async (transaction) => {
      const test = await this.getOrFail(id, transaction);
      await this.lockRunning(test, transaction);
      const winner = input.winner ?? null;
      if (winner !== null && !test.variants.some((variant) => variant.name === winner)) {
        const names = test.variants.map((variant) => variant.name).join(', ');
        throw invalidField('winner', `is not a variant of this test (variants: ${names})`);
      }
      const now = this.clock.now();
      await this.tests.complete(id, { winner, conclusion: input.conclusion ?? null, endedAt: now }, transaction);
      const record = await this.getOrFail(id, transaction);
      const rollout = test.mode === 'rollout' ? await this.rollouts.find(id, transaction) : null;
      if (rollout && rollout.outcome === null) {
        const change = { kind: 'stopped', stepIndex: rollout.stepIndex, detail: input.conclusion ?? null } as const;
        await this.transitions.record(record, rollout, change, now, transaction);
      }
      const stopped = mapAbTest(record);
      describeAuditedChange({ resourceType: AUDIT_KIND, resourceId: id, before: mapAbTest(test), after: stopped });
      return stopped;
    });
  }

  /**
   * Locks the test row until the transaction ends and requires the test to be running (else AB_TEST_NOT_RUNNING).
   * Writers that depend on the status go through here, so a concurrent stop either waits for them or is seen by them.
   */
  async lockRunning(test: AbTestRecord, transaction: Transaction): Promise<void> {
    const status = await this.tests.lockStatus(test.id, transaction);
    // Deleted since it was read (its model was force-deleted): getOrFail answers the 404.
    if (status === null) await this.getOrFail(test.id, transaction);
    this.requireRunning(test, status ?? test.status);
  }

  requireRunning(test: AbTestRecord, status: AbTestStatus = test.status): void {
    if (status !== 'running') {
      throw AbTestErrors.AB_TEST_NOT_RUNNING(`A/B test "${test.name}" is ${status}.`, { testId: test.id, status });
    }
  }

  async getOrFail(id: string, transaction?: Transaction): Promise<AbTestRecord> {
    const test = await this.tests.findById(id, transaction);
    if (!test) throw AbTestErrors.AB_TEST_NOT_FOUND(`No A/B test with id ${id}.`, { testId: id });
    return test;
  }
}
