/** A category × category heatmap (features × time buckets), colour = score, marked cells outlined. */
import { chartFrame, tooltipStyle, type TableData } from '@/charts/frame';
import { COLORS, SEQUENTIAL } from '@/charts/palette';

export interface HeatmapSpec {
  name: string;
  title: string;
  summary: string;
  table: TableData;
  xLabels: string[];
  yLabels: string[];
  /** [x index, y index, value, marked] */
  cells: Array<[number, number, number, boolean]>;
  min: number;
  max: number;
  valueName: string;
  onCellClick?: (x: number, y: number) => void;
}

export function heatmapChart(spec: HeatmapSpec): HTMLElement {
  const rows = spec.yLabels.length;
  const key = (x: number, y: number) => x * rows + y;
  const marked = new Set(spec.cells.filter((c) => c[3]).map((c) => key(c[0], c[1])));
  const option = {
    grid: { left: 140, right: 24, top: 16, bottom: 84 },
    tooltip: {
      ...tooltipStyle(),
      formatter: (p: { value: [number, number, number] }) =>
        `${spec.yLabels[p.value[1]]}<br/>${spec.xLabels[p.value[0]]}<br/>${spec.valueName}: ${p.value[2].toPrecision(3)}${marked.has(key(p.value[0], p.value[1])) ? ' · drifted' : ''}`,
    },
    xAxis: {
      type: 'category',
      data: spec.xLabels,
      axisLabel: { color: COLORS.muted, hideOverlap: true },
      axisLine: { lineStyle: { color: COLORS.axis } },
      splitArea: { show: false },
    },
    yAxis: {
      type: 'category',
      data: spec.yLabels,
      axisLabel: { color: COLORS.muted, hideOverlap: true, width: 120, overflow: 'truncate' },
      axisLine: { lineStyle: { color: COLORS.axis } },
    },
    visualMap: {
      // both series: ECharts requires a visualMap on every heatmap series (its development build throws
      // "Heatmap must use with visualMap" otherwise); the outline series gets the same colour as the cell beneath it
      seriesIndex: [0, 1],
      min: spec.min,
      max: spec.max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 4,
      itemHeight: 160,
      itemWidth: 10,
      text: [`${spec.valueName} ${spec.max.toPrecision(2)}`, `${spec.min.toPrecision(2)}`],
      textStyle: { color: COLORS.muted },
      inRange: { color: SEQUENTIAL },
      dimension: 2,
    },
    series: [
      // plain [x, y, value] arrays: no per-cell objects, so 20,000 cells stay fast
      {
        type: 'heatmap',
        progressive: 0,
        data: spec.cells.map(([x, y, v]) => [x, y, v]),
        emphasis: { itemStyle: { borderColor: '#ffffff', borderWidth: 2 } },
      },
      // drifted cells: outlines only, drawn over the colours
      {
        type: 'heatmap',
        progressive: 0,
        silent: true,
        tooltip: { show: false },
        data: spec.cells.filter((c) => c[3]).map(([x, y, v]) => [x, y, v]),
        itemStyle: { color: 'rgba(0,0,0,0)', borderColor: '#ffffff', borderWidth: rows > 40 ? 1 : 2 },
      },
    ],
  };
  return chartFrame({
    name: spec.name,
    title: spec.title,
    summary: spec.summary,
    table: spec.table,
    option,
    size: rows > 20 ? 'xl' : 'lg',
    points: spec.cells.length,
    onClick: spec.onCellClick
      ? (params) => {
          const value = params.data as [number, number, number] | undefined;
          if (Array.isArray(value)) spec.onCellClick?.(value[0], value[1]);
        }
      : undefined,
  });
}
