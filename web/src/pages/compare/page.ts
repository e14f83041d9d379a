/** Comparison /ui/compare?modelIds=…&metricName=… (or modelId + modelVersions): overlaid trend lines and a summary table. */
import { api, calls, type MetricTrend } from '@/api';
import { h, link } from '@/app/dom';
import { formatNumber, formatTime } from '@/app/format';
import { definePage, type PageContext } from '@/app/page';
import { isUuid, uiUrl } from '@/app/route-match';
import { emptyState, errorState, isFailure, settle } from '@/app/states';
import { card, pageHeader, picker, table } from '@/app/widgets';
import { lineChart } from '@/charts/line';
import { comparisonLines, splitList } from '@/pages/compare/lines';
import { rangeBounds, RANGES } from '@/pages/model/series';

async function load(ctx: PageContext) {
  const q = ctx.query;
  const metricName = q.get('metricName') ?? '';
  const environment = q.get('environment') ?? 'production';
  const range = RANGES[q.get('range') ?? ''] ? (q.get('range') as string) : '7d';
  const modelIds = splitList(q.get('modelIds')).filter(isUuid);
  const modelId = q.get('modelId') ?? '';
  const modelVersions = splitList(q.get('modelVersions'));
  const byVersion = !!modelId && modelVersions.length > 0;
  const { from, to } = rangeBounds(range, Date.now());
  const models = await api.models.list({ limit: 500 });
  const ready = !!metricName && (byVersion || modelIds.length > 0);
  const comparison = ready
    ? await settle(
        api.metrics.compare(
          byVersion ? { modelId, modelVersions, metricName, environment, from, to } : { modelIds, metricName, environment, from, to },
        ),
      )
    : null;
  const keys = byVersion ? modelVersions : modelIds;
  const trends: Array<MetricTrend | Error> = ready
    ? await Promise.all(
        keys.map((key) =>
          settle(
            api.metrics.trend(
              byVersion
                ? { modelId, modelVersion: key, metricName, environment, from, to }
                : { modelId: key, metricName, environment, from, to },
            ),
          ),
        ),
      )
    : [];
  return { metricName, environment, range, modelIds, modelId, modelVersions, byVersion, models, comparison, trends, keys };
}
type Data = Awaited<ReturnType<typeof load>>;

function view(d: Data, ctx: PageContext): Node {
  const names = new Map(d.models.items.map((m) => [m.id, m.name]));
  const state = {
    metricName: d.metricName,
    environment: d.environment,
    range: d.range,
    modelIds: d.byVersion ? undefined : d.modelIds.join(','),
    modelId: d.byVersion ? d.modelId : undefined,
    modelVersions: d.byVersion ? d.modelVersions.join(',') : undefined,
  };
  const go = (patch: Record<string, string | undefined>) => ctx.navigate(uiUrl('/compare', { ...state, ...patch }));
  const label = (key: string) => (d.byVersion ? key : (names.get(key) ?? key.slice(0, 8)));
  const form = h(
    'form',
    {
      class: 'pickers',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const data = new FormData(event.target as HTMLFormElement);
        const chosen = data.getAll('model').map(String);
        go({ modelIds: chosen.join(','), modelId: undefined, modelVersions: undefined, metricName: String(data.get('metricName') ?? '') });
      },
    },
    h(
      'label',
      { class: 'picker' },
      h('span', null, 'Metric'),
      h('input', {
        name: 'metricName',
        value: d.metricName,
        required: true,
        placeholder: 'e.g. accuracy',
        pattern: '[A-Za-z0-9_.:/-]{1,100}',
      }),
    ),
    h(
      'fieldset',
      { class: 'picker picker-models' },
      h('legend', null, 'Models'),
      ...d.models.items
        .slice(0, 30)
        .map((m) =>
          h(
            'label',
            { class: 'check' },
            h('input', { type: 'checkbox', name: 'model', value: m.id, checked: d.modelIds.includes(m.id) }),
            m.name,
          ),
        ),
    ),
    picker('Range', 'range', d.range, Object.keys(RANGES), (v) => go({ range: v })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Compare'),
  );
  let body: Node;
  if (!d.comparison)
    body = card(
      'Comparison',
      emptyState(
        'comparison selected',
        'GET /api/v1/metrics/compare?modelIds=…&metricName=…',
        h('p', { class: 'muted' }, 'Pick a metric and two or more models above.'),
      ),
    );
  else if (isFailure(d.comparison)) body = card('Comparison', errorState(d.comparison));
  else {
    const series = d.comparison.series;
    const lines = comparisonLines(
      d.keys.map(label),
      d.trends.map((t) => (isFailure(t) ? null : t)),
    );
    body = h(
      'div',
      null,
      card(
        `${d.metricName} · ${d.environment}`,
        lines.length === 0
          ? emptyState(`${d.metricName} points for these ${d.byVersion ? 'versions' : 'models'}`, calls.metrics)
          : lineChart({
              name: 'compare',
              title: `${d.metricName} by ${d.byVersion ? 'version' : 'model'}`,
              summary: lines.map((l) => `${l.name}: ${l.points.length} buckets`).join('; '),
              table: {
                columns: ['Series', 'Bucket start', d.metricName],
                rows: lines.flatMap((l) => l.points.map(([t, v]) => [l.name, formatTime(new Date(t).toISOString()), formatNumber(v)])),
              },
              lines,
              size: 'lg',
            }),
      ),
      card(
        'Summary',
        table(
          [d.byVersion ? 'Version' : 'Model', 'Points', 'Mean', 'Std dev', 'Min', 'p50', 'Max', 'Last', 'Last at'],
          series.map((s) => [
            d.byVersion ? (s.modelVersion ?? '—') : link(`/ui/models/${s.modelId}`, label(s.modelId)),
            s.count,
            formatNumber(s.mean),
            formatNumber(s.stdDev),
            formatNumber(s.min),
            formatNumber(s.p50),
            formatNumber(s.max),
            formatNumber(s.last),
            formatTime(s.lastRecordedAt),
          ]),
          { 'data-table': 'comparison' },
        ),
      ),
    );
  }
  return h(
    'div',
    { class: 'page', 'data-page': 'compare' },
    pageHeader(
      'Compare',
      d.byVersion ? `Versions of ${names.get(d.modelId) ?? d.modelId} side by side.` : 'Several models side by side on one metric.',
    ),
    form,
    body,
  );
}

export const comparePage = definePage({ load, view, title: () => 'Compare' });
