import { Injectable } from '@nestjs/common';
import { invalidField } from 'src/common/errors/domain-error';
import type { Transaction } from 'src/database/transaction';
import { ModelsService } from 'src/models/models.service';
import { type PredictionSeriesFilter, PredictionsRepository } from 'src/predictions/predictions.repository';
import {
  binaryBucketValues,
  type BucketValue,
  multiclassBucketValues,
  REALIZED_BINARY_METRICS,
  REALIZED_MULTICLASS_METRICS,
  REALIZED_REGRESSION_METRICS,
  type RealizedBinaryMetric,
  type RealizedMulticlassMetric,
  type RealizedRegressionMetric,
  regressionBucketValues,
} from 'src/predictions/realized-buckets.policy';

/** The computed names each task type serves (the metrics registry, src/metrics/computed-metrics.ts, lists them). */
export const REALIZED_METRICS_BY_TASK: Readonly<Record<string, readonly string[]>> = {
  binary_classification: REALIZED_BINARY_METRICS,
  multiclass_classification: REALIZED_MULTICLASS_METRICS,
  regression: REALIZED_REGRESSION_METRICS,
};

/** Realized metrics and label coverage/delay per bucket, for GET /metrics/trend (the metrics module asks; nothing here asks back). */
@Injectable()
export class RealizedMetricsService {
  constructor(
    private readonly repository: PredictionsRepository,
    private readonly models: ModelsService,
  ) {}

  /** One computed series in epoch-aligned buckets; 404 for an unknown model, 400 for a name not computed for its task type. */
  async bucketValues(
    metricName: string,
    filter: PredictionSeriesFilter,
    bucketMs: number,
    transaction?: Transaction,
  ): Promise<BucketValue[]> {
    await this.models.getSummary(filter.modelId, transaction);
    const taskType = (await this.models.findPredictionSettings([filter.modelId], transaction)).get(filter.modelId)?.taskType ?? 'other';
    const served = REALIZED_METRICS_BY_TASK[taskType];
    if (!served)
      throw invalidField(
        'metricName',
        `computed metrics need a binary_classification, multiclass_classification or regression model (this one: ${taskType})`,
      );
    if (!served.includes(metricName)) throw invalidField('metricName', `computed metrics of a ${taskType} model: ${served.join(', ')}`);
    const delays = metricName.startsWith('labels.delay')
      ? this.repository.labelDelayBuckets(filter, bucketMs, transaction)
      : Promise.resolve([]);
    if (taskType === 'binary_classification') {
      const [groups, delayRows] = await Promise.all([this.repository.binaryBucketGroups(filter, bucketMs, transaction), delays]);
      return binaryBucketValues(metricName as RealizedBinaryMetric, groups, delayRows);
    }
    if (taskType === 'multiclass_classification') {
      const [groups, delayRows] = await Promise.all([this.repository.multiclassBucketGroups(filter, bucketMs, transaction), delays]);
      return multiclassBucketValues(metricName as RealizedMulticlassMetric, groups, delayRows);
    }
    const [groups, delayRows] = await Promise.all([this.repository.regressionBucketGroups(filter, bucketMs, transaction), delays]);
    return regressionBucketValues(metricName as RealizedRegressionMetric, groups, delayRows);
  }
}
