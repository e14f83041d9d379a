/** Grouped bars over categories (versions, severities, histogram bins). */
import { axisStyle, chartFrame, tooltipStyle, type FrameSpec, type TableData } from '@/charts/frame';
import { COLORS, SERIES_COLORS } from '@/charts/palette';

export interface BarChartSpec {
  name: string;
  title: string;
  summary: string;
  table: TableData;
  categories: string[];
  series: Array<{ name: string; values: Array<number | null>; color?: string; colors?: string[] }>;
  size?: FrameSpec['size'];
  horizontal?: boolean;
  /** Histogram: bars touch. */
  histogram?: boolean;
  yName?: string;
  /** Counts: integer ticks only. */
  integer?: boolean;
}

export function barChart(spec: BarChartSpec): HTMLElement {
  const categoryAxis = { type: 'category', data: spec.categories, ...axisStyle(), axisLabel: { color: COLORS.muted, hideOverlap: true } };
  const valueAxis = {
    type: 'value',
    minInterval: spec.integer ? 1 : undefined,
    name: spec.yName,
    nameTextStyle: { color: COLORS.muted },
    ...axisStyle(),
  };
  const option = {
    grid: { left: spec.horizontal ? 110 : 56, right: 24, top: spec.series.length > 1 ? 36 : 16, bottom: 36 },
    legend: spec.series.length > 1 ? { textStyle: { color: COLORS.text }, top: 4 } : undefined,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, ...tooltipStyle() },
    xAxis: spec.horizontal ? valueAxis : categoryAxis,
    yAxis: spec.horizontal ? categoryAxis : valueAxis,
    series: spec.series.map((s, i) => ({
      name: s.name,
      type: 'bar',
      barGap: spec.histogram ? '0%' : '20%',
      barCategoryGap: spec.histogram ? '4%' : '30%',
      itemStyle: { color: s.color ?? SERIES_COLORS[i % SERIES_COLORS.length], opacity: spec.histogram ? 0.85 : 1 },
      data: s.colors ? s.values.map((value, j) => ({ value, itemStyle: { color: s.colors?.[j] } })) : s.values,
    })),
  };
  return chartFrame({
    name: spec.name,
    title: spec.title,
    summary: spec.summary,
    table: spec.table,
    option,
    size: spec.size ?? 'sm',
    points: spec.categories.length,
  });
}
