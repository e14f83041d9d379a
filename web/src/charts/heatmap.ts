/** A category × category heatmap (features × time buckets), colour = score, marked cells outlined. */
import { h } from '@/app/dom';
import type { ECharts } from '@/charts/echarts';
import { chartFrame, tooltipStyle, type TableData } from '@/charts/frame';
import { HeatmapKeyGrid, type CellPosition } from '@/charts/heatmap-keys';
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
  /** The cell that is open: the keyboard starts there. */
  selected?: CellPosition;
}

/** The chart whose cell was opened from the keyboard: the page that opens takes focus back to its heatmap. */
let refocus: string | null = null;

export function heatmapChart(spec: HeatmapSpec): HTMLElement {
  const rows = spec.yLabels.length;
  const key = (x: number, y: number) => x * rows + y;
  const marked = new Set(spec.cells.filter((c) => c[3]).map((c) => key(c[0], c[1])));
  const describe = (x: number, y: number, value: number) =>
    `${spec.yLabels[y]}<br/>${spec.xLabels[x]}<br/>${spec.valueName}: ${value.toPrecision(3)}${marked.has(key(x, y)) ? ' · drifted' : ''}`;
  const option = {
    grid: { left: 140, right: 24, top: 16, bottom: 84 },
    tooltip: {
      ...tooltipStyle(),
      // a tooltip shown from the keyboard (showTip) gets an arrow, which ECharts writes as an inline style attribute
      // that the CSP (style-src 'self') refuses; a confined tooltip has none, and stays inside the chart on a phone
      confine: true,
      formatter: (p: { value: [number, number, number] }) => describe(p.value[0], p.value[1], p.value[2]),
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
        // the hovered or keyboard-active cell: thicker than the drifted outlines, with a dark halo so it shows on
        // the bright (yellow) end of the scale too
        emphasis: { itemStyle: { borderColor: '#ffffff', borderWidth: 4, shadowBlur: 10, shadowColor: 'rgba(0, 0, 0, 0.95)' } },
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
  let chart: ECharts | null = null;
  const figure = chartFrame({
    onReady: (instance) => {
      chart = instance;
      if (refocus !== spec.name) return;
      refocus = null;
      figure.querySelector<HTMLElement>('[data-chart]')?.focus();
    },
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
  if (spec.onCellClick) keyboardCells(figure, spec, describe, () => chart);
  return figure;
}

/**
 * Keyboard selection (the same as a click): the chart takes focus, the arrow keys move between the cells with data
 * (HeatmapKeyGrid), Enter or Space opens the active one. The active cell is highlighted with its tooltip shown, named
 * in a live region for screen readers and in data-active-cell ("x,y") for tests.
 */
function keyboardCells(
  figure: HTMLElement,
  spec: HeatmapSpec,
  describe: (x: number, y: number, value: number) => string,
  chartOf: () => ECharts | null,
): void {
  const canvas = figure.querySelector<HTMLElement>('[data-chart]')!;
  const grid = new HeatmapKeyGrid(spec.cells);
  const dataIndex = new Map(spec.cells.map((cell, index) => [`${cell[0]},${cell[1]}`, index]));
  const live = h('p', { class: 'sr-only', 'aria-live': 'polite' });
  canvas.after(live);
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'application');
  canvas.setAttribute('aria-roledescription', 'heatmap');
  canvas.setAttribute('aria-label', `${canvas.getAttribute('aria-label')} Arrow keys move between cells with checks; Enter opens one.`);
  let active: CellPosition | null = null;
  const selected = spec.selected && dataIndex.has(`${spec.selected.x},${spec.selected.y}`) ? spec.selected : null;
  const show = (next: CellPosition): void => {
    const chart = chartOf();
    const index = dataIndex.get(`${next.x},${next.y}`)!;
    if (chart && active) chart.dispatchAction({ type: 'downplay', seriesIndex: 0, dataIndex: dataIndex.get(`${active.x},${active.y}`) });
    active = next;
    canvas.setAttribute('data-active-cell', `${next.x},${next.y}`);
    live.textContent = describe(next.x, next.y, spec.cells[index][2]).replaceAll('<br/>', ', ');
    chart?.dispatchAction({ type: 'highlight', seriesIndex: 0, dataIndex: index });
    chart?.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: index });
  };
  // a click focuses the chart too: then the pointer, not the keyboard cursor, says which cell is meant
  let pointing = false;
  canvas.addEventListener('pointerdown', () => (pointing = true));
  canvas.addEventListener('focus', () => {
    if (pointing) return void (pointing = false);
    const start = active ?? selected ?? grid.start();
    if (start) show(start);
  });
  canvas.addEventListener('blur', () => {
    const chart = chartOf();
    if (!chart || !active) return;
    chart.dispatchAction({ type: 'downplay', seriesIndex: 0, dataIndex: dataIndex.get(`${active.x},${active.y}`) });
    chart.dispatchAction({ type: 'hideTip' });
  });
  canvas.addEventListener('keydown', (event) => {
    if (!active) {
      // focused by a click: the first key shows the keyboard cursor where it starts
      const start = selected ?? grid.start();
      if (start && grid.move(start, event.key)) {
        event.preventDefault();
        show(start);
      }
      return;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      refocus = spec.name;
      spec.onCellClick?.(active.x, active.y);
      return;
    }
    const next = grid.move(active, event.key);
    if (!next) return;
    event.preventDefault();
    show(next);
  });
}
