import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { invalidField, invalidFields } from 'src/common/errors/domain-error';
import { parseOptionalTimestamp } from 'src/metrics/dto/metric-fields.validation';
import { DEFAULT_ENVIRONMENT } from 'src/metrics/metrics.types';
import { resolveTimeRange } from 'src/metrics/time-range.policy';
import { BUCKET_MS, bucketCount, chooseBucket, MAX_BUCKETS } from 'src/metrics/trend.stats';
import { CBPE_METRICS } from 'src/predictions/cbpe.stats';
import { type EstimationQualityDto, type EstimationQualityQueryDto, mapEstimationMetricQuality } from 'src/predictions/dto/estimation.dto';
import {
  cbpeMetricOf,
  ESTIMATED_METRICS,
  ESTIMATION_ERROR_METRICS,
  ESTIMATION_MIN_COVERAGE,
  estimatedBucketValues,
  type EstimatedBucketValue,
  estimationComparisons,
  estimationQuality,
} from 'src/predictions/estimation-buckets.policy';
import { EstimationErrors } from 'src/predictions/estimation.errors';
import type { Transaction } from 'src/database/transaction';
import type { ComputedMetricModel, ComputedMetricResolution } from 'src/metrics/computed-metrics';
import { EstimationReferenceService } from 'src/predictions/estimation-reference.service';
import { PredictionsRepository } from 'src/predictions/predictions.repository';

const NO_REFERENCE = (modelId: string) => `the model has no estimation reference: PUT /api/v1/models/${modelId}/estimation-reference first`;

/**
 * `estimated.<m>` and `estimation_error.<m>` for GET /metrics/trend (the metrics module asks; nothing here asks back)
 * and GET /models/{id}/estimation-quality. Both read the per-bucket groups realized.* reads
 * (PredictionsRepository.binaryBucketGroups: one SQL for realized and estimated) and the stored reference fit.
 */
@Injectable()
export class EstimationService {
  constructor(
    private readonly predictions: PredictionsRepository,
    private readonly references: EstimationReferenceService,
    private readonly clock: Clock,
  ) {}

  /**
   * Whether the model serves this estimated.* / estimation_error.* name (a CBPE metric, a binary classifier with an
   * estimation reference; why not, for a 400 naming the field), and its read over the reference fit found here.
   */
  async resolve(metricName: string, model: ComputedMetricModel, transaction?: Transaction): Promise<ComputedMetricResolution> {
    const metric = cbpeMetricOf(metricName);
    if (metric === null) return { refusal: `estimated metrics: ${[...ESTIMATED_METRICS, ...ESTIMATION_ERROR_METRICS].join(', ')}` };
    if (model.taskType !== 'binary_classification')
      return { refusal: `performance estimation (CBPE) needs a binary_classification model (this one: ${model.taskType})` };
    const reference = await this.references.findFitted(model.id, transaction);
    if (!reference) return { refusal: NO_REFERENCE(model.id) };
    return {
      read: async (filter, bucketMs, readTransaction): Promise<EstimatedBucketValue[]> => {
        const rows = await this.predictions.binaryBucketGroups(filter, bucketMs, readTransaction);
        if (metricName.startsWith('estimated.')) return estimatedBucketValues(reference, metric, rows);
        return estimationComparisons(reference, metric, rows).map(({ bucket, value, count }) => ({ bucket, value, count }));
      },
    };
  }

  /** Per CBPE metric: buckets compared, running bias, mean absolute error and band coverage over the range. */
  async getQuality(modelId: string, query: EstimationQualityQueryDto): Promise<EstimationQualityDto> {
    const { range, error } = resolveTimeRange(parseOptionalTimestamp(query.from), parseOptionalTimestamp(query.to), this.clock.now());
    if (error) throw invalidFields([error]);
    const bucket = query.bucket ?? chooseBucket(range.from, range.to);
    const buckets = bucketCount(range.from, range.to, bucket);
    if (buckets > MAX_BUCKETS)
      throw invalidField(
        query.bucket ? 'bucket' : 'from',
        `the range holds ${buckets} ${bucket} buckets; at most ${MAX_BUCKETS} are allowed`,
      );
    await this.references.requireBinaryModel(modelId, 'modelId');
    const reference = await this.references.findFitted(modelId);
    if (!reference) throw EstimationErrors.ESTIMATION_REFERENCE_NOT_FOUND(`Model ${modelId} has no estimation reference; PUT one first.`);
    const rows = await this.predictions.binaryBucketGroups(
      { modelId, environment: query.environment ?? DEFAULT_ENVIRONMENT, modelVersion: query.modelVersion, ...range },
      BUCKET_MS[bucket],
    );
    return {
      modelId,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      bucket,
      minCoverage: ESTIMATION_MIN_COVERAGE,
      metrics: CBPE_METRICS.map((metric) =>
        mapEstimationMetricQuality(metric, estimationQuality(estimationComparisons(reference, metric, rows))),
      ),
    };
  }
}
