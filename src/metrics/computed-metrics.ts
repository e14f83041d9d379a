import { Injectable } from '@nestjs/common';
import { invalidField } from 'src/common/errors/domain-error';
import type { Transaction } from 'src/database/transaction';
import { ModelsService } from 'src/models/models.service';
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
  /** The names of the family served for a model of this task type (empty: none). */
  namesFor(taskType: string): readonly string[];
  /**
   * One value per non-empty epoch-aligned bucket of [filter.from, filter.to), in bucket order; the name is one of
   * namesFor(the model's task type). Inside a transaction every query must run on it (PGlite serves one at a time).
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
  ) {
    this.providers = [
      {
        owns: (name) => name.startsWith('realized.') || name.startsWith('labels.'),
        namesFor: (taskType) => REALIZED_METRICS_BY_TASK[taskType] ?? [],
        bucketValues: (name, filter, bucketMs, transaction) => realized.bucketValues(name, filter, bucketMs, transaction),
      },
    ];
  }

  /** Computed (never a pushed series): a registered family's name or a reserved prefix (realized., labels., estimated.). */
  isComputed(metricName: string): boolean {
    return isComputedMetricName(metricName) || this.providers.some((provider) => provider.owns(metricName));
  }

  /** Every computed name a model of this task type serves, in registry order. */
  namesFor(taskType: string): string[] {
    return this.providers.flatMap((provider) => provider.namesFor(taskType));
  }

  /** The computed names this model serves (none for an unknown model or one without computed metrics). */
  async servedBy(modelId: string, transaction?: Transaction): Promise<Set<string>> {
    const taskType = (await this.models.findPredictionSettings([modelId], transaction)).get(modelId)?.taskType;
    return new Set(taskType === undefined ? [] : this.namesFor(taskType));
  }

  /**
   * The provider of a computed name for this model: 404 for an unknown model, 400 naming `field` when the model's task
   * type does not serve the name (listing those it does).
   */
  async providerFor(modelId: string, metricName: string, field = 'metricName', transaction?: Transaction): Promise<ComputedMetricProvider> {
    await this.models.getSummary(modelId, transaction);
    const taskType = (await this.models.findPredictionSettings([modelId], transaction)).get(modelId)?.taskType ?? 'other';
    const provider = this.providers.find((candidate) => candidate.owns(metricName) && candidate.namesFor(taskType).includes(metricName));
    if (provider) return provider;
    const served = this.namesFor(taskType);
    throw invalidField(
      field,
      served.length === 0
        ? `${metricName} is computed from logged predictions; a ${taskType} model has no computed metrics`
        : `${metricName} is not computed for a ${taskType} model; its computed metrics: ${served.join(', ')}`,
    );
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
