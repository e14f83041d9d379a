import { Injectable } from '@nestjs/common';
import type { Transaction } from 'src/database/transaction';
import { Clock } from 'src/common/clock';
import { invalidField } from 'src/common/errors/domain-error';
import { DEFAULT_ENVIRONMENT } from 'src/metrics/metrics.types';
import { ModelsService } from 'src/models/models.service';
import { CBPE_METRICS, type CbpeReference } from 'src/predictions/cbpe.stats';
import { mapEstimationReference, type EstimationReferenceDto, type PutEstimationReferenceDto } from 'src/predictions/dto/estimation.dto';
import { fitReferenceFromGroups, referenceShortfall } from 'src/predictions/estimation-buckets.policy';
import type { EstimationReferenceEntity } from 'src/predictions/estimation-reference.entity';
import { EstimationErrors } from 'src/predictions/estimation.errors';
import { EstimationRepository, type ReferenceWindow } from 'src/predictions/estimation.repository';

/** PUT/GET /models/{id}/estimation-reference: fits CBPE on a labelled period once and stores the fit. */
@Injectable()
export class EstimationReferenceService {
  constructor(
    private readonly repository: EstimationRepository,
    private readonly models: ModelsService,
    private readonly clock: Clock,
  ) {}

  /** Fits (or refits) the model's reference on the labelled predictions of [from, to); nothing is stored on a 4xx. */
  async putReference(modelId: string, body: PutEstimationReferenceDto): Promise<EstimationReferenceDto> {
    await this.requireBinaryModel(modelId, 'modelId');
    const window: ReferenceWindow = {
      modelId,
      environment: body.environment ?? DEFAULT_ENVIRONMENT,
      from: new Date(body.from),
      to: new Date(body.to),
    };
    if (window.from.getTime() >= window.to.getTime()) throw invalidField('to', 'must be after from');
    const state = await this.repository.labelState(window);
    const shortfall = referenceShortfall(state.labelled, state.positives);
    if (shortfall) throw invalidField('from', shortfall);
    // The label state is read before the groups: a label changed in between makes the stored fit look stale, never fresh.
    const groups = await this.repository.referenceGroups(window);
    const fit = fitReferenceFromGroups(groups);
    const entity: EstimationReferenceEntity = {
      modelId,
      referenceFrom: window.from,
      referenceTo: window.to,
      environment: window.environment,
      labelled: groups.reduce((sum, group) => sum + group.count, 0),
      positives: groups.reduce((sum, group) => sum + (group.labelClass === '1' ? group.count : 0), 0),
      labelsUpdatedAt: state.labelsUpdatedAt,
      calibrator: { x: Array.from(fit.calibrator.x), y: Array.from(fit.calibrator.y) },
      samplingError: Object.fromEntries(
        CBPE_METRICS.map((metric) => {
          const { std, fraction } = fit.samplingError[metric];
          return [metric, { std: Number.isFinite(std) ? std : null, fraction }];
        }),
      ),
      fittedAt: this.clock.now(),
    };
    await this.repository.saveReference(entity);
    return mapEstimationReference(entity, false);
  }

  async getReference(modelId: string): Promise<EstimationReferenceDto> {
    const reference = await this.getOrFail(modelId);
    const state = await this.repository.labelState({
      modelId,
      environment: reference.environment,
      from: reference.referenceFrom,
      to: reference.referenceTo,
    });
    const stale =
      state.labelled !== reference.labelled ||
      state.positives !== reference.positives ||
      (state.labelsUpdatedAt?.getTime() ?? null) !== (reference.labelsUpdatedAt?.getTime() ?? null);
    return mapEstimationReference(reference, stale);
  }

  /** The stored fit as the CBPE functions take it, or null when the model has none. */
  async findFitted(modelId: string, transaction?: Transaction): Promise<CbpeReference | null> {
    const reference = await this.repository.findReference(modelId, transaction);
    if (!reference) return null;
    return {
      calibrator: { x: Float64Array.from(reference.calibrator.x), y: Float64Array.from(reference.calibrator.y) },
      samplingError: Object.fromEntries(
        CBPE_METRICS.map((metric) => {
          const { std, fraction } = reference.samplingError[metric];
          return [metric, { std: std ?? Number.NaN, fraction }];
        }),
      ) as CbpeReference['samplingError'],
    };
  }

  /** 404 for an unknown model, 400 naming `field` for one that is not a binary classifier. */
  async requireBinaryModel(modelId: string, field: string): Promise<void> {
    await this.models.getSummary(modelId);
    const taskType = (await this.models.findPredictionSettings([modelId])).get(modelId)?.taskType;
    if (taskType !== 'binary_classification')
      throw invalidField(field, `performance estimation (CBPE) needs a binary_classification model (this one: ${taskType})`);
  }

  private async getOrFail(modelId: string): Promise<EstimationReferenceEntity> {
    await this.models.getSummary(modelId);
    const reference = await this.repository.findReference(modelId);
    if (!reference) throw EstimationErrors.ESTIMATION_REFERENCE_NOT_FOUND(`Model ${modelId} has no estimation reference; PUT one first.`);
    return reference;
  }
}
