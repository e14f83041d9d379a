import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { invalidField, invalidFields } from 'src/common/errors/domain-error';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import {
  DataQualityDto,
  DataQualityExpectationsDto,
  DataQualityQueryDto,
  mapExpectation,
  mapQualityShares,
  mapThresholds,
  SetDataQualityExpectationsDto,
  SetDataQualityReferenceDto,
} from 'src/data-quality/dto/data-quality.dto';
import {
  checkGivenExpectations,
  DEFAULT_QUALITY_THRESHOLDS,
  effectiveExpectations,
  givenExpectation,
  learnedExpectation,
  parseDataQualityMetricName,
  type QualityThresholds,
} from 'src/data-quality/data-quality.policy';
import {
  DataQualityRepository,
  type FeatureBucketCounts,
  type ReferenceWindow,
  type StoredExpectation,
} from 'src/data-quality/data-quality.repository';
import {
  type FeatureExpectation,
  type QualityCheck,
  qualityShares,
  type QualityCounts,
  shareOf,
} from 'src/data-quality/data-quality.stats';
import { BUCKET_MS, bucketCount, chooseBucket, MAX_BUCKETS } from 'src/metrics/buckets.policy';
import type { ComputedMetricResolution } from 'src/metrics/computed-metrics';
import { DEFAULT_ENVIRONMENT } from 'src/metrics/metrics.types';
import { resolveTimeRange } from 'src/metrics/time-range.policy';
import { ModelsService } from 'src/models/models.service';

/** A model's effective expectations, thresholds and the environment its traffic is judged in. */
export interface ModelQualityConfig {
  expectations: StoredExpectation[];
  thresholds: QualityThresholds;
  reference: ReferenceWindow | null;
  environment: string;
}

/** The denominator each share's trend point reports as its `count`. */
const SHARE_COUNT: Record<string, (counts: QualityCounts) => number> = {
  missing_share: (counts) => counts.count,
  out_of_range_share: (counts) => counts.numbers,
  unseen_category_share: (counts) => counts.count - counts.missing,
  type_mismatch_share: (counts) => counts.count - counts.missing,
};

/** Expectations (learned from a prediction window or given), the per-bucket shares, and their trend series. */
@Injectable()
export class DataQualityService {
  constructor(
    private readonly repository: DataQualityRepository,
    private readonly models: ModelsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** Learns every feature seen in the window (replacing the learned expectations; given ones stay and still win). */
  async setReference(modelId: string, input: SetDataQualityReferenceDto): Promise<DataQualityExpectationsDto> {
    await this.models.getSummary(modelId);
    const window: ReferenceWindow = {
      from: new Date(input.from),
      to: new Date(input.to),
      environment: input.environment ?? DEFAULT_ENVIRONMENT,
    };
    if (window.from.getTime() >= window.to.getTime()) throw invalidField('from', 'must be earlier than to');
    const learned = (await this.repository.summarizeWindow(modelId, window)).flatMap((summary) => learnedExpectation(summary) ?? []);
    if (learned.length === 0) {
      throw invalidField(
        'from',
        `no prediction of environment ${window.environment} in [from, to) has a feature value to learn from (${await this.repository.countWindow(modelId, window)} predictions)`,
      );
    }
    await this.transactions.run(async (transaction) => {
      const config = await this.loadConfig(modelId, transaction);
      await this.repository.replaceExpectations(modelId, 'learned', learned, transaction);
      await this.repository.upsertSettings(modelId, config.thresholds, window, transaction);
    });
    return this.getExpectations(modelId);
  }

  async setExpectations(modelId: string, input: SetDataQualityExpectationsDto): Promise<DataQualityExpectationsDto> {
    await this.models.getSummary(modelId);
    const errors = checkGivenExpectations(input.features ?? [], 'features');
    if (errors.length > 0) throw invalidFields(errors);
    await this.transactions.run(async (transaction) => {
      if (input.features) await this.repository.replaceExpectations(modelId, 'given', input.features.map(givenExpectation), transaction);
      if (input.thresholds) await this.repository.upsertSettings(modelId, { ...input.thresholds }, null, transaction);
    });
    return this.getExpectations(modelId);
  }

  async getExpectations(modelId: string): Promise<DataQualityExpectationsDto> {
    await this.models.getSummary(modelId);
    const config = await this.loadConfig(modelId);
    return {
      modelId,
      reference: config.reference && {
        from: config.reference.from.toISOString(),
        to: config.reference.to.toISOString(),
        environment: config.reference.environment,
      },
      features: config.expectations.map(mapExpectation),
      thresholds: mapThresholds(config.thresholds),
    };
  }

  async loadConfig(modelId: string, transaction?: Transaction): Promise<ModelQualityConfig> {
    // one after the other: inside a transaction both go over one connection
    const stored = await this.repository.findExpectations(modelId, transaction);
    const settings = await this.repository.findSettings(modelId, transaction);
    const expectations = effectiveExpectations(
      stored.filter((expectation) => expectation.source === 'learned'),
      stored.filter((expectation) => expectation.source === 'given'),
    );
    const reference =
      settings?.referenceFrom && settings.referenceTo
        ? { from: settings.referenceFrom, to: settings.referenceTo, environment: settings.environment }
        : null;
    const thresholds: QualityThresholds = settings
      ? {
          missingShare: settings.missingShare,
          outOfRangeShare: settings.outOfRangeShare,
          unseenCategoryShare: settings.unseenCategoryShare,
          typeMismatchShare: settings.typeMismatchShare,
          windowMinutes: settings.windowMinutes,
          minCount: settings.minCount,
        }
      : DEFAULT_QUALITY_THRESHOLDS;
    return { expectations, thresholds, reference, environment: settings?.environment ?? DEFAULT_ENVIRONMENT };
  }

  /** The model's given expectations by feature: a drift check applies them instead of what its reference sample implies. */
  async givenExpectations(modelId: string, transaction?: Transaction): Promise<Map<string, FeatureExpectation>> {
    const stored = await this.repository.findExpectations(modelId, transaction);
    return new Map(stored.filter((expectation) => expectation.source === 'given').map((expectation) => [expectation.name, expectation]));
  }

  /** GET /models/{id}/data-quality: every expected feature's shares per bucket (or one feature's). */
  async getDataQuality(modelId: string, query: DataQualityQueryDto): Promise<DataQualityDto> {
    await this.models.getSummary(modelId);
    const { range, error } = resolveTimeRange(
      query.from === undefined ? undefined : new Date(query.from),
      query.to === undefined ? undefined : new Date(query.to),
      this.clock.now(),
    );
    if (error) throw invalidFields([error]);
    const bucket = query.bucket ?? chooseBucket(range.from, range.to);
    const buckets = bucketCount(range.from, range.to, bucket);
    if (buckets > MAX_BUCKETS)
      throw invalidField(
        query.bucket ? 'bucket' : 'from',
        `the range holds ${buckets} ${bucket} buckets; at most ${MAX_BUCKETS} are allowed`,
      );
    const config = await this.loadConfig(modelId);
    const expectations = config.expectations.filter((expectation) => query.feature === undefined || expectation.name === query.feature);
    if (query.feature !== undefined && expectations.length === 0)
      throw invalidField('feature', `the model has no data-quality expectation for "${query.feature}"`);
    const filter = {
      modelId,
      environment: query.environment ?? DEFAULT_ENVIRONMENT,
      modelVersion: query.modelVersion,
      segment: query.segment,
      ...range,
    };
    const bucketMs = BUCKET_MS[bucket];
    const rows = await this.repository.bucketCounts(filter, bucketMs, expectations);
    return {
      modelId,
      bucket,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      features: expectations.map((expectation) => ({
        name: expectation.name,
        type: expectation.type,
        source: expectation.source,
        buckets: rows
          .filter((row) => row.feature === expectation.name)
          .map((row) => ({
            bucketStart: new Date(row.bucket * bucketMs).toISOString(),
            ...mapQualityShares(row.count, qualityShares(row, expectation)),
          })),
      })),
    };
  }

  /**
   * Whether the model serves this `quality.<check>.<feature>` name (a known check on a feature with an expectation; why
   * not, for a 400 naming the field), and its read for GET /metrics/trend and alert rules: the share per bucket, its
   * denominator as `count`, no point where the share is undefined.
   */
  async resolveSeries(metricName: string, modelId: string, transaction?: Transaction): Promise<ComputedMetricResolution> {
    const target = await this.seriesTarget(metricName, modelId, transaction);
    if (typeof target === 'string') return { refusal: target };
    const { check, expectation } = target;
    return {
      read: async (filter, bucketMs, readTransaction) => {
        const rows = await this.repository.bucketCounts(filter, bucketMs, [expectation], readTransaction);
        return rows.flatMap((row) => {
          const value = shareOf(qualityShares(row, expectation), check);
          return value === null ? [] : [{ bucket: row.bucket, value, count: SHARE_COUNT[check](row) }];
        });
      },
    };
  }

  /** The check and expectation a series name reads, or why the model has no such series. */
  private async seriesTarget(
    metricName: string,
    modelId: string,
    transaction?: Transaction,
  ): Promise<{ check: QualityCheck; expectation: FeatureExpectation } | string> {
    const parsed = parseDataQualityMetricName(metricName);
    if (!parsed)
      return 'data-quality metrics are named quality.<check>.<feature>, check one of missing_share, out_of_range_share, unseen_category_share, type_mismatch_share';
    const expectation = (await this.loadConfig(modelId, transaction)).expectations.find((candidate) => candidate.name === parsed.feature);
    if (!expectation) return `the model has no data-quality expectation for feature "${parsed.feature}"`;
    return { check: parsed.check, expectation };
  }

  /** The counts of each expected feature over the model's last `windowMinutes` (for the periodic alert evaluation). */
  async recentCounts(
    modelId: string,
    config: ModelQualityConfig,
    now: Date,
    transaction: Transaction,
  ): Promise<{ total: number; counts: FeatureBucketCounts[] }> {
    const windowMs = config.thresholds.windowMinutes * 60_000;
    const filter = { modelId, environment: config.environment, from: new Date(now.getTime() - windowMs), to: now };
    // one bucket as wide as the epoch: every prediction of the window lands in bucket 0
    const counts = await this.repository.bucketCounts(filter, Number.MAX_SAFE_INTEGER, config.expectations, transaction);
    return { total: counts[0]?.count ?? 0, counts };
  }

  tryLockModel(modelId: string, transaction: Transaction): Promise<boolean> {
    return this.repository.tryLockModel(modelId, transaction);
  }

  findModelsWithExpectations(): Promise<string[]> {
    return this.repository.findModelsWithExpectations();
  }
}
