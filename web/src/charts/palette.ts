/**
 * Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008), ordered for a dark background,
 * and a sequential scale for the heatmap (viridis stops, perceptually uniform and CVD-safe).
 */
export const SERIES_COLORS = ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#F0E442', '#0072B2', '#D55E00', '#BBBBBB'];
export const COLORS = {
  primary: '#56B4E9',
  forecast: '#CC79A7',
  baseline: '#F0E442',
  anomaly: '#D55E00',
  run: '#009E73',
  firing: 'rgba(213, 94, 0, 0.16)',
  band: 'rgba(86, 180, 233, 0.22)',
  forecastBand: 'rgba(204, 121, 167, 0.2)',
  text: '#c9d3e3',
  muted: '#8593aa',
  grid: '#243047',
  axis: '#3a4763',
  background: 'transparent',
};
export const SEVERITY_COLORS: Record<string, string> = { critical: '#D55E00', warning: '#E69F00', info: '#56B4E9' };
export const SEQUENTIAL = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/** A #rrggbb colour with an alpha (bands in a series' own colour). */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
