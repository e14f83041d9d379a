/** Comparison view logic (pure, unit-tested). */
import type { MetricTrend } from '@/api/types';
import type { LineSeries } from '@/charts/line';

export function splitList(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** One line per series that has points, named by its label. */
export function comparisonLines(labels: string[], trends: Array<MetricTrend | null>): LineSeries[] {
  const lines: LineSeries[] = [];
  trends.forEach((trend, i) => {
    if (!trend || trend.points.length === 0) return;
    lines.push({ name: labels[i], points: trend.points.map((p) => [Date.parse(p.bucketStart), p.value]) });
  });
  return lines;
}
