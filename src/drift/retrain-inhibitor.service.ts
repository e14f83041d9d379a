import { Injectable, OnModuleInit } from '@nestjs/common';
import type { AlertType } from 'src/alerts/alert.enums';
import { AlertSuppression } from 'src/alerts/alert-suppression.service';
import type { AlertInhibitor, StoredInhibition } from 'src/alerts/alert-suppression.types';
import type { Transaction } from 'src/database/transaction';
import { ReferenceRepository } from 'src/drift/reference.repository';
import { RetrainPoliciesRepository } from 'src/drift/retrain-policies.repository';
import { INHIBITED_ALERT_TYPES, inhibitionSettings, retrainInhibitions } from 'src/drift/retrain-inhibition.policy';
import { TrainingRunsService } from 'src/training-runs/training-runs.service';

/** The retrain inhibition, registered with the alerts module (which cannot depend on this one) at start. */
@Injectable()
export class RetrainInhibitor implements AlertInhibitor, OnModuleInit {
  constructor(
    private readonly suppression: AlertSuppression,
    private readonly policies: RetrainPoliciesRepository,
    private readonly references: ReferenceRepository,
    private readonly trainingRuns: TrainingRunsService,
  ) {}

  onModuleInit(): void {
    this.suppression.registerInhibitor(this);
  }

  async inhibitionsOf(alert: { modelId: string; type: AlertType }, now: Date, transaction: Transaction): Promise<StoredInhibition[]> {
    if (!INHIBITED_ALERT_TYPES.includes(alert.type)) return [];
    const settings = inhibitionSettings(await this.policies.find(alert.modelId, transaction));
    const activeRun = settings.inhibitDuringRetrain ? await this.trainingRuns.findActiveRun(alert.modelId, transaction) : null;
    const referenceReplacedAt =
      settings.referenceGraceMinutes > 0 ? await this.references.findReplacedAt(alert.modelId, transaction) : null;
    return retrainInhibitions({ type: alert.type, settings, activeRunId: activeRun?.id ?? null, referenceReplacedAt, now });
  }
}
