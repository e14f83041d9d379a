import { Injectable } from '@nestjs/common';
import { AlertType } from 'src/alerts/alert.enums';
import { AlertsService } from 'src/alerts/alerts.service';
import type { Transaction } from 'src/database/transaction';
import type { DriftCheckEntity } from 'src/drift/drift-check.entity';
import type { CheckOutcomeColumns, NewFeatureResult } from 'src/drift/drift-checks.repository';
import { RetrainOutcomeReason } from 'src/drift/dto/retrain.dto';
import { RetrainCoordinator, type RetrainAttempt } from 'src/drift/retrain-coordinator.service';
import { dataDriftSeverity, driftCheckRetrainOrigin } from 'src/drift/retrain.policy';
import type { ModelSummary } from 'src/models/models.service';

export const DRIFT_CHECK_ACTOR = 'drift-check';

/** What a stored check does about its result, in the check's transaction: the data_drift alert, then retraining. */
@Injectable()
export class DriftReactions {
  constructor(
    private readonly alerts: AlertsService,
    private readonly coordinator: RetrainCoordinator,
  ) {}

  async react(
    model: ModelSummary,
    check: DriftCheckEntity,
    results: NewFeatureResult[],
    triggerRetrain: boolean | undefined,
    transaction: Transaction,
  ): Promise<CheckOutcomeColumns> {
    const alertId = await this.alertOnDrift(model, check, results, transaction);
    return { alertId, ...(await this.retrainOnDrift(model, check, results, triggerRetrain, transaction)) };
  }

  /** Drift raises (or folds into) the model's data_drift alert; a check without drift resolves it. */
  private async alertOnDrift(
    model: ModelSummary,
    check: DriftCheckEntity,
    results: NewFeatureResult[],
    transaction: Transaction,
  ): Promise<string | null> {
    const labels = { model: model.name };
    if (!check.datasetDrift) {
      await this.alerts.resolveOpen(
        { modelId: model.id, type: AlertType.DataDrift, labels },
        DRIFT_CHECK_ACTOR,
        `Drift check ${check.id} found no dataset drift.`,
        transaction,
      );
      return null;
    }
    const drifted = results.filter((result) => result.drifted);
    const alert = await this.alerts.raise(
      {
        modelId: model.id,
        type: AlertType.DataDrift,
        severity: dataDriftSeverity(check.driftShare),
        title: `Data drift on ${model.name}: ${check.numberOfDriftedFeatures} of ${check.numberOfFeatures} features drifted`,
        message: `Drifted: ${drifted.map((result) => result.featureName).join(', ')} (drift share ${check.driftShare.toFixed(3)} ≥ ${check.driftShareThreshold}).`,
        labels,
        details: {
          checkId: check.id,
          driftShare: check.driftShare,
          driftShareThreshold: check.driftShareThreshold,
          driftedFeatures: drifted.map(featureHint),
        },
        value: check.driftShare,
        source: 'drift',
      },
      transaction,
    );
    return alert.id;
  }

  private async retrainOnDrift(
    model: ModelSummary,
    check: DriftCheckEntity,
    results: NewFeatureResult[],
    triggerRetrain: boolean | undefined,
    transaction: Transaction,
  ): Promise<Omit<CheckOutcomeColumns, 'alertId'>> {
    const origin = driftCheckRetrainOrigin(check.datasetDrift, triggerRetrain);
    if (typeof origin !== 'string') {
      if (origin.skip === 'no_drift') return { retrainTriggered: null, retrainReason: null, retrainDetail: null, trainingRunId: null };
      return {
        retrainTriggered: false,
        retrainReason: RetrainOutcomeReason.NotRequested,
        retrainDetail: 'The check was sent with triggerRetrain: false.',
        trainingRunId: null,
      };
    }
    const attempt = await this.coordinator.retrain(
      {
        model,
        reason: 'data_drift',
        origin,
        force: false,
        requestedBy: DRIFT_CHECK_ACTOR,
        driftCheckId: check.id,
        summary: `Data drift: ${check.numberOfDriftedFeatures} of ${check.numberOfFeatures} features drifted (drift check ${check.id}).`,
        hints: { driftedFeatures: results.filter((result) => result.drifted).map(featureHint) },
      },
      transaction,
    );
    return outcomeColumns(attempt);
  }
}

function featureHint(result: NewFeatureResult) {
  return {
    name: result.featureName,
    stattest: result.stattest,
    score: Number.isFinite(result.score) ? result.score : null,
    threshold: result.threshold,
  };
}

function outcomeColumns(attempt: RetrainAttempt): Omit<CheckOutcomeColumns, 'alertId'> {
  if (attempt.triggered) {
    return {
      retrainTriggered: true,
      retrainReason: RetrainOutcomeReason.Triggered,
      retrainDetail: `Training run ${attempt.trainingRunId} queued.`,
      trainingRunId: attempt.trainingRunId,
    };
  }
  return {
    retrainTriggered: false,
    retrainReason: attempt.why as RetrainOutcomeReason,
    retrainDetail: attempt.detail,
    trainingRunId: null,
  };
}
