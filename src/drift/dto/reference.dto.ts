import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsString, MaxLength, MinLength } from 'class-validator';
import { IsSampleValues } from 'src/drift/dto/sample-values.validator';
import { FeatureKind, ModelReferenceFeatureEntity } from 'src/drift/reference-feature.entity';
import { ModelReferenceEntity } from 'src/drift/reference.entity';
import type { SampleValue } from 'src/drift/reference-sample';
import { IsOptional, NestedDto } from 'src/common/validation/validators';

export const MAX_FEATURES = 500;

const VALUES_SCHEMA: ApiPropertyOptions = {
  type: 'array',
  maxItems: 1_000_000,
  // anyOf, not oneOf: null matches every branch
  items: {
    anyOf: [
      { type: 'number', nullable: true },
      { type: 'string', maxLength: 1000, nullable: true },
      { type: 'boolean', nullable: true },
    ],
  },
};

export class FeatureValuesBodyDto {
  /** `numerical` or `categorical`; inferred when omitted (every value a number → numerical). */
  @ApiPropertyOptional({ enum: FeatureKind, enumName: 'FeatureType' })
  @IsOptional()
  @IsEnum(FeatureKind)
  type?: FeatureKind;

  /** Up to 1,000,000 values: numbers, strings (≤ 1000 characters), booleans or null. Nulls are dropped before any test. */
  @ApiProperty(VALUES_SCHEMA)
  @IsSampleValues()
  values: SampleValue[];
}

export class FeatureValuesDto extends FeatureValuesBodyDto {
  /** Feature (column) name, 1–200 characters. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

export class PutReferenceDto {
  /** The whole reference (1–500 features, names unique); replaces the stored one atomically. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FEATURES)
  @NestedDto(() => FeatureValuesDto, { each: true })
  features: FeatureValuesDto[];

  /** What this reference is, e.g. "training set of 2024-05-01". */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

/** One feature, for references larger than one request body: upload them feature by feature. */
export class PutReferenceFeatureDto extends FeatureValuesBodyDto {}

export class CategoryCountDto {
  /** The category as a string (numbers and booleans in their JSON spelling). */
  value: string;
  @ApiProperty({ type: 'integer' })
  count: number;
  /** count / feature count. */
  share: number;
}

export class ReferenceFeatureSummaryDto {
  name: string;
  @ApiProperty({ enum: FeatureKind, enumName: 'FeatureType' })
  type: FeatureKind;
  /** Values kept (after dropping null). */
  @ApiProperty({ type: 'integer' })
  count: number;
  /** Values dropped as null. */
  @ApiProperty({ type: 'integer' })
  missingCount: number;
  @ApiProperty({ type: 'integer' })
  distinctCount: number;
  /** Numerical features: smallest value. */
  @ApiProperty({ type: 'number', nullable: true })
  min: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  max: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  median: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  mean: number | null;
  /** Population standard deviation. */
  @ApiProperty({ type: 'number', nullable: true })
  std: number | null;
  /** Categorical features: the 10 most frequent categories. */
  @ApiProperty({ type: [CategoryCountDto], nullable: true })
  topCategories: CategoryCountDto[] | null;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ReferenceDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ type: 'string', nullable: true })
  description: string | null;
  @ApiProperty({ type: 'integer' })
  featureCount: number;
  @ApiProperty({ type: [ReferenceFeatureSummaryDto] })
  features: ReferenceFeatureSummaryDto[];
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

/** JSON never carries NaN or ±Infinity. */
export function finiteOrNull(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) ? value : null;
}

export function mapReferenceFeature(feature: ModelReferenceFeatureEntity): ReferenceFeatureSummaryDto {
  const numerical = feature.type === FeatureKind.Numerical;
  return {
    name: feature.name,
    type: feature.type,
    count: feature.size,
    missingCount: feature.missingCount,
    distinctCount: feature.distinctCount,
    min: finiteOrNull(feature.display.min),
    max: finiteOrNull(feature.display.max),
    median: finiteOrNull(feature.display.median),
    mean: numerical ? finiteOrNull(feature.mean) : null,
    std: numerical ? finiteOrNull(feature.std) : null,
    topCategories: numerical
      ? null
      : (feature.display.topCategories ?? []).map((category) => ({ ...category, share: category.count / feature.size })),
    updatedAt: feature.updatedAt.toISOString(),
  };
}

export function mapReference(reference: ModelReferenceEntity, features: ModelReferenceFeatureEntity[]): ReferenceDto {
  return {
    modelId: reference.modelId,
    description: reference.description,
    featureCount: features.length,
    features: features.map(mapReferenceFeature),
    createdAt: reference.createdAt.toISOString(),
    updatedAt: reference.updatedAt.toISOString(),
  };
}
