import { Injectable } from '@nestjs/common';
import { AbTestLifecycleService } from 'src/ab-tests/ab-test-lifecycle.service';
import { toAnalysisInput } from 'src/ab-tests/ab-test-results.service';
import { AbTestRecord, AbTestsRepository } from 'src/ab-tests/ab-tests.repository';
import { AbTestRolloutRecord, AbTestRolloutsRepository, type RunningRolloutKey } from 'src/ab-tests/ab-test-rollouts.repository';
import { AbTestInputError, type AbTestSrm } from 'src/ab-tests/ab-test.stats';
import { validateAbTestAnalysisInput } from 'src/ab-tests/ab-test-validation.policy';
import { AbTestErrors } from 'src/ab-tests/ab-tests.errors';
import { AbTestRolloutDto, AbTestRolloutEvaluationDto, mapRolloutEvent, RolloutGuardrailDto } from 'src/ab-tests/dto/ab-test-rollout.dto';
import { analyzeMetrics, checkGuardrail } from 'src/ab-tests/multi-metric.stats';
import { sampleRatioMismatch } from 'src/ab-tests/planning.stats';
import { AbTestRolloutTransitions, type RolloutTransition } from 'src/ab-tests/ab-test-rollout-transitions.service';
import { decideRollout, type RolloutDecision, rolloutTransition, type RolloutState } from 'src/ab-tests/rollout.policy';
import { Clock } from 'src/common/clock';
import type { Transaction } from 'src/database/transaction';

export interface RolloutEvaluation {
  decision: RolloutDecision | null;
  transition: RolloutTransition | null;
}

/**
 * What the decision reads from a stored rollout: the step's own counts, SRM over the rollout's counts (the weights
 * stay fixed while the coverage grows, and GrowthBook's bucket ranges keep every unit in its variant as it grows),
 * and each guardrail's always-valid relative confidence sequence for the challenger.
 */
function readRollout(
  test: AbTestRecord,
  rollout: AbTestRolloutRecord,
  now: Date,
): { state: RolloutState; guardrails: RolloutGuardrailDto[]; srm: AbTestSrm } {
  const counts = test.variants.map((variant) => variant.count);
  const srm = sampleRatioMismatch(
    counts,
    test.variants.map((variant) => variant.weight),
  );
  const guardrails = guardrailReadings(test);
  return {
    guardrails,
    srm,
    state: {
      steps: rollout.steps,
      stepIndex: rollout.stepIndex,
      stepStartedAt: rollout.stepStartedAt,
      now,
      minStepDurationMs: rollout.minStepDurationSeconds * 1000,
      minSamplesPerStep: rollout.minSamplesPerStep,
      stepCounts: [counts[0] - rollout.stepStartCounts[0], counts[1] - rollout.stepStartCounts[1]],
      noTrafficAfterMs: rollout.noTrafficAfterSeconds * 1000,
      srmDetected: srm.detected,
      guardrails,
    },
  };
}

function guardrailReadings(test: AbTestRecord): RolloutGuardrailDto[] {
  if (!test.metrics.some((metric) => metric.role === 'guardrail')) return [];
  const input = toAnalysisInput(test);
  const problems = validateAbTestAnalysisInput(input);
  if (problems.length > 0) throw new AbTestInputError(problems);
  return analyzeMetrics(input, test.metrics, test.correctionScope)
    .metrics.filter((metric) => metric.role === 'guardrail' && metric.tolerance !== null)
    .map((metric) => {
      const comparison = metric.analysis.comparisons[0];
      const low = comparison.sequentialRelativeCiLow ?? null;
      const high = comparison.sequentialRelativeCiHigh ?? null;
      const tolerance = metric.tolerance as number;
      return {
        name: metric.name,
        direction: metric.direction,
        tolerance,
        sequentialRelativeCiLow: low,
        sequentialRelativeCiHigh: high,
        failed: checkGuardrail(low, high, metric.direction, tolerance).failed,
      };
    });
}

/** Safe rollouts' storage side: reading a rollout and applying the rule's decision in the caller's transaction. */
@Injectable()
export class AbTestRolloutService {
  constructor(
    private readonly lifecycle: AbTestLifecycleService,
    private readonly tests: AbTestsRepository,
    private readonly rollouts: AbTestRolloutsRepository,
    private readonly transitions: AbTestRolloutTransitions,
    private readonly clock: Clock,
  ) {}

  async get(testId: string, transaction?: Transaction): Promise<AbTestRolloutDto> {
    const test = await this.lifecycle.getOrFail(testId, transaction);
    return this.describe(test, await this.getOrFail(test, transaction), transaction);
  }

  listRunning(after: RunningRolloutKey | null, limit: number): Promise<RunningRolloutKey[]> {
    return this.rollouts.listRunning(after, limit);
  }

  /** The version the latest promoted rollout of the model put in place, if any. */
  findLatestPromotedVersion(modelId: string, transaction?: Transaction): Promise<string | null> {
    return this.rollouts.findLatestPromotedVersion(modelId, transaction);
  }

  /**
   * Locks the test row (FOR NO KEY UPDATE: observation batches and other evaluators wait), reads the rollout under
   * the lock and applies the decision. Two instances evaluating at once are serialised; the second reads the step
   * the first just started and holds. A rollout that has ended is not evaluated again.
   */
  async evaluate(testId: string, transaction: Transaction): Promise<RolloutEvaluation> {
    const status = await this.tests.lockStatus(testId, transaction);
    const test = await this.lifecycle.getOrFail(testId, transaction);
    const rollout = await this.getOrFail(test, transaction);
    if (status !== 'running' || rollout.outcome !== null) return { decision: null, transition: null };
    const now = this.clock.now();
    const decision = decideRollout(readRollout(test, rollout, now).state);
    if (decision.action === 'hold') return { decision, transition: null };
    const counts = test.variants.map((variant) => variant.count);
    const [champion, challenger] = test.variants;
    const { kind } = rolloutTransition(decision);
    const stepIndex = decision.action === 'advance' ? decision.stepIndex : rollout.stepIndex;
    if (decision.action === 'advance') {
      await this.rollouts.advance(testId, { stepIndex, coverage: decision.coverage, startedAt: now, startCounts: counts }, transaction);
    } else {
      const promoted = decision.action === 'promote';
      await this.rollouts.finish(testId, promoted ? 'promoted' : 'rolled_back', now, transaction);
      await this.tests.complete(
        testId,
        {
          winner: promoted ? challenger.name : champion.name,
          conclusion: promoted
            ? `Promoted: the ramp completed with every guardrail passing.`
            : `Rolled back (${decision.reason}): ${decision.detail}`,
          endedAt: now,
        },
        transaction,
      );
    }
    const reason = decision.action === 'rollback' ? decision.reason : null;
    const detail = decision.action === 'rollback' ? decision.detail : null;
    const transition = await this.transitions.record(test, rollout, { kind, stepIndex, reason, detail }, now, transaction);
    return { decision, transition };
  }

  /** The evaluation's answer: its decision and the rollout as it stands after it. */
  async describeEvaluation(testId: string, evaluation: RolloutEvaluation): Promise<AbTestRolloutEvaluationDto> {
    const decision = evaluation.decision;
    return {
      action: decision?.action ?? null,
      reason: decision && 'reason' in decision ? decision.reason : null,
      rollout: await this.get(testId),
    };
  }

  private async describe(test: AbTestRecord, rollout: AbTestRolloutRecord, transaction?: Transaction): Promise<AbTestRolloutDto> {
    const { state, guardrails, srm } = readRollout(test, rollout, this.clock.now());
    const counts = test.variants.map((variant) => variant.count);
    const variant = (index: 0 | 1) => ({
      name: test.variants[index].name,
      modelVersion: test.variants[index].modelVersion,
      stepCount: state.stepCounts[index],
      count: counts[index],
    });
    return {
      testId: test.id,
      modelId: test.modelId,
      state: rollout.outcome ?? (test.status === 'running' ? 'ramping' : 'stopped'),
      outcome: rollout.outcome,
      steps: rollout.steps,
      stepIndex: rollout.stepIndex,
      coverage: test.coverage,
      stepStartedAt: rollout.stepStartedAt.toISOString(),
      minStepDurationSeconds: rollout.minStepDurationSeconds,
      minSamplesPerStep: rollout.minSamplesPerStep,
      noTrafficAfterSeconds: rollout.noTrafficAfterSeconds,
      endedAt: rollout.endedAt?.toISOString() ?? null,
      trainingRunId: rollout.trainingRunId,
      champion: variant(0),
      challenger: variant(1),
      guardrails,
      srm: { pValue: srm.pValue, detected: srm.detected },
      events: (await this.rollouts.listEvents(test.id, transaction)).map(mapRolloutEvent),
    };
  }

  private async getOrFail(test: AbTestRecord, transaction?: Transaction): Promise<AbTestRolloutRecord> {
    const rollout = test.mode === 'rollout' ? await this.rollouts.find(test.id, transaction) : null;
    if (!rollout) throw AbTestErrors.AB_TEST_ROLLOUT_NOT_FOUND(`A/B test "${test.name}" is not a rollout.`, { testId: test.id });
    return rollout;
  }
}
