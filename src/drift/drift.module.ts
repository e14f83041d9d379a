import { Module } from '@nestjs/common';
import { DataQualityModule } from 'src/data-quality/data-quality.module';
import { DriftCheckService } from 'src/drift/drift-check.service';
import { DriftChecksRepository } from 'src/drift/drift-checks.repository';
import { DriftController } from 'src/drift/drift.controller';
import { DriftHistoryService } from 'src/drift/drift-history.service';
import { DriftThresholdPreviewService } from 'src/drift/drift-threshold-preview.service';
import { ReferenceController } from 'src/drift/reference.controller';
import { ReferenceRepository } from 'src/drift/reference.repository';
import { ReferenceService } from 'src/drift/reference.service';
import { RetrainPoliciesRepository } from 'src/drift/retrain-policies.repository';
import { RetrainPoliciesService } from 'src/drift/retrain-policies.service';
import { RetrainController } from 'src/drift/retrain.controller';
import { AlertsModule } from 'src/alerts/alerts.module';
import { DriftReactions } from 'src/drift/drift-reactions.service';
import { DriftRetention } from 'src/drift/drift-retention.service';
import { RetrainAutomation } from 'src/drift/retrain-automation.service';
import { RetrainLeases } from 'src/drift/retrain-leases.service';
import { RetrainCoordinator } from 'src/drift/retrain-coordinator.service';
import { RetrainInhibitor } from 'src/drift/retrain-inhibitor.service';
import { MetricsModule } from 'src/metrics/metrics.module';
import { ModelsModule } from 'src/models/models.module';
import { TrainingRunsModule } from 'src/training-runs/training-runs.module';
import { AbTestsModule } from 'src/ab-tests/ab-tests.module';
import { RolloutCoordinator } from 'src/drift/rollout-coordinator.service';
import { RolloutController } from 'src/drift/rollout.controller';

/** Reference data, drift checks and their history, the retrain coordinator and safe rollouts' coordinator; depends on the other modules, none on it. */
@Module({
  imports: [ModelsModule, MetricsModule, TrainingRunsModule, AlertsModule, AbTestsModule, DataQualityModule],
  controllers: [ReferenceController, DriftController, RetrainController, RolloutController],
  providers: [
    ReferenceRepository,
    ReferenceService,
    DriftChecksRepository,
    DriftCheckService,
    DriftHistoryService,
    DriftThresholdPreviewService,
    RetrainPoliciesRepository,
    RetrainPoliciesService,
    RetrainCoordinator,
    DriftReactions,
    DriftRetention,
    RetrainAutomation,
    RetrainLeases,
    RetrainInhibitor,
    RolloutCoordinator,
  ],
})
export class DriftModule {}
