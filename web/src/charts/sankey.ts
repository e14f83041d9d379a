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
  /** A shorter label for narrow screens (the table and tooltip keep the full name). */
  shortName?: (name: string) => string;
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
        label: { color: COLORS.text, fontSize: 12, width: 160, overflow: 'truncate' },
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
  // nodes without outgoing links: the last column, whose labels sit in the right margin
  const sinks = new Set(spec.nodes.map((n) => n.name).filter((name) => !spec.links.some((l) => l.source === name)));
  const RIGHT = 104;
  // narrow screens (a 390-wide phone): a taller box (.chart-tall), more space between nodes, labels on a dark plate
  // so they read over the ribbons they cross, wrapped inside their column (the margin for the last), short names
  const adapt = (width: number) => {
    if (width >= 640) return {};
    // the space between two node columns (3 columns of 10 px), less the label's distance (5) and padding (8)
    const inner = Math.max(60, (width - 4 - RIGHT - 30) / 2 - 13);
    return {
      series: [
        {
          ...series,
          left: 4,
          right: RIGHT,
          top: 8,
          bottom: 8,
          nodeWidth: 10,
          nodeGap: 22,
          label: {
            color: COLORS.text,
            fontSize: 11,
            lineHeight: 14,
            overflow: 'break',
            backgroundColor: 'rgba(11, 18, 32, 0.8)',
            padding: [2, 4],
            borderRadius: 3,
            formatter: (params: { name: string }) => spec.shortName?.(params.name) ?? params.name,
          },
          data: series.data.map((node) => ({ ...node, label: { width: sinks.has(node.name) ? RIGHT - 14 : inner } })),
        },
      ],
    };
  };
  return chartFrame({
    name: spec.name,
    title: spec.title,
    summary: spec.summary,
    table: spec.table,
    option,
    size: 'tall',
    points: spec.links.length,
    adapt,
  });
}
