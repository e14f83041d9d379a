/**
 * What every chart shares: a titled figure with an aria-label summary, a "show as table" toggle with the same
 * numbers, lazy initialisation once the figure is in the page, resize, disposal on navigation.
 */
import { h, type Child } from '@/app/dom';
import { echarts, type ECharts, type EChartsOption } from '@/charts/echarts';
import { COLORS, SERIES_COLORS } from '@/charts/palette';

export interface TableData {
  columns: string[];
  rows: Array<Array<string | number>>;
}

export interface FrameSpec {
  title: string;
  /** Read by screen readers instead of the canvas. */
  summary: string;
  table: TableData;
  option: EChartsOption;
  size?: 'spark' | 'sm' | 'md' | 'lg' | 'xl' | 'tall';
  /** Stable name for tests and benchmarks (data-chart). */
  name: string;
  /** Number of points in the main series (data-points), for tests that compare with the API. */
  points?: number;
  onClick?: (params: { seriesIndex?: number; dataIndex: number; data: unknown; componentType: string; name?: string }) => void;
  actions?: Child;
  /** Hide the title bar (sparklines). */
  bare?: boolean;
  /** Option overrides for the drawn width (e.g. smaller labels on a phone). */
  adapt?: (width: number) => EChartsOption;
  /** Called once the chart is drawn into its box (keyboard handling needs the instance). */
  onReady?: (chart: ECharts) => void;
}

const TABLE_PAGE = 100;
const live = new Set<ECharts>();
let observers: ResizeObserver[] = [];
let pending: Array<() => void> = [];
let firstChartMarked = false;

export const BASE_OPTION: EChartsOption = {
  color: SERIES_COLORS,
  backgroundColor: COLORS.background,
  textStyle: { color: COLORS.text, fontFamily: 'Inter, system-ui, sans-serif' },
  animation: false,
};

export function axisStyle(): Record<string, unknown> {
  return {
    axisLine: { lineStyle: { color: COLORS.axis } },
    axisLabel: { color: COLORS.muted },
    splitLine: { lineStyle: { color: COLORS.grid } },
  };
}

export function tooltipStyle(): Record<string, unknown> {
  return { backgroundColor: '#0b1220', borderColor: COLORS.axis, textStyle: { color: COLORS.text } };
}

export function chartFrame(spec: FrameSpec): HTMLElement {
  const canvas = h('div', {
    class: `chart chart-${spec.size ?? 'md'}`,
    role: 'img',
    'aria-label': `${spec.title}. ${spec.summary}`,
    'data-chart': spec.name,
    'data-points': spec.points,
  });
  const tableHolder = h('div', { class: 'chart-table', hidden: true });
  let tableShown = false;
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-ghost btn-small',
      'aria-expanded': 'false',
      'data-action': 'toggle-table',
      onclick: () => {
        tableShown = !tableShown;
        toggle.setAttribute('aria-expanded', String(tableShown));
        toggle.textContent = tableShown ? 'Show as chart' : 'Show as table';
        tableHolder.hidden = !tableShown;
        canvas.hidden = tableShown;
        if (tableShown && !tableHolder.firstChild) tableHolder.appendChild(dataTable(spec.title, spec.table));
      },
    },
    'Show as table',
  );
  const figure = h(
    'figure',
    { class: spec.bare ? 'chart-frame chart-bare' : 'chart-frame' },
    spec.bare
      ? null
      : h(
          'figcaption',
          { class: 'chart-head' },
          h('span', { class: 'chart-title' }, spec.title),
          h('span', { class: 'chart-actions' }, spec.actions, toggle),
        ),
    canvas,
    tableHolder,
  );
  if (spec.bare) figure.appendChild(h('div', { class: 'sr-only' }, toggle));
  pending.push(() => {
    performance.mark(`mw:chart-start:${spec.name}`);
    canvas.setAttribute('data-init', String(canvas.clientWidth));
    const chart = echarts.init(canvas, null, { renderer: 'canvas' });
    live.add(chart);
    // 'rendered' marks a chart drawn (tests wait for it); 'finished' (animations done) is what the benchmark times
    chart.on('rendered', () => canvas.setAttribute('data-drawn', 'true'));
    chart.on('finished', () => {
      if (canvas.getAttribute('data-rendered') !== 'true') performance.mark(`mw:chart-done:${spec.name}`);
      canvas.setAttribute('data-rendered', 'true');
      if (!firstChartMarked) {
        firstChartMarked = true;
        performance.mark('mw:first-chart');
      }
    });
    if (spec.onClick) chart.on('click', (params) => spec.onClick?.(params as never));
    chart.setOption({ ...BASE_OPTION, ...spec.option, ...spec.adapt?.(canvas.clientWidth) });
    spec.onReady?.(chart);
    // redraw when the box changes size (window resize, a column that reflows, a box laid out after init): only then,
    // since ResizeObserver also reports the initial size and a redraw costs as much as the first draw
    let drawn = { width: canvas.clientWidth, height: canvas.clientHeight };
    const observer = new ResizeObserver(() => {
      const size = { width: canvas.clientWidth, height: canvas.clientHeight };
      if (size.width === drawn.width && size.height === drawn.height) return;
      drawn = size;
      if (size.width > 0 && size.height > 0 && !chart.isDisposed()) chart.resize();
    });
    observer.observe(canvas);
    observers.push(observer);
  });
  return figure;
}

/** The chart's numbers as an accessible table, paged by 100 rows; aria-rowcount is the full count. */
export function dataTable(caption: string, data: TableData): HTMLElement {
  let page = 0;
  const pages = Math.max(1, Math.ceil(data.rows.length / TABLE_PAGE));
  const body = h('tbody');
  const status = h('span', { class: 'muted' });
  const render = (): void => {
    const start = page * TABLE_PAGE;
    body.replaceChildren(
      ...data.rows
        .slice(start, start + TABLE_PAGE)
        .map((row, i) => h('tr', { 'aria-rowindex': start + i + 2 }, ...row.map((cell) => h('td', null, String(cell))))),
    );
    status.textContent = `Rows ${data.rows.length === 0 ? 0 : start + 1}–${Math.min(start + TABLE_PAGE, data.rows.length)} of ${data.rows.length}`;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  };
  const prev = h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => (page--, render()) }, '← Previous');
  const next = h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => (page++, render()) }, 'Next →');
  const table = h(
    'table',
    { class: 'table', 'aria-rowcount': data.rows.length + 1, 'data-rows': data.rows.length },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', { 'aria-rowindex': 1 }, ...data.columns.map((c) => h('th', { scope: 'col' }, c)))),
    body,
  );
  render();
  return h('div', { class: 'table-wrap' }, table, pages > 1 ? h('div', { class: 'pager' }, prev, status, next) : null);
}

/** Called by the router after a page is in the document. */
export function flushCharts(): void {
  const work = pending;
  pending = [];
  // one chart that fails to draw must not leave the charts after it uninitialised
  for (const init of work) {
    try {
      init();
    } catch (error) {
      console.error('chart failed to draw', error);
    }
  }
}

export function disposeCharts(): void {
  pending = [];
  for (const observer of observers) observer.disconnect();
  observers = [];
  for (const chart of live) chart.dispose();
  live.clear();
}
