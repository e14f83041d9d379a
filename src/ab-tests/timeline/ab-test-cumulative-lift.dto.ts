import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsOptional } from 'src/common/validation/validators';
import type { AbTestRecord } from 'src/ab-tests/ab-tests.repository';
import type { AbTestResultsDto } from 'src/ab-tests/dto/ab-test-results.dto';
import { CUMULATIVE_BUCKETS, type CounterState, type CumulativeBucket } from 'src/ab-tests/timeline/cumulative-lift.policy';

const BUCKET_NAMES = Object.keys(CUMULATIVE_BUCKETS) as CumulativeBucket[];

export class GetAbTestCumulativeLiftQueryDto {
  /** Bucket width, aligned to the Unix epoch (UTC; 1d is a UTC day). Default 1d. */
  @ApiPropertyOptional({ enum: BUCKET_NAMES, enumName: 'AbTestCumulativeBucket', default: '1d' })
  @IsOptional()
  @IsIn(BUCKET_NAMES)
  bucket?: CumulativeBucket;
}

/** One treatment vs the control, as GET /results computed it from the counters at that time. */
export class AbTestCumulativeComparisonDto {
  /** The treatment's name. */
  variant: string;
  /** Relative lift Δ/|μ_c| of the primary metric (results' relativeEffect); null when μ_c = 0 or no data. */
  @ApiProperty({ type: 'number', nullable: true })
  relativeEffect: number | null;
  /** The fixed-horizon (1 − α) CI of the relative lift (results' relativeCiLow / relativeCiHigh). */
  @ApiProperty({ type: 'number', nullable: true })
  relativeCiLow: number | null;
  @ApiProperty({ type: 'number', nullable: true })
  relativeCiHigh: number | null;
  /** Results' pValue of the test's analysis. */
  @ApiProperty({ type: 'number', nullable: true })
  pValue: number | null;
  significant: boolean;
}

export class AbTestCumulativePointDto {
  @ApiProperty({ format: 'date-time' })
  bucketStart: string;
  /** The time of the last batch in the bucket: the point holds every observation recorded up to then. */
  @ApiProperty({ format: 'date-time' })
  asOf: string;
  /** Observations per variant so far, in variant order. */
  @ApiProperty({ type: 'integer', isArray: true })
  counts: number[];
  /** One per treatment, in variant order. */
  @ApiProperty({ type: [AbTestCumulativeComparisonDto] })
  comparisons: AbTestCumulativeComparisonDto[];
}

/**
 * The primary metric's lift of every treatment vs the control over time: one point per bucket in which observations
 * were recorded, each the analysis of GET /results run on the counters as they stood after the bucket's last batch.
 * The last point therefore equals GET /results. Observations recorded before this history was kept (December 2026)
 * appear as one batch at the time it was added (or at the test's end, for a test stopped before then).
 */
export class AbTestCumulativeLiftDto {
  @ApiProperty({ format: 'uuid' })
  testId: string;
  primaryMetric: string;
  /** The CIs are (1 − alpha) intervals. */
  alpha: number;
  @ApiProperty({ enum: BUCKET_NAMES, enumName: 'AbTestCumulativeBucket' })
  bucket: CumulativeBucket;
  /** The variant every lift is relative to. */
  control: string;
  @ApiProperty({ type: [AbTestCumulativePointDto] })
  points: AbTestCumulativePointDto[];
}

export function mapCumulativeLift(
  test: AbTestRecord,
  bucket: CumulativeBucket,
  points: Array<{ state: CounterState; results: AbTestResultsDto }>,
): AbTestCumulativeLiftDto {
  return {
    testId: test.id,
    primaryMetric: test.primaryMetric,
    alpha: test.alpha,
    bucket,
    control: test.variants[0].name,
    points: points.map(({ state, results }) => ({
      bucketStart: state.bucketStart.toISOString(),
      asOf: state.asOf.toISOString(),
      counts: results.variants.map((variant) => variant.count),
      comparisons: results.comparisons.map((comparison) => ({
        variant: comparison.variant,
        relativeEffect: comparison.relativeEffect,
        relativeCiLow: comparison.relativeCiLow,
        relativeCiHigh: comparison.relativeCiHigh,
        pValue: comparison.pValue,
        significant: comparison.significant,
      })),
    })),
  };
}
