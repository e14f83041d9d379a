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
  const option = {
    grid: { left: 140, right: 24, top: 16, bottom: 84 },
    tooltip: {
      ...tooltipStyle(),
      formatter: (p: { data: { value: [number, number, number]; marked: boolean } }) =>
        `${spec.yLabels[p.data.value[1]]}<br/>${spec.xLabels[p.data.value[0]]}<br/>${spec.valueName}: ${p.data.value[2].toPrecision(3)}${p.data.marked ? ' · drifted' : ''}`,
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
      {
        type: 'heatmap',
        progressive: 0,
        data: spec.cells.map(([x, y, v, marked]) => ({
          value: [x, y, v],
          marked,
          itemStyle: marked ? { borderColor: '#ffffff', borderWidth: rows > 40 ? 1 : 2 } : undefined,
        })),
        emphasis: { itemStyle: { borderColor: '#ffffff', borderWidth: 2 } },
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
          const value = (params.data as { value?: [number, number, number] }).value;
          if (value) spec.onCellClick?.(value[0], value[1]);
        }
      : undefined,
  });
}
