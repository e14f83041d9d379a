import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsOptional } from 'src/common/validation/validators';
import { IsLabel } from 'src/metrics/dto/metric-fields.validation';
import { MetricRangeQueryDto } from 'src/metrics/dto/metric-trend.dto';
import { BUCKET_SIZES, type BucketSize } from 'src/metrics/trend.stats';
import { CBPE_METRICS } from 'src/predictions/cbpe.stats';
import { MULTICLASS_CBPE_METRICS } from 'src/predictions/cbpe-multiclass.stats';
import { PredictionWindowDto } from 'src/predictions/dto/prediction-window.dto';
import type { EstimationReferenceEntity, StoredMulticlassCalibrator } from 'src/predictions/estimation-reference.entity';
import type { EstimationQuality } from 'src/predictions/estimation-buckets.policy';

/** The labelled predictions of the window are what CBPE is fitted on. */
export class PutEstimationReferenceDto extends PredictionWindowDto {}

/** CBPE metrics: binary models' accuracy, precision, recall, f1, auc; multiclass models' accuracy and macro averages. */
export const ESTIMATION_METRICS = [...new Set([...CBPE_METRICS, ...MULTICLASS_CBPE_METRICS])];
export type EstimationMetric = (typeof ESTIMATION_METRICS)[number];

export class SamplingErrorComponentDto {
  @ApiProperty({ enum: ESTIMATION_METRICS, enumName: 'CbpeMetric' })
  metric: EstimationMetric;
  /** Multiclass models: the class this one-vs-rest component is of (macro metrics have one per class); absent for binary models and accuracy. */
  @ApiPropertyOptional()
  class?: string;
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
  /** Labelled predictions with label '1' (binary: the positives). */
  @ApiProperty({ type: 'integer' })
  positives: number;
  /** Multiclass models: the classes of the reference (sorted), one calibrator each; null for binary models. */
  @ApiProperty({ type: [String], nullable: true })
  classes: string[] | null;
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

function samplingErrorRows(reference: EstimationReferenceEntity): SamplingErrorComponentDto[] {
  // In the fit's metric order (jsonb keeps its keys sorted by length, not as written).
  const multiclass = 'classes' in reference.calibrator;
  const classes = multiclass ? (reference.calibrator as StoredMulticlassCalibrator).classes : [];
  return (multiclass ? MULTICLASS_CBPE_METRICS : CBPE_METRICS).flatMap((metric) => {
    const stored = reference.samplingError[metric];
    return Array.isArray(stored)
      ? stored.map(({ std, fraction }, k) => ({ metric, class: classes[k], standardDeviation: std, fraction }))
      : [{ metric, standardDeviation: stored.std, fraction: stored.fraction }];
  });
}

export function mapEstimationReference(reference: EstimationReferenceEntity, stale: boolean): EstimationReferenceDto {
  return {
    modelId: reference.modelId,
    from: reference.referenceFrom.toISOString(),
    to: reference.referenceTo.toISOString(),
    environment: reference.environment,
    labelled: reference.labelled,
    positives: reference.positives,
    classes: 'classes' in reference.calibrator ? reference.calibrator.classes : null,
    calibratorPoints:
      'classes' in reference.calibrator
        ? reference.calibrator.perClass.reduce((sum, calibrator) => sum + calibrator.x.length, 0)
        : reference.calibrator.x.length,
    samplingError: samplingErrorRows(reference),
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
  @ApiProperty({ enum: ESTIMATION_METRICS, enumName: 'CbpeMetric' })
  metric: EstimationMetric;
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

export const mapEstimationMetricQuality = (metric: EstimationMetric, quality: EstimationQuality): EstimationMetricQualityDto => ({
  metric,
  ...quality,
});
