import { Injectable } from '@nestjs/common';
import { AbTestLifecycleService } from 'src/ab-tests/ab-test-lifecycle.service';
import { AbTestAnalysisInput, AbTestInputError, analyzeAbTest } from 'src/ab-tests/ab-test.stats';
import { validateAbTestAnalysisInput } from 'src/ab-tests/ab-test-validation.policy';
import { analyzeMetrics } from 'src/ab-tests/multi-metric.stats';
import { AbTestRecord } from 'src/ab-tests/ab-tests.repository';
import { AbTestResultsDto, mapAbTestResults, mapMultiMetricResults } from 'src/ab-tests/dto/ab-test-results.dto';

/**
 * The engine's input from a stored test: its settings and the variants' sufficient statistics. Continuous variants
 * pass their directly accumulated Σ(x − x̄)² (precise when |x̄| ≫ s); binary sums are exact integers already.
 */
export function toAnalysisInput(test: AbTestRecord): AbTestAnalysisInput {
  const variants = test.variants.map(({ centeredSumSquares, ...variant }) =>
    test.metricType === 'continuous' ? { ...variant, sumSquares: atLeastCauchySchwarz(variant), centeredSumSquares } : variant,
  );
  const prior = test.priorMean !== null && test.priorVariance !== null ? { mean: test.priorMean, variance: test.priorVariance } : null;
  return { ...test, prior, variants };
}

/**
 * Σx² ≥ (Σx)²/n holds for real data; adding many batches in floating point can undershoot it by a few ulps, which
 * is a variance of exactly 0, not an invalid input.
 */
function atLeastCauchySchwarz(variant: { count: number; sum: number; sumSquares: number }): number {
  return variant.count > 0 ? Math.max(variant.sumSquares, (variant.sum * variant.sum) / variant.count) : variant.sumSquares;
}

/**
 * The results of a test from its counters: the one analysis behind GET /results and every point of the cumulative
 * lift (which passes the counters as they stood at that time).
 */
export function analyzeAbTestRecord(test: AbTestRecord): AbTestResultsDto {
  const input = toAnalysisInput(test);
  if (test.metrics.length === 0) return mapAbTestResults(test, analyzeAbTest(input));
  const problems = validateAbTestAnalysisInput(input);
  if (problems.length > 0) throw new AbTestInputError(problems);
  return mapMultiMetricResults(test, analyzeMetrics(input, test.metrics, test.correctionScope));
}

/** Results are computed from the variants' counters (O(variants), whatever the number of observations). */
@Injectable()
export class AbTestResultsService {
  constructor(private readonly lifecycle: AbTestLifecycleService) {}

  async getResults(testId: string): Promise<AbTestResultsDto> {
    return analyzeAbTestRecord(await this.lifecycle.getOrFail(testId));
  }
}
