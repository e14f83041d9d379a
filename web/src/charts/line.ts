/** Time-series lines with bands, point markers, horizontal reference lines, vertical event markers and shaded periods. */
import { axisStyle, chartFrame, tooltipStyle, type FrameSpec, type TableData } from '@/charts/frame';
import { COLORS, SERIES_COLORS } from '@/charts/palette';

export interface LineSeries {
  name: string;
  /** [epoch ms, value] */
  points: Array<[number, number]>;
  dashed?: boolean;
  color?: string;
}
export interface BandSeries {
  name: string;
  /** [epoch ms, lower, upper] */
  points: Array<[number, number, number]>;
  color?: string;
}
export interface MarkerSeries {
  name: string;
  points: Array<[number, number]>;
  color?: string;
}
export interface LineChartSpec {
  name: string;
  title: string;
  summary: string;
  table: TableData;
  lines: LineSeries[];
  bands?: BandSeries[];
  markers?: MarkerSeries[];
  hLines?: Array<{ name: string; value: number; color?: string }>;
  /** Vertical event markers (training runs); `id` comes back through onEventClick. */
  events?: Array<{ at: number; label: string; id: string }>;
  periods?: Array<{ from: number; to: number; label: string }>;
  onEventClick?: (id: string) => void;
  size?: FrameSpec['size'];
  /** Sparkline: no axes, no legend, no title bar. */
  compact?: boolean;
  yName?: string;
  /** Value-axis labels and tooltip values (e.g. percent). */
  yFormat?: (value: number) => string;
}

export function lineChart(spec: LineChartSpec): HTMLElement {
  const series: Record<string, unknown>[] = [];
  (spec.bands ?? []).forEach((band, i) => {
    const stack = `band-${i}`;
    const color = band.color ?? COLORS.band;
    series.push(
      {
        name: band.name,
        type: 'line',
        stack,
        // 'samesign' (the default) would not stack a positive width on a negative lower bound (a lift's CI)
        stackStrategy: 'all',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        itemStyle: { color },
        data: band.points.map(([t, lo]) => [t, lo]),
        tooltip: { show: false },
        silent: true,
      },
      {
        name: band.name,
        type: 'line',
        stack,
        stackStrategy: 'all',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color },
        itemStyle: { color },
        data: band.points.map(([t, lo, hi]) => [t, hi - lo]),
        tooltip: { show: false },
        silent: true,
      },
    );
  });
  spec.lines.forEach((line, i) => {
    const color = line.color ?? SERIES_COLORS[i % SERIES_COLORS.length];
    const s: Record<string, unknown> = {
      name: line.name,
      type: 'line',
      data: line.points,
      showSymbol: line.points.length < 60 && !spec.compact,
      symbolSize: 5,
      sampling: line.points.length > 2000 ? 'lttb' : undefined,
      lineStyle: { width: spec.compact ? 1.5 : 2, type: line.dashed ? 'dashed' : 'solid', color },
      itemStyle: { color },
      emphasis: { disabled: true },
    };
    if (i === 0) {
      const markLineData: unknown[] = [];
      for (const hl of spec.hLines ?? []) {
        markLineData.push({
          name: hl.name,
          yAxis: hl.value,
          lineStyle: { color: hl.color ?? COLORS.baseline, type: 'dashed', width: 1.5 },
          label: { formatter: hl.name, color: hl.color ?? COLORS.baseline, position: 'insideEndTop' },
        });
      }
      for (const ev of spec.events ?? []) {
        markLineData.push({
          name: ev.label,
          xAxis: ev.at,
          id: ev.id,
          lineStyle: { color: COLORS.run, type: 'solid', width: 2 },
          label: { formatter: ev.label, color: COLORS.run, position: 'insideEndTop', fontSize: 10 },
        });
      }
      if (markLineData.length) s.markLine = { symbol: 'none', silent: false, data: markLineData };
      if (spec.periods?.length) {
        s.markArea = {
          silent: true,
          itemStyle: { color: COLORS.firing },
          label: { color: COLORS.anomaly, fontSize: 10, position: 'insideTop' },
          data: spec.periods.map((p) => [{ name: p.label, xAxis: p.from }, { xAxis: p.to }]),
        };
      }
    }
    series.push(s);
  });
  for (const marker of spec.markers ?? []) {
    series.push({
      name: marker.name,
      type: 'scatter',
      data: marker.points,
      symbol: 'circle',
      symbolSize: 9,
      itemStyle: { color: marker.color ?? COLORS.anomaly, borderColor: '#0b1220', borderWidth: 1 },
      z: 5,
    });
  }
  const legend = [...spec.lines.map((l) => l.name), ...(spec.bands ?? []).map((b) => b.name), ...(spec.markers ?? []).map((m) => m.name)];
  const option = spec.compact
    ? {
        grid: { left: 2, right: 2, top: 4, bottom: 2 },
        xAxis: { type: 'time', show: false },
        yAxis: { type: 'value', show: false, scale: true },
        tooltip: { show: false },
        series,
      }
    : {
        // With a y-axis name, room for it under the legend (on a phone the two overlapped at top 40).
        grid: { left: 56, right: 24, top: spec.yName ? 58 : 40, bottom: 56 },
        legend: { data: [...new Set(legend)], textStyle: { color: COLORS.text }, top: 4, type: 'scroll' },
        tooltip: {
          trigger: 'axis',
          ...tooltipStyle(),
          ...(spec.yFormat ? { valueFormatter: (v: unknown) => (typeof v === 'number' ? spec.yFormat!(v) : String(v)) } : {}),
        },
        xAxis: { type: 'time', ...axisStyle(), splitLine: { show: false } },
        yAxis: {
          type: 'value',
          scale: true,
          name: spec.yName,
          nameTextStyle: { color: COLORS.muted },
          ...axisStyle(),
          ...(spec.yFormat ? { axisLabel: { color: COLORS.muted, formatter: spec.yFormat } } : {}),
        },
        dataZoom: [
          { type: 'inside' },
          { type: 'slider', height: 18, bottom: 8, borderColor: COLORS.axis, textStyle: { color: COLORS.muted } },
        ],
        series,
      };
  return chartFrame({
    name: spec.name,
    title: spec.title,
    summary: spec.summary,
    table: spec.table,
    option,
    size: spec.compact ? 'spark' : spec.size,
    bare: spec.compact,
    points: spec.lines[0]?.points.length ?? 0,
    onClick: spec.onEventClick
      ? (params) => {
          const data = params.data as { id?: string } | undefined;
          if (params.componentType === 'markLine' && data?.id) spec.onEventClick?.(data.id);
        }
      : undefined,
  });
}
