import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsNullable, IsOptional, IsStringMap, NestedDto } from 'src/common/validation/validators';
import { IsTimestamp } from 'src/common/validation/timestamp';
import { MAX_EXPECTED_FEATURES, MAX_LEARNED_CATEGORIES, type QualityThresholds } from 'src/data-quality/data-quality.policy';
import type { ExpectedType, FeatureExpectation, QualityShares } from 'src/data-quality/data-quality.stats';
import type { ExpectationSource } from 'src/data-quality/data-quality.repository';
import { IsLabel } from 'src/metrics/dto/metric-fields.validation';
import { BUCKET_SIZES, type BucketSize } from 'src/metrics/buckets.policy';
import { PredictionWindowDto } from 'src/predictions/dto/prediction-window.dto';

const FEATURE_TYPES: ExpectedType[] = ['numerical', 'categorical'];

/** Expectations are learned from the window's predictions; the periodic evaluation reads its environment. */
export class SetDataQualityReferenceDto extends PredictionWindowDto {}
export class GivenExpectationDto {
  /** Feature name, 1–200 characters. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: FEATURE_TYPES, enumName: 'DataQualityFeatureType' })
  @IsIn(FEATURE_TYPES)
  type: ExpectedType;

  /** Numerical: lowest accepted value (inclusive); omitted or null: unbounded below. */
  @ApiPropertyOptional({ type: 'number', nullable: true })
  @IsNullable()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  min?: number | null;

  /** Numerical: highest accepted value (inclusive). */
  @ApiPropertyOptional({ type: 'number', nullable: true })
  @IsNullable()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  max?: number | null;

  /** Categorical: the allowed categories (up to 1,000); omitted or null: not checked. */
  @ApiPropertyOptional({ type: 'string', isArray: true, nullable: true, maxItems: MAX_LEARNED_CATEGORIES })
  @IsNullable()
  @IsArray()
  @ArrayMaxSize(MAX_LEARNED_CATEGORIES)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  categories?: string[] | null;

  /** false: any missing value breaches (default true). */
  @IsOptional()
  @IsBoolean()
  nullable?: boolean;
}

export class DataQualityThresholdsDto {
  /** Alert when a nullable feature's missing share exceeds this (a non-nullable one alerts on any missing value). */
  @ApiProperty({ minimum: 0, maximum: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  missingShare: number;

  @ApiProperty({ minimum: 0, maximum: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  outOfRangeShare: number;

  @ApiProperty({ minimum: 0, maximum: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  unseenCategoryShare: number;

  @ApiProperty({ minimum: 0, maximum: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  typeMismatchShare: number;

  /** The periodic evaluation reads the predictions of the last this many minutes (1–10,080). */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 10_080 })
  @IsInt()
  @Min(1)
  @Max(10_080)
  windowMinutes: number;

  /** Fewer predictions in that window: no alert is raised or resolved (1–1,000,000). */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1_000_000 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minCount: number;
}

export class SetDataQualityExpectationsDto {
  /** Given expectations (up to 500, names unique); they replace the given ones stored and win over learned ones. Omitted: kept. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_EXPECTED_FEATURES)
  @NestedDto(() => GivenExpectationDto, { each: true })
  features?: GivenExpectationDto[];

  /** Alert thresholds; omitted: kept (defaults until first set). */
  @IsOptional()
  @IsObject()
  @NestedDto(() => DataQualityThresholdsDto)
  thresholds?: DataQualityThresholdsDto;
}

export class FeatureExpectationDto {
  name: string;
  @ApiProperty({ enum: FEATURE_TYPES, enumName: 'DataQualityFeatureType' })
  type: ExpectedType;
  @ApiProperty({ type: 'number', nullable: true })
  min: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  max: number | null;
  @ApiProperty({ type: 'string', isArray: true, nullable: true })
  categories: string[] | null;
  nullable: boolean;
  /** `learned` from the reference window, or `given`. */
  @ApiProperty({ enum: ['learned', 'given'], enumName: 'DataQualityExpectationSource' })
  source: ExpectationSource;
}

export class DataQualityReferenceWindowDto {
  @ApiProperty({ format: 'date-time' })
  from: string;
  @ApiProperty({ format: 'date-time' })
  to: string;
  environment: string;
}

export class DataQualityExpectationsDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  /** The window the learned expectations come from; null before one is set. */
  @ApiProperty({ type: DataQualityReferenceWindowDto, nullable: true })
  reference: DataQualityReferenceWindowDto | null;
  /** The effective expectation of each feature (a given one wins over a learned one), by name. */
  @ApiProperty({ type: [FeatureExpectationDto] })
  features: FeatureExpectationDto[];
  thresholds: DataQualityThresholdsDto;
}

export class DataQualityQueryDto {
  /** Start of the range, inclusive; default: 30 days before `to`. */
  @IsOptional()
  @IsTimestamp({ query: true })
  from?: string;

  /** End of the range, exclusive; default: now. */
  @IsOptional()
  @IsTimestamp({ query: true })
  to?: string;

  /** Bucket size, aligned to the Unix epoch in UTC; default: the smallest size giving at most 500 buckets. */
  @ApiPropertyOptional({ enum: BUCKET_SIZES, enumName: 'MetricBucket' })
  @IsOptional()
  @IsIn(BUCKET_SIZES)
  bucket?: BucketSize;

  /** Only this feature (default: every expected feature). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  feature?: string;

  /** Environment of the predictions; default `production`. */
  @ApiPropertyOptional({ default: 'production' })
  @IsOptional()
  @IsLabel(100)
  environment?: string;

  /** Only predictions of this model version. */
  @IsOptional()
  @IsLabel(200)
  modelVersion?: string;

  /** Only predictions whose segment contains these pairs: `segment.<key>=<value>`. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, style: 'deepObject', explode: true } as object)
  @IsOptional()
  @IsStringMap({ maxEntries: 20 })
  segment?: Record<string, string>;
}

/** Shares of one feature over a set of rows (definitions in docs/predictions.md, "Data quality"); null where undefined. */
export class QualitySharesDto {
  /** Rows (predictions, or sample values). */
  @ApiProperty({ type: 'integer' })
  count: number;
  /** Missing (absent or null) / rows. */
  @ApiProperty({ type: 'number', nullable: true })
  missingShare: number | null;
  /** Numbers outside [min, max] / numbers present; null for categorical features or without bounds. */
  @ApiProperty({ type: 'number', nullable: true })
  outOfRangeShare: number | null;
  /** Values not among the categories / values present; null for numerical features or without categories. */
  @ApiProperty({ type: 'number', nullable: true })
  unseenCategoryShare: number | null;
  /** Values of the wrong kind (a string in a numerical feature) / values present. */
  @ApiProperty({ type: 'number', nullable: true })
  typeMismatchShare: number | null;
}

export class QualityBucketDto extends QualitySharesDto {
  @ApiProperty({ format: 'date-time' })
  bucketStart: string;
}

export class FeatureQualitySeriesDto {
  name: string;
  @ApiProperty({ enum: FEATURE_TYPES, enumName: 'DataQualityFeatureType' })
  type: ExpectedType;
  @ApiProperty({ enum: ['learned', 'given'], enumName: 'DataQualityExpectationSource' })
  source: ExpectationSource;
  /** Non-empty buckets, oldest first. */
  @ApiProperty({ type: [QualityBucketDto] })
  buckets: QualityBucketDto[];
}

export class DataQualityDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ enum: BUCKET_SIZES, enumName: 'MetricBucket' })
  bucket: BucketSize;
  @ApiProperty({ format: 'date-time' })
  from: string;
  @ApiProperty({ format: 'date-time' })
  to: string;
  @ApiProperty({ type: [FeatureQualitySeriesDto] })
  features: FeatureQualitySeriesDto[];
}

/** One feature of a drift check's current sample against its expectation. */
export class SampleFeatureQualityDto extends QualitySharesDto {
  name: string;
  @ApiProperty({ enum: FEATURE_TYPES, enumName: 'DataQualityFeatureType' })
  type: ExpectedType;
  /** `reference`: learned from the check's reference sample (range = its [min, max], categories = its values); `given`: the model's given expectation. */
  @ApiProperty({ enum: ['reference', 'given'], enumName: 'SampleQualitySource' })
  source: 'reference' | 'given';
}

export const mapQualityShares = (count: number, shares: QualityShares): QualitySharesDto => ({ count, ...shares });

export function mapExpectation(expectation: FeatureExpectation & { source: ExpectationSource }): FeatureExpectationDto {
  return {
    name: expectation.name,
    type: expectation.type,
    min: expectation.min,
    max: expectation.max,
    categories: expectation.categories === null ? null : [...expectation.categories],
    nullable: expectation.nullable,
    source: expectation.source,
  };
}

export const mapThresholds = (thresholds: QualityThresholds): DataQualityThresholdsDto => ({ ...thresholds });
