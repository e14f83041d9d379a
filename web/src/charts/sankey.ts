/** A Sankey diagram of flows between stages (alert type → severity → outcome). */
import { chartFrame, tooltipStyle, type TableData } from '@/charts/frame';
import { COLORS, SERIES_COLORS } from '@/charts/palette';

export interface SankeySpec {
  name: string;
  title: string;
  summary: string;
  table: TableData;
  nodes: Array<{ name: string; color?: string }>;
  links: Array<{ source: string; target: string; value: number }>;
}

export function sankeyChart(spec: SankeySpec): HTMLElement {
  const option = {
    tooltip: { trigger: 'item', ...tooltipStyle() },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 170,
        top: 12,
        bottom: 12,
        nodeGap: 12,
        draggable: false,
        emphasis: { focus: 'adjacency' },
        label: { color: COLORS.text, fontSize: 12, width: 150, overflow: 'truncate' },
        lineStyle: { color: 'gradient', opacity: 0.35, curveness: 0.5 },
        data: spec.nodes.map((n, i) => ({
          name: n.name,
          itemStyle: { color: n.color ?? SERIES_COLORS[i % SERIES_COLORS.length], borderWidth: 0 },
        })),
        links: spec.links,
      },
    ],
  };
  const series = option.series[0];
  // narrow screens: labels wrap inside their column instead of running into the next one
  const adapt = (width: number) =>
    width < 640
      ? {
          series: [
            {
              ...series,
              right: 96,
              nodeWidth: 12,
              label: { color: COLORS.text, fontSize: 10, lineHeight: 12, width: Math.max(56, width / 3 - 36), overflow: 'break' },
            },
          ],
        }
      : {};
  return chartFrame({
    name: spec.name,
    title: spec.title,
    summary: spec.summary,
    table: spec.table,
    option,
    size: 'md',
    points: spec.links.length,
    adapt,
  });
}
