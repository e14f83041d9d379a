import { Injectable } from '@nestjs/common';
import { aggregateObservationBatch, type BatchMetricType } from 'src/ab-tests/ab-test-input.policy';
import { chooseVariation, getBucketRanges, growthBookHash } from 'src/ab-tests/ab-test-assignment.policy';
import { AbTestLifecycleService } from 'src/ab-tests/ab-test-lifecycle.service';
import { AbTestRecord, AbTestsRepository } from 'src/ab-tests/ab-tests.repository';
import {
  AbTestAssignmentDto,
  AbTestObservationsRecordedDto,
  AssignAbTestVariantDto,
  RecordAbTestObservationsDto,
} from 'src/ab-tests/dto/ab-test-traffic.dto';
import { Clock } from 'src/common/clock';
import { invalidField, invalidFields } from 'src/common/errors/domain-error';
import { TransactionRunner } from 'src/database/transaction';

/** Which counters a batch goes to: a multi-metric test's named metric, or a single-metric test's own. */
function batchMetric(
  test: AbTestRecord,
  metric: string | undefined,
): { batchType: BatchMetricType; metricPosition: number | null; primary: boolean; covariate: boolean } {
  if (test.metrics.length === 0) {
    if (metric !== undefined && metric !== test.primaryMetric) {
      throw invalidField('metric', `is not this test's metric (it has one: "${test.primaryMetric}")`);
    }
    return { batchType: test.metricType, metricPosition: null, primary: true, covariate: false };
  }
  const names = test.metrics.map((entry) => entry.name);
  if (metric === undefined) throw invalidField('metric', `is required: this test has several metrics (${names.join(', ')})`);
  const position = names.indexOf(metric);
  if (position < 0) throw invalidField('metric', `is not a metric of this test (metrics: ${names.join(', ')})`);
  const { type, role, covariate } = test.metrics[position];
  return { batchType: type === 'binomial' ? 'binary' : type, metricPosition: position, primary: role === 'primary', covariate };
}

/** The data path of a running test: assigning units to variants and recording their outcomes. */
@Injectable()
export class AbTestTrafficService {
  constructor(
    private readonly lifecycle: AbTestLifecycleService,
    private readonly tests: AbTestsRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * Deterministic and stateless: the same unit gets the same variant on every instance, with nothing stored. A unit
   * outside the coverage is not in the test and, as GrowthBook does, is served the control (variation 0).
   */
  async assign(testId: string, input: AssignAbTestVariantDto): Promise<AbTestAssignmentDto> {
    const test = await this.lifecycle.getOrFail(testId);
    this.lifecycle.requireRunning(test);
    const hash = growthBookHash(test.hashSeed, input.unitId);
    const weights = test.variants.map((entry) => entry.weight);
    const index = chooseVariation(hash, getBucketRanges(weights.length, test.coverage, weights));
    const variant = test.variants[Math.max(index, 0)];
    return { variant: variant.name, modelVersion: variant.modelVersion, hash, inTest: index >= 0 };
  }

  /**
   * Validates the whole batch first (nothing is written when any entry is bad) and sums it per variant in memory;
   * then locks the running test, claims the batchId (a repeat is ignored) and adds the sums to the variants'
   * counters with atomic increments, so concurrent posters always add up exactly. The whole request is one
   * transaction: on the embedded database this also keeps its statements from interleaving with other connections'.
   */
  recordObservations(testId: string, input: RecordAbTestObservationsDto): Promise<AbTestObservationsRecordedDto> {
    return this.transactions.run(async (transaction) => {
      const test = await this.lifecycle.getOrFail(testId, transaction);
      this.lifecycle.requireRunning(test);
      const names = test.variants.map((variant) => variant.name);
      const target = batchMetric(test, input.metric);
      const batch = aggregateObservationBatch(target.batchType, names, input, target.covariate);
      if (batch.problems.length > 0) throw invalidFields(batch.problems);
      const batchId = input.batchId ?? null;
      await this.lifecycle.lockRunning(test, transaction);
      // read under the test's lock, so the batches of one test get non-decreasing times in the order they apply
      const recordedAt = this.clock.now();
      const duplicate = batchId !== null && !(await this.tests.claimBatch(testId, batchId, recordedAt, transaction));
      if (!duplicate) {
        if (target.metricPosition !== null)
          await this.tests.incrementMetricCounters(testId, target.metricPosition, batch.increments, recordedAt, transaction);
        // The variants' own counters follow the primary metric (counts, SRM, the seed system's view).
        if (target.primary) await this.tests.incrementCounters(testId, batch.increments, recordedAt, transaction);
      }
      return { testId, batchId, duplicate, recordedCount: duplicate ? 0 : batch.observationCount };
    });
  }
}
