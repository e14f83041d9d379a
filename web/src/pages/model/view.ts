/** Model page view: pickers, the trend chart, versions, latest values, baselines, degradation, training history. */
import { calls, METRIC_AGGREGATIONS, METRIC_BUCKETS, type TrainingRun } from '@/api';
import { h, link } from '@/app/dom';
import { formatAgo, formatDuration, formatNumber, formatPercent, formatSignedPercent, formatTime, humanize } from '@/app/format';
import type { PageContext } from '@/app/page';
import { uiUrl } from '@/app/route-match';
import { emptyState, errorState } from '@/app/states';
import { badge, card, cursorPager, pageHeader, picker, stat, statusBadge, table, writeCursors } from '@/app/widgets';
import { barChart } from '@/charts/bar';
import { lineChart } from '@/charts/line';
import { COLORS } from '@/charts/palette';
import { estimationCard } from '@/pages/model/estimation';
import type { ModelData } from '@/pages/model/loader';
import { firingPeriods, RANGES, runMarkers, trendSeries, trendSummary, trendTable } from '@/pages/model/series';

export function modelView(d: ModelData, ctx: PageContext): Node {
  const base = `/models/${encodeURIComponent(d.model.id)}`;
  const state = {
    metricName: d.metricName ?? undefined,
    environment: d.environment,
    bucket: d.bucket,
    aggregation: d.aggregation,
    range: d.range,
    estimate: ctx.query.get('estimate') ?? undefined,
  };
  const go = (patch: Record<string, string | undefined>) => ctx.navigate(uiUrl(base, { ...state, ...patch }));
  const metricNames = [...new Set(d.latestItems.map((l) => l.metricName))].sort();
  const environments = [...new Set(d.latestItems.map((l) => l.environment))].sort();
  if (d.metricName && !metricNames.includes(d.metricName)) metricNames.push(d.metricName);
  if (!environments.includes(d.environment)) environments.push(d.environment);

  const pickers = h(
    'div',
    { class: 'pickers', role: 'group', 'aria-label': 'Series' },
    picker('Metric', 'metricName', d.metricName ?? '', metricNames.length ? metricNames : [''], (v) => go({ metricName: v })),
    picker('Environment', 'environment', d.environment, environments, (v) => go({ environment: v })),
    picker('Range', 'range', d.range, Object.keys(RANGES), (v) => go({ range: v })),
    picker('Bucket', 'bucket', d.bucket ?? '', [['', 'auto'], ...METRIC_BUCKETS.map((b) => [b, b] as [string, string])], (v) =>
      go({ bucket: v || undefined }),
    ),
    picker('Aggregation', 'aggregation', d.aggregation, [...METRIC_AGGREGATIONS], (v) => go({ aggregation: v })),
  );

  return h(
    'div',
    { class: 'page', 'data-page': 'model', 'data-model-id': d.model.id },
    pageHeader(
      d.model.displayName ?? d.model.name,
      [d.model.name, d.model.taskType ? ` · ${humanize(d.model.taskType)}` : '', d.model.owner ? ` · owner ${d.model.owner}` : ''].join(''),
      h(
        'div',
        { class: 'btn-row' },
        link(`/ui${base}/drift`, 'Drift →'),
        d.metricName
          ? link(
              uiUrl('/compare', { modelId: d.model.id, modelVersions: d.versions.join(','), metricName: d.metricName }),
              'Compare versions →',
            )
          : null,
      ),
      [link('/ui', 'Overview'), ' / ', d.model.name],
    ),
    pickers,
    h('div', { class: 'grid grid-main' }, trendCard(d, ctx, base, state), sideColumn(d)),
    d.estimation ? estimationCard(d.estimation, d.model.id, (metric) => go({ estimate: metric })) : null,
    h('div', { class: 'grid grid-2' }, versionsCard(d), baselinesCard(d)),
    historyCard(d, ctx, base, state),
  );
}

function trendCard(d: ModelData, ctx: PageContext, base: string, state: Record<string, string | undefined>): HTMLElement {
  if (!d.metricName) return card('Trend', emptyState('metrics for this model', calls.metrics), { class: 'span-main' });
  if (!d.trend) return card('Trend', emptyState('trend', calls.metrics), { class: 'span-main' });
  if (d.trend instanceof Error) return card('Trend', errorState(d.trend), { class: 'span-main' });
  const trend = d.trend;
  if (trend.points.length === 0) {
    return card(
      `${d.metricName} · ${d.environment}`,
      emptyState(`${d.metricName} points in ${d.environment} for this range`, calls.metrics),
      { class: 'span-main' },
    );
  }
  const baseline = baselineFor(d);
  const series = trendSeries(trend);
  const from = Date.parse(trend.from);
  const to = Date.parse(trend.to);
  const runs = d.runsInRange instanceof Error ? [] : d.runsInRange.items;
  const chart = lineChart({
    name: 'trend',
    title: `${trend.aggregation} ${trend.metricName} · ${d.environment} · ${trend.bucket} buckets`,
    summary: trendSummary(trend, baseline),
    table: trendTable(trend),
    size: 'lg',
    yName: trend.metricName,
    lines: [
      { name: trend.metricName, points: series.line, color: COLORS.primary },
      ...(series.forecast.length ? [{ name: 'Holt forecast', points: series.forecast, dashed: true, color: COLORS.forecast }] : []),
    ],
    bands: [
      ...(series.band.length ? [{ name: 'p10–p90', points: series.band, color: COLORS.band }] : []),
      ...(series.forecastBand.length ? [{ name: 'Forecast interval', points: series.forecastBand, color: COLORS.forecastBand }] : []),
    ],
    markers: series.anomalies.length ? [{ name: 'Anomalies', points: series.anomalies, color: COLORS.anomaly }] : [],
    hLines: baseline !== null ? [{ name: `Baseline ${formatNumber(baseline)}`, value: baseline, color: COLORS.baseline }] : [],
    events: runMarkers(runs, from, to),
    periods: firingPeriods(d.alerts, from, to),
    onEventClick: (runId) => ctx.navigate(uiUrl(base, { ...state, run: runId, runs: writeCursors(d.runCursors) }) + '#training-history'),
  });
  const s = trend.summary;
  return card(
    `${d.metricName} · ${d.environment}`,
    [
      h(
        'div',
        { class: 'stats-row' },
        stat('Last', formatNumber(s.last), { testId: 'trend-last' }),
        stat('Mean', formatNumber(s.mean)),
        stat('Min', formatNumber(s.min)),
        stat('Max', formatNumber(s.max)),
        stat('Change', formatSignedPercent(s.relativeChange), {
          tone: s.direction === 'down' ? 'warn' : undefined,
          hint: `${humanize(s.direction)} · ${formatNumber(s.slopePerDay)}/day`,
        }),
        stat('Buckets', String(trend.points.length), { testId: 'trend-buckets' }),
        stat('Anomalies', String(trend.anomalies.length), { tone: trend.anomalies.length ? 'bad' : undefined }),
      ),
      chart,
      series.band.length === 0 ? h('p', { class: 'muted small' }, 'The p10–p90 band is shown for the avg and p50 aggregations.') : null,
    ],
    { class: 'span-main' },
  );
}

function baselineFor(d: ModelData): number | null {
  if (d.baselines instanceof Error) return null;
  return d.baselines.items.find((b) => b.metricName === d.metricName && b.environment === d.environment)?.value ?? null;
}

function sideColumn(d: ModelData): HTMLElement {
  const latest =
    d.latest instanceof Error
      ? errorState(d.latest)
      : d.latestItems.length === 0
        ? emptyState('metric values', calls.metrics)
        : table(
            ['Metric', 'Env', 'Version', 'Value', 'Recorded'],
            d.latestItems.map((l) => [
              l.metricName,
              l.environment,
              l.modelVersion ?? '—',
              h('strong', null, formatNumber(l.value)),
              h('span', { class: 'nowrap', title: formatTime(l.recordedAt) }, formatAgo(l.recordedAt)),
            ]),
            { 'data-table': 'latest' },
          );
  const degradation =
    d.degradation instanceof Error
      ? errorState(d.degradation)
      : d.degradation.items.length === 0
        ? emptyState('baselines to compare against', calls.baselines)
        : h(
            'ul',
            { class: 'list' },
            ...d.degradation.items.map((item) =>
              h(
                'li',
                { class: 'list-row' },
                h('span', null, `${item.metricName} · ${item.environment}`),
                h(
                  'span',
                  null,
                  formatNumber(item.current),
                  ' vs ',
                  formatNumber(item.baseline),
                  ' ',
                  h('span', { class: 'muted' }, formatSignedPercent(item.relativeChange)),
                ),
                item.degraded ? badge('Degraded', 'bad') : badge('OK', 'ok'),
              ),
            ),
          );
  const summary = d.summary instanceof Error ? null : d.summary;
  return h(
    'div',
    { class: 'side' },
    card('Latest values', latest),
    card('Degradation', degradation, {
      actions: h('span', { class: 'muted small' }, d.degradation instanceof Error ? '' : `${formatTime(d.degradation.from)} →`),
    }),
    summary
      ? card(
          'Training',
          h(
            'div',
            { class: 'stats-row stats-compact' },
            stat('Runs', String(summary.totalRuns)),
            stat('Success rate', formatPercent(summary.successRate)),
            stat('Mean duration', formatDuration(summary.meanDurationSeconds)),
            stat('Since last success', summary.daysSinceLastSuccess === null ? '—' : `${formatNumber(summary.daysSinceLastSuccess, 2)} d`),
          ),
        )
      : null,
  );
}

function versionsCard(d: ModelData): HTMLElement {
  if (!d.metricName) return card('Versions', emptyState('metrics', calls.metrics));
  if (!d.comparison) return card(`Versions · ${d.metricName}`, emptyState('second model version', `${calls.metrics} with a modelVersion`));
  if (d.comparison instanceof Error) return card('Versions', errorState(d.comparison));
  const series = d.comparison.series;
  const labels = series.map((s) => s.modelVersion ?? '—');
  return card(`Versions · ${d.metricName}`, [
    barChart({
      name: 'versions',
      title: `Mean ${d.metricName} by version`,
      summary: series.map((s) => `${s.modelVersion}: mean ${formatNumber(s.mean)} over ${s.count} points`).join('; '),
      table: {
        columns: ['Version', 'Points', 'Mean', 'p50', 'Last'],
        rows: series.map((s) => [s.modelVersion ?? '—', s.count, formatNumber(s.mean), formatNumber(s.p50), formatNumber(s.last)]),
      },
      categories: labels,
      series: [{ name: `mean ${d.metricName}`, values: series.map((s) => s.mean) }],
    }),
    table(
      ['Version', 'Points', 'Mean', 'Std dev', 'p50', 'Min', 'Max', 'Last'],
      series.map((s) => [
        s.modelVersion ?? '—',
        s.count,
        formatNumber(s.mean),
        formatNumber(s.stdDev),
        formatNumber(s.p50),
        formatNumber(s.min),
        formatNumber(s.max),
        formatNumber(s.last),
      ]),
      { 'data-table': 'versions' },
    ),
  ]);
}

function baselinesCard(d: ModelData): HTMLElement {
  if (d.baselines instanceof Error) return card('Baselines', errorState(d.baselines));
  if (d.baselines.items.length === 0) return card('Baselines', emptyState('baselines', calls.baselines));
  return card(
    'Baselines',
    table(
      ['Metric', 'Env', 'Value', 'Tolerance', 'Direction', 'From'],
      d.baselines.items.map((b) => [
        b.metricName,
        b.environment,
        h('strong', null, formatNumber(b.value)),
        formatPercent(b.tolerance),
        humanize(b.direction),
        b.computedFrom ? `${b.computedAggregation} of ${b.computedCount}` : 'set by hand',
      ]),
      { 'data-table': 'baselines' },
    ),
  );
}

function historyCard(d: ModelData, ctx: PageContext, base: string, state: Record<string, string | undefined>): HTMLElement {
  if (d.runs instanceof Error) return card('Training history', errorState(d.runs), { id: 'training-history' });
  if (d.runs.items.length === 0 && d.runCursors.length === 0)
    return card('Training history', emptyState('training runs', calls.trainingRuns), { id: 'training-history' });
  const rows = d.runs.items.map((run) => runRow(run, run.id === d.selectedRun));
  return card(
    'Training history',
    [
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table', 'data-table': 'training-runs', 'aria-rowcount': rows.length + 1 },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ...['Version', 'Status', 'Trigger', 'Queued', 'Duration', 'Metrics', 'Reason'].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h('tbody', null, ...rows),
        ),
      ),
      cursorPager({
        nextCursor: d.runs.nextCursor,
        cursors: d.runCursors,
        go: (cursors) => ctx.navigate(uiUrl(base, { ...state, runs: writeCursors(cursors) })),
      }),
    ],
    { id: 'training-history' },
  );
}

function runRow(run: TrainingRun, selected: boolean): HTMLElement {
  const metrics = Object.entries(run.metrics ?? {})
    .slice(0, 4)
    .map(([k, v]) => `${k} ${formatNumber(Number(v))}`)
    .join(' · ');
  return h(
    'tr',
    {
      id: `run-${run.id}`,
      class: selected ? 'row-selected' : undefined,
      'aria-selected': selected ? 'true' : undefined,
      'data-run-id': run.id,
    },
    h('td', null, h('strong', null, run.modelVersion ?? '—')),
    h('td', null, statusBadge(run.status)),
    h('td', null, humanize(run.trigger)),
    h('td', null, formatTime(run.queuedAt)),
    h('td', null, formatDuration(run.durationSeconds)),
    h('td', { class: 'small' }, metrics || '—'),
    h('td', { class: 'small muted' }, run.reason ?? run.error ?? '—'),
  );
}
