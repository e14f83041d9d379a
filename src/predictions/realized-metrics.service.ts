import { Injectable } from '@nestjs/common';
import { invalidField } from 'src/common/errors/domain-error';
import { ModelsService } from 'src/models/models.service';
import { type PredictionSeriesFilter, PredictionsRepository } from 'src/predictions/predictions.repository';
import {
  binaryBucketValues,
  type BucketValue,
  REALIZED_BINARY_METRICS,
  type RealizedBinaryMetric,
} from 'src/predictions/realized-buckets.policy';

/** Realized metrics and label coverage/delay per bucket, for GET /metrics/trend (the metrics module asks; nothing here asks back). */
@Injectable()
export class RealizedMetricsService {
  constructor(
    private readonly repository: PredictionsRepository,
    private readonly models: ModelsService,
  ) {}

  /** One computed series in epoch-aligned buckets; 404 for an unknown model, 400 for a name not computed for its task type. */
  async bucketValues(metricName: string, filter: PredictionSeriesFilter, bucketMs: number): Promise<BucketValue[]> {
    await this.models.getSummary(filter.modelId);
    const settings = (await this.models.findPredictionSettings([filter.modelId])).get(filter.modelId);
    if (!(REALIZED_BINARY_METRICS as readonly string[]).includes(metricName)) {
      throw invalidField('metricName', `computed metrics served so far: ${REALIZED_BINARY_METRICS.join(', ')}`);
    }
    if (settings?.taskType !== 'binary_classification') {
      throw invalidField(
        'metricName',
        `${metricName} is computed for binary_classification models so far (this model: ${settings?.taskType})`,
      );
    }
    const metric = metricName as RealizedBinaryMetric;
    const [groups, delays] = await Promise.all([
      this.repository.binaryBucketGroups(filter, bucketMs),
      metric.startsWith('labels.delay') ? this.repository.labelDelayBuckets(filter, bucketMs) : Promise.resolve([]),
    ]);
    return binaryBucketValues(metric, groups, delays);
  }
}
