import { Injectable } from '@nestjs/common';
import { invalidField } from 'src/common/errors/domain-error';
import type { Transaction } from 'src/database/transaction';
import { isDataQualityMetricName } from 'src/data-quality/data-quality.policy';
import { DataQualityService } from 'src/data-quality/data-quality.service';
import { ModelsService } from 'src/models/models.service';
import { isEstimationMetricName } from 'src/predictions/estimation-buckets.policy';
import { EstimationService } from 'src/predictions/estimation.service';
import type { PredictionSeriesFilter } from 'src/predictions/predictions.repository';
import { type BucketValue, isComputedMetricName } from 'src/predictions/realized-buckets.policy';
import { REALIZED_METRICS_BY_TASK, RealizedMetricsService } from 'src/predictions/realized-metrics.service';

/**
 * A family of metric names ModelWatch computes itself (from logged predictions and labels, estimates, data-quality
 * checks …) rather than receives as pushed points. GET /metrics/trend and alert rules read every computed name through
 * this one interface, so a new family becomes a trend series and an alertable metric by being listed in ComputedMetrics.
 */
export interface ComputedMetricProvider {
  /** Whether the name belongs to this family (its prefix), whatever the model. */
  owns(metricName: string): boolean;
  /**
   * Null when the model serves the name (one the family owns); otherwise why not, said to the caller as a 400 naming the
   * field. Inside a transaction every query must run on it (PGlite serves one at a time).
   */
  refusal(metricName: string, model: { id: string; taskType: string }, transaction?: Transaction): Promise<string | null>;
  /**
   * One value per non-empty epoch-aligned bucket of [filter.from, filter.to), in bucket order, for a name the model
   * serves (refusal null).
   */
  bucketValues(metricName: string, filter: PredictionSeriesFilter, bucketMs: number, transaction?: Transaction): Promise<BucketValue[]>;
}

/** The series filter of a computed metric (the prediction log's: model, environment, time, version, segment). */
export type ComputedSeriesFilter = PredictionSeriesFilter;

/**
 * The registry of computed metric families: the one place that decides whether a name is computed, whether a model
 * serves it (a 400 naming the field otherwise) and where its bucket values come from.
 */
@Injectable()
export class ComputedMetrics {
  private readonly providers: readonly ComputedMetricProvider[];

  constructor(
    private readonly models: ModelsService,
    realized: RealizedMetricsService,
    dataQuality: DataQualityService,
    estimation: EstimationService,
  ) {
    this.providers = [
      {
        owns: (name) => name.startsWith('realized.') || name.startsWith('labels.'),
        refusal: (name, model) => {
          const served = REALIZED_METRICS_BY_TASK[model.taskType] ?? [];
          if (served.includes(name)) return Promise.resolve(null);
          return Promise.resolve(
            served.length === 0
              ? `${name} is computed from logged predictions; a ${model.taskType} model has no computed metrics`
              : `${name} is not computed for a ${model.taskType} model; its computed metrics: ${served.join(', ')}`,
          );
        },
        bucketValues: (name, filter, bucketMs, transaction) => realized.bucketValues(name, filter, bucketMs, transaction),
      },
      {
        owns: isDataQualityMetricName,
        refusal: (name, model, transaction) => dataQuality.refusal(name, model.id, transaction),
        bucketValues: (name, filter, bucketMs, transaction) => dataQuality.bucketValues(name, filter, bucketMs, transaction),
      },
      {
        owns: isEstimationMetricName,
        refusal: (name, model, transaction) => estimation.refusal(name, model, transaction),
        bucketValues: (name, filter, bucketMs, transaction) => estimation.bucketValues(name, filter, bucketMs, transaction),
      },
    ];
  }

  /** Computed (never a pushed series): a registered family's name or a reserved prefix (realized., labels., estimated., quality.). */
  isComputed(metricName: string): boolean {
    return isComputedMetricName(metricName) || this.providers.some((provider) => provider.owns(metricName));
  }

  /** Whether the model serves this computed name (false for an unknown model). */
  async serves(modelId: string, metricName: string, transaction?: Transaction): Promise<boolean> {
    const taskType = (await this.models.findPredictionSettings([modelId], transaction)).get(modelId)?.taskType;
    if (taskType === undefined) return false;
    const provider = this.providers.find((candidate) => candidate.owns(metricName));
    return provider !== undefined && (await provider.refusal(metricName, { id: modelId, taskType }, transaction)) === null;
  }

  /**
   * The provider of a computed name for this model: 404 for an unknown model, 400 naming `field` when the model does not
   * serve the name (saying which it does).
   */
  async providerFor(modelId: string, metricName: string, field = 'metricName', transaction?: Transaction): Promise<ComputedMetricProvider> {
    await this.models.getSummary(modelId, transaction);
    const taskType = (await this.models.findPredictionSettings([modelId], transaction)).get(modelId)?.taskType ?? 'other';
    const provider = this.providers.find((candidate) => candidate.owns(metricName));
    const refusal = provider
      ? await provider.refusal(metricName, { id: modelId, taskType }, transaction)
      : `${metricName} uses a prefix reserved for metrics ModelWatch computes; it is not served yet`;
    if (provider && refusal === null) return provider;
    throw invalidField(field, refusal ?? metricName);
  }

  /** The bucket values GET /metrics/trend serves for the name (checked as providerFor does). */
  async bucketValues(
    metricName: string,
    filter: ComputedSeriesFilter,
    bucketMs: number,
    transaction?: Transaction,
  ): Promise<BucketValue[]> {
    const provider = await this.providerFor(filter.modelId, metricName, 'metricName', transaction);
    return provider.bucketValues(metricName, filter, bucketMs, transaction);
  }
}
