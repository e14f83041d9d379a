import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Transaction } from 'src/database/transaction';
import { Clock } from 'src/common/clock';
import { invalidField } from 'src/common/errors/domain-error';
import { DEFAULT_ENVIRONMENT } from 'src/metrics/metrics.types';
import { ModelsService } from 'src/models/models.service';
import { CBPE_METRICS, type CbpeReference, type SamplingErrorComponent } from 'src/predictions/cbpe.stats';
import type { IsotonicFit } from 'src/predictions/isotonic.stats';
import {
  fitMulticlassReferenceFromGroups,
  type MulticlassFit,
  multiclassReferenceShortfall,
} from 'src/predictions/estimation-multiclass.policy';
import { mapEstimationReference, type EstimationReferenceDto, type PutEstimationReferenceDto } from 'src/predictions/dto/estimation.dto';
import { fitReferenceFromGroups, referenceShortfall, referenceSizeShortfall } from 'src/predictions/estimation-buckets.policy';
import type { EstimationReferenceEntity, StoredCalibrator, StoredSamplingError } from 'src/predictions/estimation-reference.entity';
import { EstimationErrors } from 'src/predictions/estimation.errors';
import { EstimationRepository, type ReferenceLabelState, type ReferenceWindow } from 'src/predictions/estimation.repository';

export const CBPE_TASK_TYPES_NEEDED = 'performance estimation (CBPE) needs a binary_classification or multiclass_classification model';
export type EstimatedTaskType = 'binary_classification' | 'multiclass_classification';

/** A stored fit as the estimators take it. */
export type FittedEstimation = { kind: 'binary'; reference: CbpeReference; fitId: string } | { kind: 'multiclass'; fit: MulticlassFit };

interface StoredFit {
  /** The labelled groups fitted on (their counts and labels). */
  groups: readonly { labelClass: string | null; count: number }[];
  calibrator: EstimationReferenceEntity['calibrator'];
  samplingError: EstimationReferenceEntity['samplingError'];
}

const storedCalibrator = (fit: IsotonicFit): StoredCalibrator => ({ x: Array.from(fit.x), y: Array.from(fit.y) });
const loadedCalibrator = (stored: StoredCalibrator): IsotonicFit => ({ x: Float64Array.from(stored.x), y: Float64Array.from(stored.y) });
// JSON has no NaN: an undefined spread is stored as null and read back as NaN (its standard error is then null).
const storedComponent = ({ std, fraction }: SamplingErrorComponent): StoredSamplingError => ({
  std: Number.isFinite(std) ? std : null,
  fraction,
});
const loadedComponent = ({ std, fraction }: StoredSamplingError): SamplingErrorComponent => ({ std: std ?? Number.NaN, fraction });

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
    const taskType = await this.requireClassifier(modelId, 'modelId');
    const window: ReferenceWindow = {
      modelId,
      environment: body.environment ?? DEFAULT_ENVIRONMENT,
      from: new Date(body.from),
      to: new Date(body.to),
    };
    if (window.from.getTime() >= window.to.getTime()) throw invalidField('to', 'must be after from');
    const state = await this.repository.labelState(window);
    const tooLarge = referenceSizeShortfall(state.labelled);
    if (tooLarge) throw invalidField('from', tooLarge);
    // The label state is read before the groups: a label changed in between makes the stored fit look stale, never fresh.
    const fitted = taskType === 'binary_classification' ? await this.fitBinary(window, state) : await this.fitMulticlass(window);
    const entity: EstimationReferenceEntity = {
      modelId,
      referenceFrom: window.from,
      referenceTo: window.to,
      environment: window.environment,
      labelled: fitted.groups.reduce((sum, group) => sum + group.count, 0),
      positives: fitted.groups.reduce((sum, group) => sum + (group.labelClass === '1' ? group.count : 0), 0),
      labelsUpdatedAt: state.labelsUpdatedAt,
      calibrator: fitted.calibrator,
      samplingError: fitted.samplingError,
      fittedAt: this.clock.now(),
      fitId: randomUUID(),
    };
    await this.repository.saveReference(entity);
    return mapEstimationReference(entity, false);
  }

  private async fitBinary(window: ReferenceWindow, state: ReferenceLabelState): Promise<StoredFit> {
    const shortfall = referenceShortfall(state.labelled, state.positives);
    if (shortfall) throw invalidField('from', shortfall);
    const groups = await this.repository.referenceGroups(window);
    const fit = fitReferenceFromGroups(groups);
    return {
      groups,
      calibrator: storedCalibrator(fit.calibrator),
      samplingError: Object.fromEntries(CBPE_METRICS.map((metric) => [metric, storedComponent(fit.samplingError[metric])])),
    };
  }

  private async fitMulticlass(window: ReferenceWindow): Promise<StoredFit> {
    const groups = await this.repository.multiclassReferenceGroups(window);
    const shortfall = multiclassReferenceShortfall(groups);
    if (shortfall) throw invalidField('from', shortfall);
    const { classes, reference } = fitMulticlassReferenceFromGroups(groups);
    const { accuracy, ...macro } = reference.samplingError;
    return {
      groups,
      calibrator: { classes, perClass: reference.calibrators.map(storedCalibrator) },
      samplingError: {
        accuracy: storedComponent(accuracy),
        ...Object.fromEntries(
          Object.entries(macro).map(([metric, components]) => [
            metric,
            components.map(({ variance, fraction }) => storedComponent({ std: Math.sqrt(variance), fraction })),
          ]),
        ),
      },
    };
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

  /** The stored fit as the CBPE functions take it (binary or multiclass, as the model), or null when the model has none. */
  async findFitted(modelId: string, transaction?: Transaction): Promise<FittedEstimation | null> {
    const reference = await this.repository.findReference(modelId, transaction);
    if (!reference) return null;
    const { calibrator, samplingError } = reference;
    if (!('classes' in calibrator)) {
      return {
        kind: 'binary',
        fitId: reference.fitId,
        reference: {
          calibrator: loadedCalibrator(calibrator),
          samplingError: Object.fromEntries(
            CBPE_METRICS.map((metric) => [metric, loadedComponent(samplingError[metric] as StoredSamplingError)]),
          ) as CbpeReference['samplingError'],
        },
      };
    }
    const perClass = (metric: string) =>
      (samplingError[metric] as StoredSamplingError[]).map((stored) => {
        const { std, fraction } = loadedComponent(stored);
        return { variance: std * std, fraction };
      });
    return {
      kind: 'multiclass',
      fit: {
        classes: calibrator.classes,
        reference: {
          calibrators: calibrator.perClass.map(loadedCalibrator),
          samplingError: {
            accuracy: loadedComponent(samplingError.accuracy as StoredSamplingError),
            macro_precision: perClass('macro_precision'),
            macro_recall: perClass('macro_recall'),
            macro_f1: perClass('macro_f1'),
            macro_auc: perClass('macro_auc'),
          },
        },
      },
    };
  }

  /** 404 for an unknown model, 400 naming `field` for one that is not a binary or multiclass classifier; its task type. */
  async requireClassifier(modelId: string, field: string): Promise<EstimatedTaskType> {
    await this.models.getSummary(modelId);
    const taskType = (await this.models.findPredictionSettings([modelId])).get(modelId)?.taskType;
    if (taskType !== 'binary_classification' && taskType !== 'multiclass_classification')
      throw invalidField(field, `${CBPE_TASK_TYPES_NEEDED} (this one: ${taskType})`);
    return taskType;
  }

  private async getOrFail(modelId: string): Promise<EstimationReferenceEntity> {
    await this.models.getSummary(modelId);
    const reference = await this.repository.findReference(modelId);
    if (!reference) throw EstimationErrors.ESTIMATION_REFERENCE_NOT_FOUND(`Model ${modelId} has no estimation reference; PUT one first.`);
    return reference;
  }
}
