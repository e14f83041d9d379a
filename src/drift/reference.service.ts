import { Injectable } from '@nestjs/common';
import { invalidField, invalidFields, type FieldError } from 'src/common/errors/domain-error';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { DriftInputError, type FeatureSample, type FeatureType } from 'src/drift/drift-check.stats';
import { DriftErrors } from 'src/drift/drift.errors';
import {
  mapReference,
  mapReferenceFeature,
  MAX_FEATURES,
  PutReferenceDto,
  PutReferenceFeatureDto,
  ReferenceDto,
  ReferenceFeatureSummaryDto,
} from 'src/drift/dto/reference.dto';
import { FeatureKind } from 'src/drift/reference-feature.entity';
import {
  categoricalSampleFromStored,
  numericSampleFromStored,
  prepareReferenceFeature,
  type PreparedReferenceFeature,
  type UploadedValues,
} from 'src/drift/reference-sample';
import { ReferenceRepository } from 'src/drift/reference.repository';
import { ModelsService } from 'src/models/models.service';

export const FEATURE_NAME_MAX_LENGTH = 200;

/** A stored reference feature, ready for the statistics. */
export interface StoredReferenceSample {
  type: FeatureType;
  sample: FeatureSample;
}

/** Reference data: upload (whole or per feature), summaries, and the samples drift checks compare against. */
@Injectable()
export class ReferenceService {
  constructor(
    private readonly references: ReferenceRepository,
    private readonly models: ModelsService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Replaces the whole reference atomically. Every feature is validated and prepared before the transaction opens. */
  async putReference(modelId: string, input: PutReferenceDto): Promise<ReferenceDto> {
    await this.models.getSummary(modelId);
    assertUniqueNames(
      input.features.map((feature) => feature.name),
      'features',
    );
    const prepared = input.features.map((feature, index) => prepareOrFail(feature.values, feature.type, `features[${index}].values`));
    await this.transactions.run(async (transaction) => {
      await this.models.getSummary(modelId, transaction);
      await this.references.lockHeader(modelId, transaction, input.description ?? null);
      await this.references.deleteFeatures(modelId, transaction);
      for (const [index, feature] of input.features.entries()) {
        await this.references.upsertFeature(modelId, feature.name, prepared[index], transaction);
      }
    });
    return this.getReference(modelId);
  }

  /** Adds or replaces one feature, so references larger than one request body can be uploaded feature by feature. */
  async putReferenceFeature(modelId: string, featureName: string, input: PutReferenceFeatureDto): Promise<ReferenceFeatureSummaryDto> {
    if (featureName.length === 0 || featureName.length > FEATURE_NAME_MAX_LENGTH) {
      throw invalidField('featureName', `must be 1–${FEATURE_NAME_MAX_LENGTH} characters`);
    }
    await this.models.getSummary(modelId);
    const prepared = prepareOrFail(input.values, input.type, 'values');
    await this.transactions.run(async (transaction) => {
      await this.models.getSummary(modelId, transaction);
      await this.references.lockHeader(modelId, transaction);
      const others = await this.references.countFeaturesOtherThan(modelId, featureName, transaction);
      if (others >= MAX_FEATURES) {
        throw DriftErrors.REFERENCE_FEATURE_LIMIT(
          `The reference already has ${MAX_FEATURES} features; replace one or upload the whole reference.`,
          {
            maxFeatures: MAX_FEATURES,
          },
        );
      }
      await this.references.upsertFeature(modelId, featureName, prepared, transaction);
    });
    return mapReferenceFeature((await this.references.findFeature(modelId, featureName))!);
  }

  async getReference(modelId: string): Promise<ReferenceDto> {
    await this.models.getSummary(modelId);
    const header = await this.references.findHeader(modelId);
    const features = header ? await this.references.findFeatures(modelId) : [];
    if (!header || features.length === 0) throw DriftErrors.REFERENCE_NOT_FOUND(`Model ${modelId} has no reference data.`, { modelId });
    return mapReference(header, features);
  }

  /**
   * Share-locks the stored reference for the rest of the transaction (replacing it waits) and returns its feature
   * names; REFERENCE_NOT_FOUND when there is none.
   */
  async lockFeatureNames(modelId: string, transaction: Transaction): Promise<Set<string>> {
    await this.references.shareLockHeader(modelId, transaction);
    const names = await this.references.findFeatureNames(modelId, transaction);
    if (names.size === 0) {
      throw DriftErrors.REFERENCE_NOT_FOUND(`Model ${modelId} has no reference data; upload one or send an inline reference.`, { modelId });
    }
    return names;
  }

  /** One stored feature as a sample (numerical: already sorted, never sorted again), or null when it is gone. */
  async loadSample(modelId: string, featureName: string, transaction: Transaction): Promise<StoredReferenceSample | null> {
    const stored = await this.references.loadFeatureValues(modelId, featureName, transaction);
    if (!stored) return null;
    if (stored.type === FeatureKind.Numerical) return { type: 'numerical', sample: numericSampleFromStored(stored.sorted, stored) };
    return { type: 'categorical', sample: categoricalSampleFromStored(stored.categories, stored.counts, stored.numericCategories) };
  }
}

/** Duplicate names → 400 naming the second occurrence, e.g. `features[3].name`. */
export function assertUniqueNames(names: string[], path: string): void {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  names.forEach((name, index) => {
    if (seen.has(name)) errors.push({ field: `${path}[${index}].name`, message: `duplicate feature name "${name}"` });
    seen.add(name);
  });
  if (errors.length > 0) throw invalidFields(errors);
}

function prepareOrFail(values: UploadedValues, type: FeatureType | undefined, field: string): PreparedReferenceFeature {
  try {
    return prepareReferenceFeature(values, type);
  } catch (error) {
    if (error instanceof DriftInputError) throw invalidField(field, error.message);
    throw error;
  }
}
