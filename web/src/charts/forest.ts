/** A forest plot: one row per comparison, the estimate as a point and its confidence interval as a whisker. */
import { axisStyle, chartFrame, tooltipStyle, type TableData } from '@/charts/frame';
import { COLORS, SERIES_COLORS } from '@/charts/palette';

export interface ForestRow {
  label: string;
  estimate: number;
  low: number;
  high: number;
  /** Highlight (e.g. significant). */
  strong?: boolean;
}
export interface ForestSpec {
  name: string;
  title: string;
  summary: string;
  table: TableData;
  rows: ForestRow[];
  /** Formatter for the value axis (e.g. percent). */
  format: (value: number) => string;
}

export function forestChart(spec: ForestSpec): HTMLElement {
  const labels = spec.rows.map((r) => r.label);
  const option = {
    grid: { left: 120, right: 32, top: 16, bottom: 40 },
    tooltip: {
      ...tooltipStyle(),
      formatter: (p: { dataIndex: number }) => {
        const r = spec.rows[p.dataIndex];
        return `${r.label}: ${spec.format(r.estimate)} [${spec.format(r.low)}, ${spec.format(r.high)}]`;
      },
    },
    xAxis: { type: 'value', scale: true, ...axisStyle(), axisLabel: { color: COLORS.muted, formatter: spec.format } },
    yAxis: {
      type: 'category',
      data: labels,
      inverse: true,
      axisLabel: { color: COLORS.text, fontSize: 13 },
      axisLine: { lineStyle: { color: COLORS.axis } },
    },
    series: [
      {
        type: 'custom',
        data: spec.rows.map((r, i) => [r.low, r.high, i, r.estimate]),
        encode: { x: [0, 1, 3], y: 2 },
        renderItem: (_params: unknown, api: any) => {
          const low = api.coord([api.value(0), api.value(2)]);
          const high = api.coord([api.value(1), api.value(2)]);
          const mid = api.coord([api.value(3), api.value(2)]);
          const index = api.value(2) as number;
          const color = spec.rows[index]?.strong ? SERIES_COLORS[1] : SERIES_COLORS[0];
          const cap = 7;
          const style = { stroke: color, lineWidth: 2.5 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
              { type: 'line', shape: { x1: low[0], y1: low[1] - cap, x2: low[0], y2: low[1] + cap }, style },
              { type: 'line', shape: { x1: high[0], y1: high[1] - cap, x2: high[0], y2: high[1] + cap }, style },
              { type: 'rect', shape: { x: mid[0] - 6, y: mid[1] - 6, width: 12, height: 12 }, style: { fill: color } },
            ],
          };
        },
        markLine: {
          symbol: 'none',
          silent: true,
          data: [{ xAxis: 0 }],
          lineStyle: { color: COLORS.muted, type: 'dashed' },
          label: { show: false },
        },
      },
    ],
  };
  return chartFrame({
    name: spec.name,
    title: spec.title,
    summary: spec.summary,
    table: spec.table,
    option,
    size: spec.rows.length > 3 ? 'md' : 'sm',
    points: spec.rows.length,
  });
}
