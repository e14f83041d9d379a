import { Injectable } from '@nestjs/common';
import { AbTestLifecycleService } from 'src/ab-tests/ab-test-lifecycle.service';
import { analyzeAbTestRecord } from 'src/ab-tests/ab-test-results.service';
import { AbTestsRepository } from 'src/ab-tests/ab-tests.repository';
import {
  AbTestCumulativeLiftDto,
  GetAbTestCumulativeLiftQueryDto,
  mapCumulativeLift,
} from 'src/ab-tests/timeline/ab-test-cumulative-lift.dto';
import { CUMULATIVE_BUCKETS, cumulativeStates } from 'src/ab-tests/timeline/cumulative-lift.policy';

/** A test's results over time, replayed from its counter snapshots. */
@Injectable()
export class AbTestTimelineService {
  constructor(
    private readonly lifecycle: AbTestLifecycleService,
    private readonly tests: AbTestsRepository,
  ) {}

  /**
   * Every counter comes from the snapshots (the test row gives only the settings), so the points agree with one
   * another even when a batch lands between the two reads.
   */
  async getCumulativeLift(testId: string, query: GetAbTestCumulativeLiftQueryDto): Promise<AbTestCumulativeLiftDto> {
    const bucket = query.bucket ?? '1d';
    const test = await this.lifecycle.getOrFail(testId);
    const bucketMs = CUMULATIVE_BUCKETS[bucket];
    const states = cumulativeStates(test, await this.tests.findSnapshotsByBucket(testId, bucketMs), bucketMs);
    return mapCumulativeLift(
      test,
      bucket,
      states.map((state) => ({ state, results: analyzeAbTestRecord(state.test) })),
    );
  }
}
