/** Drift page view logic: the heatmap response → cells, and histogram bins → bar series. Pure, unit-tested. */
import type { DriftHeatmap } from '@/api/types';
import { formatNumber, formatShortTime } from '@/app/format';

export const HEATMAP_BUCKET_MS: Record<string, number> = { '1h': 3_600_000, '6h': 21_600_000, '1d': 86_400_000, '1w': 604_800_000 };

export interface HeatmapModel {
  xLabels: string[];
  yLabels: string[];
  /** [bucket index, feature index, max score, drifted]; buckets without checks are left out. */
  cells: Array<[number, number, number, boolean]>;
  min: number;
  max: number;
  driftedCells: number;
}

export function heatmapModel(heatmap: DriftHeatmap): HeatmapModel {
  const cells: Array<[number, number, number, boolean]> = [];
  let min = Infinity;
  let max = -Infinity;
  let driftedCells = 0;
  heatmap.features.forEach((feature, y) => {
    feature.cells.forEach((cell, x) => {
      if (cell.checkCount === 0 || cell.maxScore === null) return;
      cells.push([x, y, cell.maxScore, cell.drifted === true]);
      if (cell.drifted) driftedCells++;
      if (cell.maxScore < min) min = cell.maxScore;
      if (cell.maxScore > max) max = cell.maxScore;
    });
  });
  if (!Number.isFinite(min)) [min, max] = [0, 1];
  if (min === max) max = min + 1;
  return { xLabels: heatmap.buckets.map(formatShortTime), yLabels: heatmap.features.map((f) => f.name), cells, min, max, driftedCells };
}

export interface HistogramBins {
  edges: number[];
  reference: number[];
  current: number[];
}

/** Bin labels "[a, b)" and each side as a share of its sample, so different sample sizes compare. */
export function histogramSeries(bins: HistogramBins): { labels: string[]; reference: number[]; current: number[] } {
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0) || 1;
  const rt = total(bins.reference);
  const ct = total(bins.current);
  return {
    labels: bins.reference.map((_, i) => `${formatNumber(bins.edges[i], 3)}–${formatNumber(bins.edges[i + 1], 3)}`),
    reference: bins.reference.map((c) => c / rt),
    current: bins.current.map((c) => c / ct),
  };
}
