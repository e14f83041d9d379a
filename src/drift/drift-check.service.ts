import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { invalidField, invalidFields, type FieldError } from 'src/common/errors/domain-error';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import {
  datasetDrift,
  DEFAULT_DRIFT_SHARE_THRESHOLD,
  DriftInputError,
  type FeatureDriftResult,
  type FeatureSample,
  type FeatureType,
  testFeatureDrift,
} from 'src/drift/drift-check.stats';
import { DriftChecksRepository, NO_OUTCOME, type NewFeatureResult } from 'src/drift/drift-checks.repository';
import { DriftReactions } from 'src/drift/drift-reactions.service';
import { CheckDriftDto, DriftCheckDto, FeatureTestOptionsDto, mapDriftCheck, STAT_TEST_OPTIONS } from 'src/drift/dto/drift-check.dto';
import { DataQualityService } from 'src/data-quality/data-quality.service';
import { type SampleFeatureQuality, sampleFeatureQuality } from 'src/data-quality/sample-quality';
import { featureHistogram } from 'src/drift/histogram.stats';
import { FeatureKind } from 'src/drift/reference-feature.entity';
import { assertUniqueNames, ReferenceService, type StoredReferenceSample } from 'src/drift/reference.service';
import { ModelsService } from 'src/models/models.service';
import { ServiceMetrics } from 'src/observability/service-metrics';

/** Where each current feature's reference comes from. */
type ReferenceSource =
  { kind: 'inline'; byName: Map<string, { index: number; type?: FeatureType; sample: FeatureSample }> } | { kind: 'stored' };

/** Runs a drift check: every current feature against its reference, the dataset verdict, then storage. */
@Injectable()
export class DriftCheckService {
  constructor(
    private readonly references: ReferenceService,
    private readonly checks: DriftChecksRepository,
    private readonly models: ModelsService,
    private readonly reactions: DriftReactions,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly serviceMetrics: ServiceMetrics,
    private readonly dataQuality: DataQualityService,
  ) {}

  /**
   * One transaction from the first read to the last write: the stored reference is share-locked, so every feature is
   * compared with the same version of it even while someone replaces it (the replacement waits for the commit).
   */
  async check(input: CheckDriftDto): Promise<DriftCheckDto> {
    const driftShareThreshold = input.driftShareThreshold ?? DEFAULT_DRIFT_SHARE_THRESHOLD;
    const stored = await this.transactions.run(async (transaction) => {
      const model = await this.models.getSummary(input.modelId, transaction);
      const source = await this.resolveReference(input, transaction);
      const quality: SampleFeatureQuality[] = [];
      const results = await this.testFeatures(input, source, quality, transaction);
      const verdict = datasetDrift(results, driftShareThreshold);
      const check = await this.checks.insert(
        {
          modelId: model.id,
          checkedAt: this.clock.now(),
          referenceSource: source.kind,
          datasetDrift: verdict.datasetDrift,
          driftShare: verdict.driftShare,
          driftShareThreshold,
          numberOfFeatures: verdict.numberOfFeatures,
          numberOfDriftedFeatures: verdict.numberOfDriftedFeatures,
          dataQuality: quality,
          ...NO_OUTCOME,
        },
        results,
        transaction,
      );
      const outcome = await this.reactions.react(model, check, results, input.triggerRetrain, transaction);
      await this.checks.setOutcome(check.modelId, check.id, outcome, transaction);
      return mapDriftCheck(
        { ...check, ...outcome },
        results.map((result) => ({ ...result, checkId: check.id, modelId: model.id, checkedAt: check.checkedAt })),
      );
    });
    this.serviceMetrics.countDriftCheck(stored.datasetDrift);
    return stored;
  }

  /** Validates names and overrides against the current features, and finds each one's reference (400 naming any missing). */
  private async resolveReference(input: CheckDriftDto, transaction: Transaction): Promise<ReferenceSource> {
    const current = input.current.features;
    assertUniqueNames(
      current.map((feature) => feature.name),
      'current.features',
    );
    assertPerFeatureOptions(input.perFeature, new Set(current.map((feature) => feature.name)));
    let source: ReferenceSource;
    let known: Set<string>;
    if (input.reference) {
      const inline = input.reference.features;
      assertUniqueNames(
        inline.map((feature) => feature.name),
        'reference.features',
      );
      const byName = new Map(
        inline.map((feature, index) => [feature.name, { index, type: feature.type, sample: feature.values }] as const),
      );
      source = { kind: 'inline', byName };
      known = new Set(byName.keys());
    } else {
      source = { kind: 'stored' };
      known = await this.references.lockFeatureNames(input.modelId, transaction);
    }
    const missing: FieldError[] = current.flatMap((feature, index) =>
      known.has(feature.name)
        ? []
        : [{ field: `current.features[${index}].name`, message: `feature "${feature.name}" is not in the ${source.kind} reference` }],
    );
    if (missing.length > 0) throw invalidFields(missing);
    return source;
  }

  /** One feature at a time, so only one stored reference feature (up to a million values) is in memory at once. */
  private async testFeatures(
    input: CheckDriftDto,
    source: ReferenceSource,
    quality: SampleFeatureQuality[],
    transaction: Transaction,
  ): Promise<NewFeatureResult[]> {
    const results: NewFeatureResult[] = [];
    const given = await this.dataQuality.givenExpectations(input.modelId, transaction);
    for (const [index, feature] of input.current.features.entries()) {
      const reference =
        source.kind === 'inline'
          ? source.byName.get(feature.name)!
          : await this.loadStored(input.modelId, feature.name, index, transaction);
      const options = input.perFeature?.[feature.name];
      let result: FeatureDriftResult;
      try {
        result = testFeatureDrift({
          reference: reference.sample,
          current: feature.values,
          type: feature.type ?? reference.type,
          stattest: options?.stattest ?? input.stattest ?? 'auto',
          threshold: options?.threshold ?? input.threshold,
        });
      } catch (error) {
        if (!(error instanceof DriftInputError)) throw error;
        throw invalidField(
          fieldOf(error, index, source.kind === 'inline' ? source.byName.get(feature.name)!.index : null, feature.name, options),
          error.message,
        );
      }
      results.push({
        featureName: feature.name,
        position: index,
        type: result.type as FeatureKind,
        stattest: result.stattest,
        score: result.score,
        threshold: result.threshold,
        drifted: result.drifted,
        referenceSize: result.referenceSize,
        currentSize: result.currentSize,
        histogram: result.type === 'numerical' ? featureHistogram(reference.sample, feature.values) : null,
      });
      quality.push(sampleFeatureQuality(feature.name, result.type, feature.values, reference.sample, given.get(feature.name)));
    }
    return results;
  }

  private async loadStored(modelId: string, featureName: string, index: number, transaction: Transaction): Promise<StoredReferenceSample> {
    const stored = await this.references.loadSample(modelId, featureName, transaction);
    if (!stored) throw invalidField(`current.features[${index}].name`, `feature "${featureName}" is not in the stored reference`);
    return stored;
  }
}

/** The request field a statistics input error is about. */
function fieldOf(
  error: DriftInputError,
  currentIndex: number,
  inlineIndex: number | null,
  name: string,
  options?: FeatureTestOptionsDto,
): string {
  if (error.code === 'UNSUPPORTED_TEST') return options?.stattest !== undefined ? `perFeature.${name}.stattest` : 'stattest';
  if (error.code === 'INVALID_THRESHOLD') return options?.threshold !== undefined ? `perFeature.${name}.threshold` : 'threshold';
  if (error.code === 'EMPTY_SAMPLE' && error.message.startsWith('reference ') && inlineIndex !== null)
    return `reference.features[${inlineIndex}].values`;
  return `current.features[${currentIndex}].values`;
}

/** perFeature: keys must be current features; values `{ stattest?, threshold? }` (class-validator cannot walk a map). */
function assertPerFeatureOptions(perFeature: Record<string, FeatureTestOptionsDto> | undefined, names: Set<string>): void {
  if (!perFeature) return;
  const errors: FieldError[] = [];
  for (const [name, options] of Object.entries(perFeature)) {
    const path = `perFeature.${name}`;
    if (!names.has(name)) errors.push({ field: path, message: `"${name}" is not a feature of current` });
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      errors.push({ field: path, message: 'must be an object { stattest?, threshold? }' });
      continue;
    }
    for (const key of Object.keys(options)) {
      if (key !== 'stattest' && key !== 'threshold') errors.push({ field: `${path}.${key}`, message: 'property should not exist' });
    }
    if (options.stattest !== undefined && !STAT_TEST_OPTIONS.includes(options.stattest)) {
      errors.push({ field: `${path}.stattest`, message: `must be one of ${STAT_TEST_OPTIONS.join(', ')}` });
    }
    if (
      options.threshold !== undefined &&
      !(typeof options.threshold === 'number' && Number.isFinite(options.threshold) && options.threshold >= 0)
    ) {
      errors.push({ field: `${path}.threshold`, message: 'must be a finite number ≥ 0' });
    }
  }
  if (errors.length > 0) throw invalidFields(errors);
}
