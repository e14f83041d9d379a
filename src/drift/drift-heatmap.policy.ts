/** Time buckets of the drift heatmap: epoch-aligned, a dense grid, cells of max score and any-drifted. Pure. */

export const HEATMAP_BUCKETS = { '1h': 3_600_000, '6h': 21_600_000, '1d': 86_400_000, '1w': 604_800_000 } as const;
export type HeatmapBucket = keyof typeof HEATMAP_BUCKETS;
export const MAX_HEATMAP_BUCKETS = 500;
export const DEFAULT_HEATMAP_BUCKETS = 30;

/** Start of the bucket holding `time`: floor(epoch ms / size) · size (so a 1w bucket starts on a Thursday, like the epoch). */
export function bucketStart(time: Date, bucketMs: number): Date {
  return new Date(Math.floor(time.getTime() / bucketMs) * bucketMs);
}

/**
 * The grid for [from, to): `from` is aligned down to its bucket start (default: DEFAULT_HEATMAP_BUCKETS − 1 buckets before
 * the one holding `to`); the last bucket may end early at `to`. Null when the grid would exceed MAX_HEATMAP_BUCKETS.
 */
export function heatmapGrid(to: Date, bucketMs: number, from?: Date): { from: Date; to: Date; starts: Date[] } | null {
  const first = from
    ? bucketStart(from, bucketMs)
    : new Date(bucketStart(to, bucketMs).getTime() - (DEFAULT_HEATMAP_BUCKETS - 1) * bucketMs);
  const count = Math.max(0, Math.ceil((to.getTime() - first.getTime()) / bucketMs));
  if (count > MAX_HEATMAP_BUCKETS) return null;
  return { from: first, to, starts: Array.from({ length: count }, (_, index) => new Date(first.getTime() + index * bucketMs)) };
}

export interface HeatmapAggregate {
  featureName: string;
  bucketStart: Date;
  maxScore: number;
  drifted: boolean;
  checkCount: number;
}

export interface HeatmapCell {
  bucketStart: Date;
  checkCount: number;
  maxScore: number | null;
  drifted: boolean | null;
}

/** Features (by name) × every bucket of the grid; buckets without checks have checkCount 0 and null score/flag. */
export function buildHeatmap(aggregates: readonly HeatmapAggregate[], starts: readonly Date[]): { name: string; cells: HeatmapCell[] }[] {
  const byFeature = new Map<string, Map<number, HeatmapAggregate>>();
  for (const aggregate of aggregates) {
    let cells = byFeature.get(aggregate.featureName);
    if (!cells) byFeature.set(aggregate.featureName, (cells = new Map()));
    cells.set(aggregate.bucketStart.getTime(), aggregate);
  }
  return [...byFeature.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => {
      const cells = byFeature.get(name)!;
      return {
        name,
        cells: starts.map((start) => {
          const aggregate = cells.get(start.getTime());
          return aggregate
            ? { bucketStart: start, checkCount: aggregate.checkCount, maxScore: aggregate.maxScore, drifted: aggregate.drifted }
            : { bucketStart: start, checkCount: 0, maxScore: null, drifted: null };
        }),
      };
    });
}
