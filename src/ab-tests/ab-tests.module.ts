import { Module } from '@nestjs/common';
import { AbTestLifecycleService } from 'src/ab-tests/ab-test-lifecycle.service';
import { AbTestResultsService } from 'src/ab-tests/ab-test-results.service';
import { AbTestRolloutService } from 'src/ab-tests/ab-test-rollout.service';
import { AbTestRolloutTransitions } from 'src/ab-tests/ab-test-rollout-transitions.service';
import { AbTestRolloutsRepository } from 'src/ab-tests/ab-test-rollouts.repository';
import { AbTestTrafficService } from 'src/ab-tests/ab-test-traffic.service';
import { AbTestsController } from 'src/ab-tests/ab-tests.controller';
import { AbTestsRepository } from 'src/ab-tests/ab-tests.repository';
import { AbTestTimelineService } from 'src/ab-tests/timeline/ab-test-timeline.service';
import { ModelsModule } from 'src/models/models.module';

@Module({
  imports: [ModelsModule],
  controllers: [AbTestsController],
  providers: [
    AbTestsRepository,
    AbTestRolloutsRepository,
    AbTestLifecycleService,
    AbTestTrafficService,
    AbTestResultsService,
    AbTestRolloutService,
    AbTestTimelineService,
    AbTestRolloutTransitions,
  ],
  exports: [AbTestLifecycleService, AbTestTrafficService, AbTestResultsService, AbTestRolloutService, AbTestRolloutTransitions],
})
export class AbTestsModule {}
