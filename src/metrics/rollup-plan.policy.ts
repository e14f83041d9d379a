/**
 * Which store answers each part of a trend range: the rollups (minute, hour, day) where a rollup bucket lies wholly
 * inside the range and inside one trend bucket, raw points elsewhere. Pure: no framework, no database.
 */
export const ROLLUP_RESOLUTIONS = ['day', 'hour', 'minute'] as const;
export type RollupResolution = (typeof ROLLUP_RESOLUTIONS)[number];

export const RESOLUTION_MS: Readonly<Record<RollupResolution, number>> = Object.freeze({
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
});

/** A half-open interval [from, to) in epoch ms read from one store. */
export interface SourcePiece {
  source: RollupResolution | 'raw';
  from: number;
  to: number;
}

/**
 * The resolutions that can serve a trend bucket of `bucketMs` exactly: those whose buckets nest inside it (both are
 * aligned to the Unix epoch, so a resolution serves when it divides the bucket length). Coarsest first.
 */
export function servingResolutions(bucketMs: number): RollupResolution[] {
  return ROLLUP_RESOLUTIONS.filter((resolution) => bucketMs % RESOLUTION_MS[resolution] === 0);
}

/**
 * Splits [from, to) into pieces: the coarsest serving resolution covers its aligned middle, the next finer one the
 * aligned parts of what is left on either side, and raw points only the sub-minute edges. Pieces are disjoint, cover
 * [from, to) exactly and come in time order; empty pieces are left out.
 */
export function planTrendSources(from: number, to: number, bucketMs: number): SourcePiece[] {
  return plan(from, to, servingResolutions(bucketMs));
}

function plan(from: number, to: number, levels: readonly RollupResolution[]): SourcePiece[] {
  if (to <= from) return [];
  if (levels.length === 0) return [{ source: 'raw', from, to }];
  const [level, ...finer] = levels;
  const size = RESOLUTION_MS[level];
  const start = Math.ceil(from / size) * size;
  const end = Math.floor(to / size) * size;
  if (end <= start) return plan(from, to, finer);
  return [...plan(from, start, finer), { source: level, from: start, to: end }, ...plan(end, to, finer)];
}

/**
 * planTrendSources for a series whose rollups hold every point recorded before `watermark` (epoch ms; null: every
 * point): rollup pieces lie wholly before it, raw points serve [watermark, to) (the points the rollup worker has not
 * folded yet, and whatever was recorded after them).
 */
export function planTrendSourcesBefore(from: number, to: number, bucketMs: number, watermark: number | null): SourcePiece[] {
  if (watermark === null || watermark >= to) return planTrendSources(from, to, bucketMs);
  const cut = Math.max(from, watermark);
  const pieces = planTrendSources(from, cut, bucketMs);
  const last = pieces.at(-1);
  if (last?.source === 'raw') return [...pieces.slice(0, -1), { source: 'raw', from: last.from, to }];
  return [...pieces, { source: 'raw', from: cut, to }];
}
