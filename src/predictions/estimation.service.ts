import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { invalidField, invalidFields } from 'src/common/errors/domain-error';
import { parseOptionalTimestamp } from 'src/metrics/dto/metric-fields.validation';
import { DEFAULT_ENVIRONMENT } from 'src/metrics/metrics.types';
import { resolveTimeRange } from 'src/metrics/time-range.policy';
import { BUCKET_MS, bucketCount, chooseBucket, MAX_BUCKETS } from 'src/metrics/trend.stats';
import { CBPE_METRICS, type CbpeMetric } from 'src/predictions/cbpe.stats';
import { estimatedValuesFromStats } from 'src/predictions/estimation-rollup.policy';
import { EstimationRollupsService } from 'src/predictions/estimation-rollups.service';
import { hourlyRollupServes } from 'src/predictions/realized-rollup.policy';
import { RealizedMetricsService } from 'src/predictions/realized-metrics.service';
import {
  type EstimationMetricQualityDto,
  type EstimationQualityDto,
  type EstimationQualityQueryDto,
  mapEstimationMetricQuality,
} from 'src/predictions/dto/estimation.dto';
import {
  ESTIMATED_MULTICLASS_METRICS,
  ESTIMATION_ERROR_MULTICLASS_METRICS,
  type MulticlassEstimationRow,
  type MulticlassFit,
  MULTICLASS_COMPARED_METRICS,
  multiclassCbpeMetricOf,
  multiclassEstimatedBucketValues,
  multiclassRealized,
} from 'src/predictions/estimation-multiclass.policy';
import type { BucketValue } from 'src/predictions/realized-buckets.policy';
import {
  cbpeMetricOf,
  compareWithRealized,
  type EstimationComparison,
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
import { CBPE_TASK_TYPES_NEEDED, EstimationReferenceService } from 'src/predictions/estimation-reference.service';
import { type PredictionSeriesFilter, PredictionsRepository } from 'src/predictions/predictions.repository';

const NO_REFERENCE = (modelId: string) => `the model has no estimation reference: PUT /api/v1/models/${modelId}/estimation-reference first`;

/**
 * `estimated.<m>` and `estimation_error.<m>` for GET /metrics/trend (the metrics module asks; nothing here asks back)
 * and GET /models/{id}/estimation-quality, from the stored reference fit: binary estimates from the hourly CBPE
 * rollup where it serves (EstimationRollupsService), else, and multiclass ones always, from the raw per-bucket groups.
 */
@Injectable()
export class EstimationService {
  constructor(
    private readonly predictions: PredictionsRepository,
    private readonly references: EstimationReferenceService,
    private readonly rollups: EstimationRollupsService,
    private readonly realized: RealizedMetricsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Whether the model serves this estimated.* / estimation_error.* name (a CBPE metric of its task type, a binary or
   * multiclass classifier with an estimation reference; why not, for a 400 naming the field), and its read over the
   * reference fit found here.
   */
  async resolve(metricName: string, model: ComputedMetricModel, transaction?: Transaction): Promise<ComputedMetricResolution> {
    const errors = metricName.startsWith('estimation_error.');
    if (model.taskType === 'multiclass_classification') {
      const metric = multiclassCbpeMetricOf(metricName);
      if (metric === null)
        return {
          refusal: `estimated metrics of a multiclass model: ${[...ESTIMATED_MULTICLASS_METRICS, ...ESTIMATION_ERROR_MULTICLASS_METRICS].join(', ')}`,
        };
      const fitted = await this.references.findFitted(model.id, transaction);
      if (fitted?.kind !== 'multiclass') return { refusal: NO_REFERENCE(model.id) };
      return {
        read: async (filter, bucketMs, readTransaction): Promise<BucketValue[]> => {
          const rows = await this.predictions.multiclassEstimationGroups(filter, bucketMs, readTransaction);
          return errors
            ? // multiclassCbpeMetricOf serves estimation_error.* only for the compared metrics
              asErrorPoints(multiclassComparisons(fitted.fit, metric as (typeof MULTICLASS_COMPARED_METRICS)[number], rows))
            : multiclassEstimatedBucketValues(fitted.fit, metric, rows);
        },
      };
    }
    const metric = cbpeMetricOf(metricName);
    if (model.taskType !== 'binary_classification') return { refusal: `${CBPE_TASK_TYPES_NEEDED} (this one: ${model.taskType})` };
    if (metric === null) return { refusal: `estimated metrics: ${[...ESTIMATED_METRICS, ...ESTIMATION_ERROR_METRICS].join(', ')}` };
    const fitted = await this.references.findFitted(model.id, transaction);
    if (fitted?.kind !== 'binary') return { refusal: NO_REFERENCE(model.id) };
    const { reference, fitId } = fitted;
    return {
      read: async (filter, bucketMs, readTransaction): Promise<EstimatedBucketValue[]> => {
        if (hourlyRollupServes(filter, bucketMs)) {
          const buckets = await this.rollups.bucketStats(filter, bucketMs, { fitId, reference }, readTransaction);
          const estimates = estimatedValuesFromStats(reference, metric, buckets);
          return errors ? asErrorPoints(await this.comparedWithRealized(metric, estimates, filter, bucketMs, readTransaction)) : estimates;
        }
        const rows = await this.predictions.binaryBucketGroups(filter, bucketMs, readTransaction);
        return errors ? asErrorPoints(estimationComparisons(reference, metric, rows)) : estimatedBucketValues(reference, metric, rows);
      },
    };
  }

  /** Binary estimates met with realized.<m> and labels.coverage of the same buckets, both read as their trends read them (rollups). */
  private async comparedWithRealized(
    metric: CbpeMetric,
    estimates: readonly EstimatedBucketValue[],
    filter: PredictionSeriesFilter,
    bucketMs: number,
    transaction?: Transaction,
    coverage?: Promise<BucketValue[]>,
  ): Promise<EstimationComparison[]> {
    const [realized, coverageValues] = await Promise.all([
      this.readRealized(`realized.${metric}`, filter, bucketMs, transaction),
      coverage ?? this.readRealized('labels.coverage', filter, bucketMs, transaction),
    ]);
    return compareWithRealized(estimates, realized, coverageValues);
  }

  private readRealized(name: string, filter: PredictionSeriesFilter, bucketMs: number, transaction?: Transaction): Promise<BucketValue[]> {
    const resolution = this.realized.resolve(name, 'binary_classification');
    if ('refusal' in resolution) throw new Error(resolution.refusal);
    return resolution.read(filter, bucketMs, transaction);
  }

  /** Per compared CBPE metric: buckets compared, running bias, mean absolute error and band coverage over the range. */
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
    await this.references.requireClassifier(modelId, 'modelId');
    const fitted = await this.references.findFitted(modelId);
    if (!fitted) throw EstimationErrors.ESTIMATION_REFERENCE_NOT_FOUND(`Model ${modelId} has no estimation reference; PUT one first.`);
    const filter = { modelId, environment: query.environment ?? DEFAULT_ENVIRONMENT, modelVersion: query.modelVersion, ...range };
    let metrics: EstimationMetricQualityDto[];
    if (fitted.kind === 'multiclass') {
      const rows = await this.predictions.multiclassEstimationGroups(filter, BUCKET_MS[bucket]);
      metrics = MULTICLASS_COMPARED_METRICS.map((metric) =>
        mapEstimationMetricQuality(metric, estimationQuality(multiclassComparisons(fitted.fit, metric, rows))),
      );
    } else {
      const bucketMs = BUCKET_MS[bucket];
      const { reference, fitId } = fitted;
      if (hourlyRollupServes(filter, bucketMs)) {
        const buckets = await this.rollups.bucketStats(filter, bucketMs, { fitId, reference });
        // labels.coverage is the same for every metric: read once
        const coverage = this.readRealized('labels.coverage', filter, bucketMs);
        metrics = await Promise.all(
          CBPE_METRICS.map(async (metric) => {
            const estimates = estimatedValuesFromStats(reference, metric, buckets);
            return mapEstimationMetricQuality(
              metric,
              estimationQuality(await this.comparedWithRealized(metric, estimates, filter, bucketMs, undefined, coverage)),
            );
          }),
        );
      } else {
        const rows = await this.predictions.binaryBucketGroups(filter, bucketMs);
        metrics = CBPE_METRICS.map((metric) =>
          mapEstimationMetricQuality(metric, estimationQuality(estimationComparisons(reference, metric, rows))),
        );
      }
    }
    return { modelId, from: range.from.toISOString(), to: range.to.toISOString(), bucket, minCoverage: ESTIMATION_MIN_COVERAGE, metrics };
  }
}

/** estimation_error.<m> points: the comparison's error as the value, its labelled count as the count. */
const asErrorPoints = (comparisons: readonly EstimationComparison[]): BucketValue[] =>
  comparisons.map(({ bucket, value, count }) => ({ bucket, value, count }));

/** A multiclass model's estimates met with realized.<m> of the same rows. */
function multiclassComparisons(
  fit: MulticlassFit,
  metric: (typeof MULTICLASS_COMPARED_METRICS)[number],
  rows: readonly MulticlassEstimationRow[],
): EstimationComparison[] {
  const { realized, coverage } = multiclassRealized(metric, rows);
  return compareWithRealized(multiclassEstimatedBucketValues(fit, metric, rows), realized, coverage);
}
