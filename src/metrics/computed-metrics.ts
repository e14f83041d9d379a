import { Injectable } from '@nestjs/common';
import { invalidField } from 'src/common/errors/domain-error';
import type { Transaction } from 'src/database/transaction';
import { DataQualityService } from 'src/data-quality/data-quality.service';
import { type ComputedMetricFamily, computedMetricFamily, isComputedMetricName } from 'src/metrics/computed-metrics.policy';
import { ModelsService } from 'src/models/models.service';
import { EstimationService } from 'src/predictions/estimation.service';
import type { PredictionSeriesFilter } from 'src/predictions/predictions.repository';
import type { BucketValue } from 'src/predictions/realized-buckets.policy';
import { RealizedMetricsService } from 'src/predictions/realized-metrics.service';

/** The series filter of a computed metric (the prediction log's: model, environment, time, version, segment). */
export type ComputedSeriesFilter = PredictionSeriesFilter;

/** The model a computed name is resolved for. */
export interface ComputedMetricModel {
  id: string;
  taskType: string;
}

/**
 * One value per non-empty epoch-aligned bucket of [filter.from, filter.to), in bucket order, of the model the name was
 * resolved for (filter.modelId is that model). Inside a transaction every query must run on it (PGlite serves one at a time).
 */
export type ComputedSeriesRead = (filter: ComputedSeriesFilter, bucketMs: number, transaction?: Transaction) => Promise<BucketValue[]>;

/**
 * Whether a model serves a computed name, decided once: why not (said to the caller as a 400 naming the field), or the
 * read, which closes over what deciding loaded (expectations, reference fit, task type) instead of loading it again.
 */
export type ComputedMetricResolution = { refusal: string } | { read: ComputedSeriesRead };

/**
 * A family of metric names ModelWatch computes itself (from logged predictions and labels, estimates, data-quality
 * checks …) rather than receives as pushed points. GET /metrics/trend, alert rules and baselines read every computed name
 * through this one interface, so a new family becomes a trend series and an alertable metric by its prefixes in
 * COMPUTED_METRIC_PREFIXES and its provider here.
 */
export interface ComputedMetricProvider {
  /** For a name of the family; inside a transaction every query must run on it. */
  resolve(metricName: string, model: ComputedMetricModel, transaction?: Transaction): Promise<ComputedMetricResolution>;
}

/**
 * The registry of computed metric families: the one place that decides whether a name is computed, whether a model
 * serves it (a 400 naming the field otherwise) and where its bucket values come from.
 */
@Injectable()
export class ComputedMetrics {
  private readonly providers: Readonly<Record<ComputedMetricFamily, ComputedMetricProvider>>;

  constructor(
    private readonly models: ModelsService,
    realized: RealizedMetricsService,
    dataQuality: DataQualityService,
    estimation: EstimationService,
  ) {
    this.providers = {
      realized: { resolve: (name, model) => Promise.resolve(realized.resolve(name, model.taskType)) },
      dataQuality: { resolve: (name, model, transaction) => dataQuality.resolveSeries(name, model.id, transaction) },
      estimation: { resolve: (name, model, transaction) => estimation.resolve(name, model, transaction) },
    };
  }

  /** Computed (never a pushed series): the name has a reserved prefix (realized., labels., estimated., quality. …). */
  isComputed(metricName: string): boolean {
    return isComputedMetricName(metricName);
  }

  /**
   * The model as resolve needs it, looked up once for several names of one model; undefined for an unknown model (no
   * 404: for callers that have checked the model already, or skip an unknown one).
   */
  async modelFor(modelId: string, transaction?: Transaction): Promise<ComputedMetricModel | undefined> {
    const taskType = (await this.models.findPredictionSettings([modelId], transaction)).get(modelId)?.taskType;
    return taskType === undefined ? undefined : { id: modelId, taskType };
  }

  /** Whether and how the model serves a computed name (one of isComputed's). */
  resolve(metricName: string, model: ComputedMetricModel, transaction?: Transaction): Promise<ComputedMetricResolution> {
    const family = computedMetricFamily(metricName);
    if (family === null) throw new Error(`${metricName} is not a computed metric name`);
    return this.providers[family].resolve(metricName, model, transaction);
  }

  /**
   * The read of a computed name for this model: 404 for an unknown model, 400 naming `field` when the model does not
   * serve the name (saying which it does).
   */
  async readerFor(modelId: string, metricName: string, field = 'metricName', transaction?: Transaction): Promise<ComputedSeriesRead> {
    let model = await this.modelFor(modelId, transaction);
    if (model === undefined) {
      // the 404 of an unknown model is thrown where every other one is
      await this.models.getSummary(modelId, transaction);
      model = { id: modelId, taskType: 'other' };
    }
    const resolution = await this.resolve(metricName, model, transaction);
    if ('refusal' in resolution) throw invalidField(field, resolution.refusal);
    return resolution.read;
  }

  /** The bucket values GET /metrics/trend serves for the name (checked as readerFor does). */
  async bucketValues(
    metricName: string,
    filter: ComputedSeriesFilter,
    bucketMs: number,
    transaction?: Transaction,
  ): Promise<BucketValue[]> {
    const read = await this.readerFor(filter.modelId, metricName, 'metricName', transaction);
    return read(filter, bucketMs, transaction);
  }
}
