/** A/B test view logic: the API's cumulative lift → one line and one CI band per treatment. Pure, unit-tested. */
import type { AbTestCumulativeLift } from '@/api/types';

export interface CumulativeSeries {
  variant: string;
  /** [bucket start ms, relative lift] */
  line: Array<[number, number]>;
  /** [bucket start ms, CI low, CI high] */
  band: Array<[number, number, number]>;
}

/** One series per treatment, in variant order; points where the API has no lift (control mean 0) are left out. */
export function cumulativeSeries(cumulative: AbTestCumulativeLift): CumulativeSeries[] {
  const byVariant = new Map<string, CumulativeSeries>();
  for (const point of cumulative.points) {
    const at = Date.parse(point.bucketStart);
    for (const c of point.comparisons) {
      let series = byVariant.get(c.variant);
      if (!series) byVariant.set(c.variant, (series = { variant: c.variant, line: [], band: [] }));
      if (c.relativeEffect === null) continue;
      series.line.push([at, c.relativeEffect]);
      if (c.relativeCiLow !== null && c.relativeCiHigh !== null) series.band.push([at, c.relativeCiLow, c.relativeCiHigh]);
    }
  }
  return [...byVariant.values()];
}
