/** Model page view logic: API responses → chart series and tables. Pure (no DOM), unit-tested. */
import type { Alert, MetricTrend, TrainingRun } from '@/api/types';
import { formatNumber, formatTime } from '@/app/format';

export const RANGES: Record<string, number> = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '14d': 14 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
};
export const DEFAULT_RANGE = '7d';

/** [from, to) for a named range ending at `now` (ms). */
export function rangeBounds(range: string, now: number): { from: string; to: string } {
  const span = RANGES[range] ?? RANGES[DEFAULT_RANGE];
  return { from: new Date(now - span).toISOString(), to: new Date(now).toISOString() };
}

export interface TrendSeries {
  line: Array<[number, number]>;
  band: Array<[number, number, number]>;
  forecast: Array<[number, number]>;
  forecastBand: Array<[number, number, number]>;
  anomalies: Array<[number, number]>;
}

/** One line point per API bucket, in order; the forecast line starts at the last observed bucket so it joins up. */
export function trendSeries(trend: MetricTrend): TrendSeries {
  const line = trend.points.map((p) => [Date.parse(p.bucketStart), p.value] as [number, number]);
  const band: Array<[number, number, number]> = [];
  for (const p of trend.points) {
    if (typeof p.p10 === 'number' && typeof p.p90 === 'number') band.push([Date.parse(p.bucketStart), p.p10, p.p90]);
  }
  const forecast = trend.forecast.map((f) => [Date.parse(f.bucketStart), f.value] as [number, number]);
  const forecastBand = trend.forecast.map((f) => [Date.parse(f.bucketStart), f.lower, f.upper] as [number, number, number]);
  if (forecast.length && line.length) {
    const last = line[line.length - 1];
    forecast.unshift(last);
    forecastBand.unshift([last[0], last[1], last[1]]);
  }
  const anomalies = trend.anomalies.map((a) => [Date.parse(a.bucketStart), a.value] as [number, number]);
  return { line, band, forecast, forecastBand, anomalies };
}

/** Shaded periods: each alert from firedAt (or firstSeenAt) to resolvedAt, or to the end of the range while open; clipped to the range. */
export function firingPeriods(alerts: Alert[], from: number, to: number): Array<{ from: number; to: number; label: string }> {
  const periods: Array<{ from: number; to: number; label: string }> = [];
  for (const alert of alerts) {
    const start = Date.parse(alert.firedAt ?? alert.firstSeenAt);
    const end = alert.resolvedAt ? Date.parse(alert.resolvedAt) : to;
    if (Number.isNaN(start) || end < from || start > to) continue;
    periods.push({ from: Math.max(start, from), to: Math.min(Math.max(end, start), to), label: alert.title ?? alert.type });
  }
  return periods;
}

/** A vertical marker per training run started (or queued) inside the range. */
export function runMarkers(runs: TrainingRun[], from: number, to: number): Array<{ at: number; label: string; id: string }> {
  const markers: Array<{ at: number; label: string; id: string }> = [];
  for (const run of runs) {
    const at = Date.parse(run.startedAt ?? run.queuedAt ?? run.createdAt);
    if (Number.isNaN(at) || at < from || at > to) continue;
    markers.push({ at, id: run.id, label: `${run.modelVersion ?? 'run'} · ${run.trigger}` });
  }
  return markers;
}

export function trendTable(trend: MetricTrend): { columns: string[]; rows: Array<Array<string | number>> } {
  return {
    columns: ['Bucket start', `${trend.aggregation} of ${trend.metricName}`, 'Points'],
    rows: trend.points.map((p) => [formatTime(p.bucketStart), formatNumber(p.value), p.count]),
  };
}

export function trendSummary(trend: MetricTrend, baseline: number | null): string {
  const s = trend.summary;
  if (trend.points.length === 0) return `No ${trend.metricName} points between ${formatTime(trend.from)} and ${formatTime(trend.to)}.`;
  const parts = [
    `${trend.points.length} ${trend.bucket} buckets of ${trend.aggregation} ${trend.metricName} from ${formatTime(trend.from)} to ${formatTime(trend.to)}`,
    `first ${formatNumber(s.first)}, last ${formatNumber(s.last)}, min ${formatNumber(s.min)}, max ${formatNumber(s.max)}, trend ${s.direction}`,
    `${trend.anomalies.length} anomalies`,
  ];
  if (trend.forecast.length)
    parts.push(`forecast of ${trend.forecast.length} buckets ending at ${formatNumber(trend.forecast[trend.forecast.length - 1].value)}`);
  if (baseline !== null) parts.push(`baseline ${formatNumber(baseline)}`);
  return `${parts.join('; ')}.`;
}

/** Model versions to compare: from the training runs (newest first) then the latest values, distinct, at most `max`. */
export function versionsToCompare(runs: TrainingRun[], latestVersions: Array<string | null>, max = 6): string[] {
  const seen: string[] = [];
  for (const v of [...latestVersions, ...runs.map((r) => r.modelVersion)]) {
    if (v && !seen.includes(v)) seen.push(v);
    if (seen.length >= max) break;
  }
  return seen;
}
