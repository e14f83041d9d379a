import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsOptional } from 'src/common/validation/validators';
import { IsLabel } from 'src/metrics/dto/metric-fields.validation';
import { MetricRangeQueryDto } from 'src/metrics/dto/metric-trend.dto';
import { BUCKET_SIZES, type BucketSize } from 'src/metrics/trend.stats';
import { CBPE_METRICS, type CbpeMetric } from 'src/predictions/cbpe.stats';
import { PredictionWindowDto } from 'src/predictions/dto/prediction-window.dto';
import type { EstimationReferenceEntity } from 'src/predictions/estimation-reference.entity';
import type { EstimationQuality } from 'src/predictions/estimation-buckets.policy';

/** The labelled predictions of the window are what CBPE is fitted on. */
export class PutEstimationReferenceDto extends PredictionWindowDto {}

export class SamplingErrorComponentDto {
  @ApiProperty({ enum: CBPE_METRICS, enumName: 'CbpeMetric' })
  metric: CbpeMetric;
  /** Population standard deviation of the metric's observations on the reference (NannyML); null when undefined there. */
  @ApiProperty({ type: 'number', nullable: true })
  standardDeviation: number | null;
  /** Share of observations the metric is made of; a bucket of n predictions has standard error std / √(n · fraction). */
  fraction: number;
}

export class EstimationReferenceDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ format: 'date-time' })
  from: string;
  @ApiProperty({ format: 'date-time' })
  to: string;
  environment: string;
  /** Labelled predictions the reference was fitted on, and how many were labelled 1. */
  @ApiProperty({ type: 'integer' })
  labelled: number;
  @ApiProperty({ type: 'integer' })
  positives: number;
  /** Points of the fitted isotonic calibrator (after trimming the ones linear interpolation does not need). */
  @ApiProperty({ type: 'integer' })
  calibratorPoints: number;
  @ApiProperty({ type: [SamplingErrorComponentDto] })
  samplingError: SamplingErrorComponentDto[];
  @ApiProperty({ format: 'date-time' })
  fittedAt: string;
  /**
   * True when labels of the reference period were added or overwritten after the fit: the estimates still use the
   * stored fit; PUT the reference again to refit.
   */
  stale: boolean;
}

export function mapEstimationReference(reference: EstimationReferenceEntity, stale: boolean): EstimationReferenceDto {
  return {
    modelId: reference.modelId,
    from: reference.referenceFrom.toISOString(),
    to: reference.referenceTo.toISOString(),
    environment: reference.environment,
    labelled: reference.labelled,
    positives: reference.positives,
    calibratorPoints: reference.calibrator.x.length,
    samplingError: CBPE_METRICS.map((metric) => ({
      metric,
      standardDeviation: reference.samplingError[metric].std,
      fraction: reference.samplingError[metric].fraction,
    })),
    fittedAt: reference.fittedAt.toISOString(),
    stale,
  };
}

export class EstimationQualityQueryDto extends MetricRangeQueryDto {
  /** Bucket size the estimates are compared in; default: the smallest giving at most 500 buckets (as the trend). */
  @ApiPropertyOptional({ enum: BUCKET_SIZES, enumName: 'MetricBucket' })
  @IsOptional()
  @IsIn(BUCKET_SIZES)
  bucket?: BucketSize;

  /** Only predictions of this model version (default: all versions). */
  @IsOptional()
  @IsLabel(200)
  modelVersion?: string;
}

export class EstimationMetricQualityDto {
  @ApiProperty({ enum: CBPE_METRICS, enumName: 'CbpeMetric' })
  metric: CbpeMetric;
  /** Buckets with an estimate and a realized value (at least `minCoverage` of their predictions labelled). */
  @ApiProperty({ type: 'integer' })
  bucketsCompared: number;
  /** Running bias: mean of estimate − realized over those buckets (> 0: the estimates ran high). */
  @ApiProperty({ type: 'number', nullable: true })
  bias: number | null;
  /** Mean of |estimate − realized|. */
  @ApiProperty({ type: 'number', nullable: true })
  meanAbsoluteError: number | null;
  /** Share of the compared buckets whose realized value fell inside the estimate's ±3 SE band. */
  @ApiProperty({ type: 'number', nullable: true })
  withinBandShare: number | null;
}

export class EstimationQualityDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ format: 'date-time' })
  from: string;
  @ApiProperty({ format: 'date-time' })
  to: string;
  @ApiProperty({ enum: BUCKET_SIZES, enumName: 'MetricBucket' })
  bucket: BucketSize;
  /** Label coverage a bucket needs before its estimate is compared. */
  minCoverage: number;
  @ApiProperty({ type: [EstimationMetricQualityDto] })
  metrics: EstimationMetricQualityDto[];
}

export const mapEstimationMetricQuality = (metric: CbpeMetric, quality: EstimationQuality): EstimationMetricQualityDto => ({
  metric,
  ...quality,
});
