import { Module } from '@nestjs/common';
import { AbTestLifecycleService } from 'src/ab-tests/ab-test-lifecycle.service';
import { AbTestResultsService } from 'src/ab-tests/ab-test-results.service';
import { AbTestTrafficService } from 'src/ab-tests/ab-test-traffic.service';
import { AbTestsController } from 'src/ab-tests/ab-tests.controller';
import { AbTestsRepository } from 'src/ab-tests/ab-tests.repository';
import { AbTestTimelineService } from 'src/ab-tests/timeline/ab-test-timeline.service';
import { ModelsModule } from 'src/models/models.module';

@Module({
  imports: [ModelsModule],
  controllers: [AbTestsController],
  providers: [AbTestsRepository, AbTestLifecycleService, AbTestTrafficService, AbTestResultsService, AbTestTimelineService],
  exports: [AbTestLifecycleService, AbTestTrafficService, AbTestResultsService],
})
export class AbTestsModule {}
