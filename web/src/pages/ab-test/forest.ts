/** A/B test view logic: comparisons → forest-plot rows (relative lift with its CI). Pure, unit-tested. */
import type { AbTestResults } from '@/api/types';

export interface LiftRow {
  label: string;
  estimate: number;
  low: number;
  high: number;
  strong: boolean;
}

/** One row per variant compared with control; comparisons without a relative effect (control mean 0) are skipped. */
export function liftRows(results: AbTestResults): LiftRow[] {
  const rows: LiftRow[] = [];
  for (const c of results.comparisons) {
    if (c.relativeEffect === null || c.relativeCiLow === null || c.relativeCiHigh === null) continue;
    rows.push({
      label: `${c.variant} vs ${results.control}`,
      estimate: c.relativeEffect,
      low: c.relativeCiLow,
      high: c.relativeCiHigh,
      strong: c.significant,
    });
  }
  return rows;
}

export const RECOMMENDATION_TEXT: Record<string, string> = {
  insufficient_data: 'Keep collecting: not enough samples per variant yet.',
  srm_detected: 'Stop and investigate: the traffic split does not match the configured weights (sample ratio mismatch).',
  ship_variant: 'Ship the winning variant.',
  keep_control: 'Keep control: the variant is significantly worse.',
  no_difference: 'No detectable difference at the planned sample size.',
  continue: 'Continue: the test has not reached a decision yet.',
};
