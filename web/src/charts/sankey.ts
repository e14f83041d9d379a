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
  return chartFrame({
    name: spec.name,
    title: spec.title,
    summary: spec.summary,
    table: spec.table,
    option,
    size: 'md',
    points: spec.links.length,
  });
}
