import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsUUID, Max, Min } from 'class-validator';
import { IsTimestamp } from 'src/common/validation/timestamp';
import { IsFiniteNumberMap, IsOptional } from 'src/common/validation/validators';
import type { DriftOutcomes, DriftReplay } from 'src/drift/drift-threshold-replay.policy';

/** Feature results one preview may re-decide: more is a 400 naming `from`. */
export const MAX_DRIFT_PREVIEW_RESULTS = 200_000;

export class PreviewDriftThresholdsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  modelId: string;

  /** Checks at or after this time (default: the first). */
  @IsOptional()
  @IsTimestamp()
  from?: string;

  /** Checks before this time (default: all). */
  @IsOptional()
  @IsTimestamp()
  to?: string;

  /**
   * Feature name → the threshold to decide it with instead of the stored one (p-value tests: drift when p is at or
   * below/under it; distances: drift when the distance reaches it). Features not named keep their stored threshold.
   */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number', minimum: 0 }, example: { age: 0.2 } })
  @IsFiniteNumberMap()
  thresholds: Record<string, number>;

  /** Decide every check's dataset drift with this share instead of the one it was run with. */
  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  driftShareThreshold?: number;
}

export class DriftOutcomesDto {
  /** Checks that found dataset drift. */
  @ApiProperty({ type: 'integer' })
  driftedChecks: number;
  /** data_drift alerts raised: a drifted check opens one unless one is open; a check without drift resolves it. */
  @ApiProperty({ type: 'integer' })
  alerts: number;
}

export class FeatureThresholdPreviewDto {
  name: string;
  /** The threshold given for it; null: each check's stored threshold. */
  @ApiProperty({ type: 'number', nullable: true })
  threshold: number | null;
  @ApiProperty({ type: 'integer' })
  checks: number;
  /** Checks that found it drifted, as stored. */
  @ApiProperty({ type: 'integer' })
  storedDrifted: number;
  /** Checks that would have found it drifted. */
  @ApiProperty({ type: 'integer' })
  previewDrifted: number;
}

export class DriftThresholdPreviewDto {
  @ApiProperty({ format: 'uuid' })
  modelId: string;
  @ApiProperty({ type: 'integer' })
  checks: number;
  /** What the checks decided when they ran. */
  stored: DriftOutcomesDto;
  /** What they would have decided with the thresholds given. */
  preview: DriftOutcomesDto;
  @ApiProperty({ type: [FeatureThresholdPreviewDto] })
  features: FeatureThresholdPreviewDto[];
}

export function mapDriftThresholdPreview(
  modelId: string,
  replay: DriftReplay,
  thresholds: Record<string, number>,
): DriftThresholdPreviewDto {
  const outcome = (value: DriftOutcomes): DriftOutcomesDto => ({ driftedChecks: value.driftedChecks, alerts: value.alerts });
  return {
    modelId,
    checks: replay.checks,
    stored: outcome(replay.stored),
    preview: outcome(replay.preview),
    features: [...replay.features].map(([name, counts]) => ({ name, threshold: thresholds[name] ?? null, ...counts })),
  };
}
