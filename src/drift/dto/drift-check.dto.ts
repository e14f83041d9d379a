import { IsTimestamp } from 'src/common/validation/timestamp';
import { ApiProperty, ApiPropertyOptional, getSchemaPath, IntersectionType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsNumber, IsObject, IsUUID, Max, Min } from 'class-validator';
import { PaginationQueryDto } from 'src/common/pagination/pagination.dto';
import { IsOptional, IsPlainObject, NestedDto } from 'src/common/validation/validators';
import { DriftCheckEntity } from 'src/drift/drift-check.entity';
import { DriftFeatureResultEntity } from 'src/drift/drift-feature-result.entity';
import { FeatureKind } from 'src/drift/reference-feature.entity';
import { STAT_TESTS, type StatTest } from 'src/drift/drift-check.stats';
import { FeatureValuesDto, finiteOrNull, MAX_FEATURES } from 'src/drift/dto/reference.dto';
import { RetrainOutcomeDto, RetrainOutcomeReason } from 'src/drift/dto/retrain.dto';
import { HEATMAP_BUCKETS, type HeatmapBucket, type HeatmapCell } from 'src/drift/drift-heatmap.policy';
import { ModelReferenceDto } from 'src/models/dto/model-reference.dto';
import { SampleFeatureQualityDto } from 'src/data-quality/dto/data-quality.dto';

export const STAT_TEST_OPTIONS: readonly (StatTest | 'auto')[] = ['auto', ...STAT_TESTS];
const HEATMAP_BUCKET_NAMES = Object.keys(HEATMAP_BUCKETS) as HeatmapBucket[];

export class DriftSamplesDto {
  /** 1–500 features, names unique. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FEATURES)
  @NestedDto(() => FeatureValuesDto, { each: true })
  features: FeatureValuesDto[];
}

/** Per-feature overrides of the test and threshold. */
export class FeatureTestOptionsDto {
  @ApiPropertyOptional({ enum: STAT_TEST_OPTIONS, enumName: 'StatTestOption' })
  stattest?: StatTest | 'auto';
  /** p-value threshold for ks/chisquare/z, distance threshold for the others. */
  threshold?: number;
}

export class CheckDriftDto extends ModelReferenceDto {
  /** The production sample to compare. Every feature must exist in the reference. */
  @IsObject()
  @NestedDto(() => DriftSamplesDto)
  current: DriftSamplesDto;

  /** An inline reference, used instead of the model's stored one. */
  @IsOptional()
  @IsObject()
  @NestedDto(() => DriftSamplesDto)
  reference?: DriftSamplesDto;

  /** The test for every feature (default `auto`: Evidently's rule by type, size and distinct values). */
  @ApiPropertyOptional({ enum: STAT_TEST_OPTIONS, enumName: 'StatTestOption', default: 'auto' })
  @IsOptional()
  @IsIn(STAT_TEST_OPTIONS)
  stattest?: StatTest | 'auto';

  /** Threshold for every feature (default per test: 0.05 for p-values, 0.1 for distances). */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  threshold?: number;

  /** Overrides by feature name: `{ "age": { "stattest": "psi", "threshold": 0.2 } }`. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { $ref: getSchemaPath(FeatureTestOptionsDto) } })
  @IsOptional()
  @IsPlainObject()
  perFeature?: Record<string, FeatureTestOptionsDto>;

  /** Dataset drift when at least this share of features drifted (default 0.5). */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  driftShareThreshold?: number;

  /** Retrain when the dataset drifted: true asks for it, false forbids it; omitted, the model's retrain policy decides. */
  @IsOptional()
  @IsBoolean()
  triggerRetrain?: boolean;
}

/** Bin counts of a numerical feature on shared edges (np.histogram over the pooled range, 20 bins), for display. */
export class FeatureHistogramDto {
  /** Bin edges, ascending (one more than the counts); bin i is [edges[i], edges[i+1]), the last bin closed. */
  @ApiProperty({ type: 'number', isArray: true })
  edges: number[];
  /** Reference values per bin. */
  @ApiProperty({ type: 'integer', isArray: true })
  reference: number[];
  /** Current values per bin. */
  @ApiProperty({ type: 'integer', isArray: true })
  current: number[];
}

export class FeatureDriftDto {
  name: string;
  @ApiProperty({ enum: FeatureKind, enumName: 'FeatureType' })
  type: FeatureKind;
  @ApiProperty({ enum: STAT_TESTS, enumName: 'StatTestName' })
  stattest: StatTest;
  /** p-value (ks, chisquare, z) or distance (wasserstein, psi, kl_div, jensenshannon); null if not finite. */
  @ApiProperty({ type: 'number', nullable: true })
  score: number | null;
  threshold: number;
  drifted: boolean;
  @ApiProperty({ type: 'integer' })
  referenceSize: number;
  @ApiProperty({ type: 'integer' })
  currentSize: number;
  /** Reference vs current bin counts for numerical features; null for categorical ones (and checks recorded before this field). */
  @ApiProperty({ type: FeatureHistogramDto, nullable: true })
  histogram: FeatureHistogramDto | null;
}

export class DriftCheckSummaryDto {
  @ApiProperty({ format: 'uuid' })
  checkId: string;
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ format: 'date-time' })
  checkedAt: string;
  /** `stored` (the model's reference) or `inline` (sent with the check). */
  @ApiProperty({ enum: ['stored', 'inline'], enumName: 'ReferenceSource' })
  referenceSource: 'stored' | 'inline';
  datasetDrift: boolean;
  /** Drifted features / features. */
  driftShare: number;
  driftShareThreshold: number;
  @ApiProperty({ type: 'integer' })
  numberOfFeatures: number;
  @ApiProperty({ type: 'integer' })
  numberOfDriftedFeatures: number;
  /** The data_drift alert raised by this check. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  alertId: string | null;
  /**
   * What the check did about retraining: `{ triggered: false, reason: "not_requested" }` when it was sent with
   * `triggerRetrain: false` (drift or not); otherwise null when it found no dataset drift.
   */
  @ApiProperty({ type: RetrainOutcomeDto, nullable: true })
  retrain: RetrainOutcomeDto | null;
}

export class DriftCheckDto extends DriftCheckSummaryDto {
  @ApiProperty({ type: [FeatureDriftDto] })
  features: FeatureDriftDto[];
  /**
   * Per current feature, in request order: missing, out-of-range, unseen-category and type-mismatch shares of the
   * current sample against the model's given expectation for the feature, or else the reference sample's range and
   * categories (docs/predictions.md, "Data quality"). Null for checks recorded before this field.
   */
  @ApiProperty({ type: [SampleFeatureQualityDto], nullable: true })
  dataQuality: SampleFeatureQualityDto[] | null;
}

export class DriftCheckPageDto {
  @ApiProperty({ type: [DriftCheckSummaryDto] })
  items: DriftCheckSummaryDto[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}

export class DriftTimeRangeQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  modelId: string;

  /** Checks at or after this time. */
  @IsOptional()
  @IsTimestamp({ query: true })
  from?: string;

  /** Checks before this time. */
  @IsOptional()
  @IsTimestamp({ query: true })
  to?: string;
}

/** Newest first. */
export class ListDriftChecksQueryDto extends IntersectionType(PaginationQueryDto, DriftTimeRangeQueryDto) {}

export class DriftHeatmapQueryDto extends DriftTimeRangeQueryDto {
  /** Bucket width; buckets are aligned to the Unix epoch (UTC). Default 1d, at most 500 buckets. */
  @ApiPropertyOptional({ enum: HEATMAP_BUCKET_NAMES, enumName: 'HeatmapBucket', default: '1d' })
  @IsOptional()
  @IsIn(HEATMAP_BUCKET_NAMES)
  bucket?: HeatmapBucket;
}

export class HeatmapCellDto {
  @ApiProperty({ format: 'date-time' })
  bucketStart: string;
  /** Checks of this feature in the bucket. */
  @ApiProperty({ type: 'integer' })
  checkCount: number;
  /** The highest score in the bucket; null without checks. */
  @ApiProperty({ type: 'number', nullable: true })
  maxScore: number | null;
  /** Whether any check in the bucket found the feature drifted; null without checks. */
  @ApiProperty({ type: 'boolean', nullable: true })
  drifted: boolean | null;
}

export class HeatmapFeatureDto {
  name: string;
  /** One cell per bucket, in the order of `buckets`. */
  @ApiProperty({ type: [HeatmapCellDto] })
  cells: HeatmapCellDto[];
}

export class DriftHeatmapDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ enum: HEATMAP_BUCKET_NAMES, enumName: 'HeatmapBucket' })
  bucket: HeatmapBucket;
  @ApiProperty({ format: 'date-time' })
  from: string;
  @ApiProperty({ format: 'date-time' })
  to: string;
  /** Start of each bucket. */
  @ApiProperty({ type: 'string', format: 'date-time', isArray: true })
  buckets: string[];
  /** Features seen in the range, by name. */
  @ApiProperty({ type: [HeatmapFeatureDto] })
  features: HeatmapFeatureDto[];
}

export function mapFeatureResult(result: DriftFeatureResultEntity): FeatureDriftDto {
  return {
    name: result.featureName,
    type: result.type,
    stattest: result.stattest as StatTest,
    score: finiteOrNull(result.score),
    threshold: result.threshold,
    drifted: result.drifted,
    referenceSize: result.referenceSize,
    currentSize: result.currentSize,
    histogram: result.histogram ?? null,
  };
}

export function mapDriftCheckSummary(check: DriftCheckEntity): DriftCheckSummaryDto {
  return {
    checkId: check.id,
    modelId: check.modelId,
    checkedAt: check.checkedAt.toISOString(),
    referenceSource: check.referenceSource,
    datasetDrift: check.datasetDrift,
    driftShare: check.driftShare,
    driftShareThreshold: check.driftShareThreshold,
    numberOfFeatures: check.numberOfFeatures,
    numberOfDriftedFeatures: check.numberOfDriftedFeatures,
    alertId: check.alertId,
    retrain:
      check.retrainTriggered === null
        ? null
        : {
            triggered: check.retrainTriggered,
            trainingRunId: check.trainingRunId,
            reason: check.retrainReason as RetrainOutcomeReason,
            detail: check.retrainDetail ?? '',
          },
  };
}

export function mapDriftCheck(check: DriftCheckEntity, results: DriftFeatureResultEntity[]): DriftCheckDto {
  return { ...mapDriftCheckSummary(check), features: results.map(mapFeatureResult), dataQuality: check.dataQuality ?? null };
}

export function mapHeatmapCell(cell: HeatmapCell): HeatmapCellDto {
  return {
    bucketStart: cell.bucketStart.toISOString(),
    checkCount: cell.checkCount,
    maxScore: finiteOrNull(cell.maxScore),
    drifted: cell.drifted,
  };
}
