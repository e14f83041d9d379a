import { Injectable } from '@nestjs/common';
import type { Transaction } from 'src/database/transaction';
import type { ComputedMetricResolution } from 'src/metrics/computed-metrics';
import { type PredictionSeriesFilter, PredictionsRepository } from 'src/predictions/predictions.repository';
import { type HistogramNeed, PredictionRollupsRepository } from 'src/predictions/prediction-rollups.repository';
import { hourlyRollupServes, ROLLUP_BUCKET_MS, splitAtWholeHours } from 'src/predictions/realized-rollup.policy';
import {
  binaryBucketValues,
  type BinaryBucketStats,
  binaryStatsFromGroups,
  mergeBucketStats,
  type BucketValue,
  multiclassAucBucketValues,
  multiclassBucketValues,
  type MulticlassBucketStats,
  multiclassStatsFromGroups,
  mergeMulticlassBucketStats,
  REALIZED_BINARY_METRICS,
  REALIZED_MULTICLASS_METRICS,
  REALIZED_REGRESSION_METRICS,
  type RealizedBinaryMetric,
  type RealizedMulticlassMetric,
  type RealizedRegressionMetric,
  regressionBucketValues,
  type RegressionBucketStats,
  regressionStatsFromGroups,
  mergeRegressionBucketStats,
} from 'src/predictions/realized-buckets.policy';

/** The realized.* / labels.* names each task type serves. */
export const REALIZED_METRICS_BY_TASK: Readonly<Record<string, readonly string[]>> = {
  binary_classification: REALIZED_BINARY_METRICS,
  multiclass_classification: REALIZED_MULTICLASS_METRICS,
  regression: REALIZED_REGRESSION_METRICS,
};

/**
 * Realized metrics and label coverage/delay per bucket, for GET /metrics/trend and the other computed reads (the metrics
 * module asks; nothing here asks back).
 */
@Injectable()
export class RealizedMetricsService {
  constructor(
    private readonly repository: PredictionsRepository,
    private readonly rollups: PredictionRollupsRepository,
  ) {}

  /**
   * Whether a model of this task type serves the realized.* / labels.* name (why not, for a 400 naming the field), and
   * its read: one series in epoch-aligned buckets.
   */
  resolve(metricName: string, taskType: string): ComputedMetricResolution {
    const served = REALIZED_METRICS_BY_TASK[taskType] ?? [];
    if (!served.includes(metricName)) {
      return {
        refusal:
          served.length === 0
            ? `${metricName} is computed from logged predictions; a ${taskType} model has no computed metrics`
            : `${metricName} is not computed for a ${taskType} model; its computed metrics: ${served.join(', ')}`,
      };
    }
    return { read: (filter, bucketMs, transaction) => this.bucketValues(metricName, taskType, filter, bucketMs, transaction) };
  }

  private async bucketValues(
    metricName: string,
    taskType: string,
    filter: PredictionSeriesFilter,
    bucketMs: number,
    transaction?: Transaction,
  ): Promise<BucketValue[]> {
    const delays = metricName.startsWith('labels.delay')
      ? this.repository.labelDelayBuckets(filter, bucketMs, transaction)
      : Promise.resolve([]);
    if (taskType === 'binary_classification') {
      const [stats, delayRows] = await Promise.all([this.binaryStats(metricName, filter, bucketMs, transaction), delays]);
      return binaryBucketValues(metricName as RealizedBinaryMetric, stats, delayRows);
    }
    if (metricName === 'realized.macro_auc')
      return multiclassAucBucketValues(await this.repository.multiclassEstimationGroups(filter, bucketMs, transaction));
    if (taskType === 'multiclass_classification') {
      const [stats, delayRows] = await Promise.all([this.multiclassStats(filter, bucketMs, transaction), delays]);
      return multiclassBucketValues(metricName as Exclude<RealizedMulticlassMetric, 'realized.macro_auc'>, stats, delayRows);
    }
    const [stats, delayRows] = await Promise.all([this.regressionStats(filter, bucketMs, transaction), delays]);
    return regressionBucketValues(metricName as RealizedRegressionMetric, stats, delayRows);
  }

  /** A binary series' statistics per bucket (rolledUp); AUC reads the histograms a bucket of several hours must merge. */
  private binaryStats(metricName: string, filter: PredictionSeriesFilter, bucketMs: number, transaction?: Transaction) {
    const histograms: HistogramNeed = metricName !== 'realized.auc' ? 'none' : bucketMs === ROLLUP_BUCKET_MS ? 'missing-u' : 'all';
    return rolledUp<BinaryBucketStats>(filter, bucketMs, {
      hours: (range) => this.rollups.readBinaryHours({ ...filter, ...range }, bucketMs, histograms, transaction),
      raw: async (range) => binaryStatsFromGroups(await this.repository.binaryBucketGroups({ ...filter, ...range }, bucketMs, transaction)),
      merge: mergeBucketStats,
    });
  }

  /** A multiclass series' statistics per bucket (rolledUp); realized.macro_auc reads the raw probabilities instead. */
  private multiclassStats(filter: PredictionSeriesFilter, bucketMs: number, transaction?: Transaction) {
    return rolledUp<MulticlassBucketStats>(filter, bucketMs, {
      hours: (range) => this.rollups.readMulticlassHours({ ...filter, ...range }, bucketMs, transaction),
      raw: async (range) =>
        multiclassStatsFromGroups(await this.repository.multiclassBucketGroups({ ...filter, ...range }, bucketMs, transaction)),
      merge: mergeMulticlassBucketStats,
    });
  }

  /** A regression series' statistics per bucket (rolledUp). */
  private regressionStats(filter: PredictionSeriesFilter, bucketMs: number, transaction?: Transaction) {
    return rolledUp<RegressionBucketStats>(filter, bucketMs, {
      hours: (range) => this.rollups.readRegressionHours({ ...filter, ...range }, bucketMs, transaction),
      raw: async (range) =>
        regressionStatsFromGroups(await this.repository.regressionBucketGroups({ ...filter, ...range }, bucketMs, transaction)),
      merge: mergeRegressionBucketStats,
    });
  }
}

type Range = { from: Date; to: Date };

/**
 * A series' statistics per bucket: from the hourly rollups for the whole hours of the range when they can serve (the
 * bucket is a whole number of hours and no version or segment is asked: a rollup is per model and environment), from
 * the raw predictions for the rest (the partial hours at the ends, or everything), merged per bucket.
 */
async function rolledUp<Stats>(
  filter: PredictionSeriesFilter,
  bucketMs: number,
  read: { hours: (range: Range) => Promise<Stats[]>; raw: (range: Range) => Promise<Stats[]>; merge: (...sources: Stats[][]) => Stats[] },
): Promise<Stats[]> {
  const { hours: wholeHours, ends } = splitAtWholeHours(filter);
  if (!hourlyRollupServes(filter, bucketMs) || wholeHours === null) return read.raw(filter);
  const [hours, ...rawEdges] = await Promise.all([read.hours(wholeHours), ...ends.map(read.raw)]);
  return read.merge(hours, ...rawEdges);
}
