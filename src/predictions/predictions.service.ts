import { Inject, Injectable } from '@nestjs/common';
import { jobsConfig, type JobsConfig } from 'src/config/configuration';
import { Clock } from 'src/common/clock';
import { DomainEvents } from 'src/common/events/domain-events';
import { type FieldError, invalidFields } from 'src/common/errors/domain-error';
import { TransactionRunner } from 'src/database/transaction';
import { ModelErrors } from 'src/models/models.errors';
import { ModelsService, type ModelPredictionSettings } from 'src/models/models.service';
import type {
  RecordLabelsBody,
  RecordLabelsResultDto,
  RecordPredictionsBody,
  RecordPredictionsResultDto,
} from 'src/predictions/dto/prediction.dto';
import { PredictionPartitions } from 'src/predictions/prediction-partitions.service';
import { PredictionErrors } from 'src/predictions/predictions.errors';
import { PREDICTIONS_RECORDED } from 'src/predictions/predictions.events';
import {
  firstIndexOfModels,
  modelIdsIn,
  type NewLabel,
  prepareLabelsBody,
  preparePredictionsBody,
  sameLabel,
} from 'src/predictions/predictions.policy';
import { labelKey, PredictionsRepository } from 'src/predictions/predictions.repository';
import { PredictionRollupsRepository } from 'src/predictions/prediction-rollups.repository';
import { rollupDeltas } from 'src/predictions/realized-rollup.policy';
import { regressionRollupDeltas } from 'src/predictions/regression-rollup.policy';
import { multiclassRollupDeltas } from 'src/predictions/multiclass-rollup.policy';
import { EstimationRollupsService } from 'src/predictions/estimation-rollups.service';

const EXPIRY_BATCH = 10_000;

/** POST /predictions and POST /labels: checked against each model's task type, written all or nothing. */
@Injectable()
export class PredictionsService {
  constructor(
    private readonly repository: PredictionsRepository,
    private readonly rollups: PredictionRollupsRepository,
    private readonly estimationRollups: EstimationRollupsService,
    private readonly partitions: PredictionPartitions,
    private readonly models: ModelsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    @Inject(jobsConfig.KEY) private readonly config: JobsConfig,
  ) {}

  /**
   * Removes labels that waited more than PENDING_LABEL_DAYS for their prediction (received before now − days), in
   * batches of 10,000; returns how many. 0 days keeps them forever.
   */
  async expirePendingLabels(): Promise<number> {
    if (this.config.pendingLabelDays <= 0) return 0;
    const receivedBefore = new Date(this.clock.now().getTime() - this.config.pendingLabelDays * 86_400_000);
    let total = 0;
    for (;;) {
      const deleted = await this.repository.deleteExpiredPendingLabels(receivedBefore, EXPIRY_BATCH);
      total += deleted;
      if (deleted < EXPIRY_BATCH) return total;
    }
  }

  async recordPredictions(body: RecordPredictionsBody): Promise<RecordPredictionsResultDto> {
    const settings = await this.settingsOf(body, 'predictions');
    const prepared = preparePredictionsBody(body, this.clock.now(), (modelId) => settings.get(modelId));
    if (prepared.errors.length > 0) throw invalidFields(prepared.errors);
    // A month without a partition (a backfill) gets one first, outside the batch's transaction.
    await this.partitions.ensureMonths(prepared.predictions.map((p) => p.predictedAt));
    // A model deleted meanwhile fails the foreign key: a 404 through onMissingReference('models').
    // Binary, regression and multiclass ones enter the hourly rollups in the same transaction (realized-rollup.policy.ts,
    // regression-rollup.policy.ts, multiclass-rollup.policy.ts, estimation-rollup.policy.ts).
    const { recorded, labelled } = await this.transactions.run(async (transaction) => {
      await this.repository.lockModelsForWrite(
        prepared.predictions.map((p) => p.modelId),
        'predictions',
        transaction,
      );
      // Read after the lock: a CBPE rollup fill of these models has finished, or waits for this batch.
      const fits = await this.estimationRollups.currentFits(
        [...new Set(prepared.predictions.filter((p) => p.score !== null).map((p) => p.modelId))],
        transaction,
      );
      const written = await this.repository.insertPredictions(prepared.predictions, [...fits.keys()], transaction);
      await this.rollups.applyDeltas(rollupDeltas(written.moves), transaction);
      await this.rollups.applyRegressionDeltas(regressionRollupDeltas(written.regressionMoves), transaction);
      await this.rollups.applyMulticlassDeltas(multiclassRollupDeltas(written.multiclassMoves), transaction);
      await this.estimationRollups.applyNewPredictions(written.moves, fits, transaction);
      return written;
    });
    if (recorded > 0) await this.publishRecorded(prepared.predictions);
    return { recorded, duplicates: prepared.duplicates + prepared.predictions.length - recorded, labelled };
  }

  /**
   * New labels are inserted; a label equal to the stored one is a duplicate; a different one is a 409 naming every
   * such `labels[i].label` (nothing written) unless `overwrite`, which replaces it.
   */
  async recordLabels(body: RecordLabelsBody, overwrite: boolean): Promise<RecordLabelsResultDto> {
    const settings = await this.settingsOf(body, 'labels');
    const now = this.clock.now();
    const prepared = prepareLabelsBody(body, now, (modelId) => settings.get(modelId));
    if (prepared.errors.length > 0) throw invalidFields(prepared.errors);
    const labels = prepared.labels;
    const result = await this.transactions.run(async (transaction) => {
      await this.repository.lockModelsForWrite(
        labels.map((l) => l.modelId),
        'labels',
        transaction,
      );
      const inserted = await this.repository.insertLabelsIfAbsent(labels, now, transaction);
      const existing = labels.filter((label) => !inserted.inserted.has(labelKey(label.modelId, label.predictionId)));
      const stored = new Map(
        (await this.repository.lockLabels(existing, transaction)).map((label) => [labelKey(label.modelId, label.predictionId), label]),
      );
      const changed = existing.filter((label) => {
        const previous = stored.get(labelKey(label.modelId, label.predictionId));
        return previous !== undefined && !sameLabel(previous, label);
      });
      if (changed.length > 0 && !overwrite) throw this.conflict(body, changed, stored);
      const overwritten = await this.repository.overwriteLabels(changed, transaction);
      await this.rollups.applyDeltas(rollupDeltas([...inserted.moves, ...overwritten.moves]), transaction);
      await this.rollups.applyRegressionDeltas(
        regressionRollupDeltas([...inserted.regressionMoves, ...overwritten.regressionMoves]),
        transaction,
      );
      await this.rollups.applyMulticlassDeltas(
        multiclassRollupDeltas([...inserted.multiclassMoves, ...overwritten.multiclassMoves]),
        transaction,
      );
      return {
        recorded: inserted.inserted.size,
        duplicates: prepared.duplicates + existing.length - changed.length,
        overwritten: changed.length,
        pending: await this.repository.countWithoutPrediction(labels, transaction),
      };
    });
    if (result.recorded + result.overwritten > 0) await this.publishRecorded(labels);
    return result;
  }

  /** After the commit: computed metrics of these models may have changed (alert rules on them re-evaluate). */
  private publishRecorded(items: readonly { modelId: string }[]): Promise<void> {
    return this.events.emit(PREDICTIONS_RECORDED, { modelIds: [...new Set(items.map((item) => item.modelId))].sort() });
  }

  /** The task settings of every model the batch names; a 404 naming `member[i].modelId` for each unknown one. */
  private async settingsOf(body: unknown, member: string): Promise<Map<string, ModelPredictionSettings>> {
    const modelIds = modelIdsIn(body, member);
    const settings = await this.models.findPredictionSettings(modelIds);
    const missing = modelIds.filter((id) => !settings.has(id));
    if (missing.length > 0) {
      const first = firstIndexOfModels(body, member, missing);
      const errors = missing.map((modelId) => ({
        field: `${member}[${first.get(modelId)}].modelId`,
        message: `no model with id ${modelId}`,
      }));
      throw ModelErrors.MODEL_NOT_FOUND(
        errors.map((error) => `${error.field}: ${error.message}`).join('; '),
        { modelIds: missing },
        errors,
      );
    }
    return settings;
  }

  private conflict(
    body: RecordLabelsBody,
    changed: NewLabel[],
    stored: Map<string, { labelClass: string | null; labelValue: number | null }>,
  ) {
    const items = (body.labels as { modelId: string; predictionId: string }[]).map((item) =>
      labelKey(item.modelId.toLowerCase(), item.predictionId),
    );
    const errors: FieldError[] = changed.slice(0, 100).map((label) => {
      const key = labelKey(label.modelId, label.predictionId);
      const previous = stored.get(key)!;
      return {
        field: `labels[${items.indexOf(key)}].label`,
        message: `prediction ${label.predictionId} already has label ${previous.labelClass ?? previous.labelValue}; send overwrite=true to replace it`,
      };
    });
    return PredictionErrors.LABEL_CONFLICT(`${changed.length} label(s) differ from those recorded; nothing was written.`, {}, errors);
  }
}
