/** Overview /ui: models with latest values and sparklines, open alerts by severity, running A/B tests, retraining, last drift. */
import { api, calls, ALERT_SEVERITIES, type Model } from '@/api';
import { h, link } from '@/app/dom';
import { formatAgo, formatNumber, formatPercent, humanize } from '@/app/format';
import { definePage, type PageContext } from '@/app/page';
import { uiUrl } from '@/app/route-match';
import { emptyState, errorState, isFailure, settle } from '@/app/states';
import { badge, card, cursorPager, modelLink, pageHeader, readCursors, statusBadge, writeCursors } from '@/app/widgets';
import { barChart } from '@/charts/bar';
import { lineChart } from '@/charts/line';
import { SEVERITY_COLORS } from '@/charts/palette';
import { latestProduction, severityCounts } from '@/pages/overview/summary';

const PAGE_SIZE = 12;
const DAY = 86_400_000;

async function loadModelCard(model: Model) {
  const latest = await settle(api.metrics.latest({ modelId: model.id }));
  const items = isFailure(latest) ? [] : latest.items;
  const primary = latestProduction(items);
  const now = Date.now();
  const [trend, drift] = await Promise.all([
    primary
      ? settle(
          api.metrics.trend({
            modelId: model.id,
            metricName: primary.metricName,
            environment: primary.environment,
            from: new Date(now - 7 * DAY).toISOString(),
            to: new Date(now).toISOString(),
            bucket: '1h',
          }),
        )
      : Promise.resolve(null),
    settle(api.drift.checks({ modelId: model.id, limit: 1 })),
  ]);
  return { model, latest, items, primary, trend, drift };
}

async function load(ctx: PageContext) {
  const cursors = readCursors(ctx.query);
  const [models, active, tests, running, queued] = await Promise.all([
    api.models.list({ limit: PAGE_SIZE, cursor: cursors[cursors.length - 1] }),
    settle(api.alerts.active({ limit: 500 })),
    settle(api.abTests.list({ status: 'running', limit: 20 })),
    settle(api.trainingRuns.list({ status: 'running', limit: 50 })),
    settle(api.trainingRuns.list({ status: 'queued', limit: 50 })),
  ]);
  const cards = await Promise.all(models.items.map(loadModelCard));
  return { cursors, models, cards, active, tests, running, queued };
}
type Data = Awaited<ReturnType<typeof load>>;

function view(d: Data, ctx: PageContext): Node {
  const names = new Map(d.models.items.map((m) => [m.id, m.name]));
  return h(
    'div',
    { class: 'page', 'data-page': 'overview' },
    pageHeader('Overview', 'Every model, its latest numbers and what needs attention.'),
    h('div', { class: 'grid grid-3' }, alertsCard(d), testsCard(d, names), retrainingCard(d, names)),
    card(
      'Models',
      d.cards.length === 0
        ? emptyState('models', calls.models)
        : [
            h('div', { class: 'model-grid' }, ...d.cards.map(modelCard)),
            cursorPager({
              nextCursor: d.models.nextCursor,
              cursors: d.cursors,
              go: (c) => ctx.navigate(uiUrl('/', { cursor: writeCursors(c) })),
              label: 'Model pages',
            }),
          ],
    ),
  );
}

function alertsCard(d: Data): HTMLElement {
  if (isFailure(d.active)) return card('Open alerts', errorState(d.active));
  const counts = severityCounts(d.active.items);
  const total = d.active.items.length;
  return card(
    'Open alerts',
    total === 0
      ? emptyState('open alerts', calls.alerts)
      : barChart({
          name: 'open-alerts',
          title: 'Open alerts by severity',
          summary: ALERT_SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ') + (d.active.nextCursor ? ' (first 500)' : ''),
          table: { columns: ['Severity', 'Open alerts'], rows: ALERT_SEVERITIES.map((s) => [s, counts[s]]) },
          categories: ALERT_SEVERITIES.map(humanize),
          series: [
            {
              name: 'Open alerts',
              values: ALERT_SEVERITIES.map((s) => counts[s]),
              colors: ALERT_SEVERITIES.map((s) => SEVERITY_COLORS[s]),
            },
          ],
          horizontal: true,
          integer: true,
          size: 'sm',
        }),
    { actions: link('/ui/alerts?status=firing', `${total}${d.active.nextCursor ? '+' : ''} open →`) },
  );
}

function testsCard(d: Data, names: Map<string, string>): HTMLElement {
  if (isFailure(d.tests)) return card('Running A/B tests', errorState(d.tests));
  return card(
    'Running A/B tests',
    d.tests.items.length === 0
      ? emptyState('running A/B tests', calls.abTests)
      : h(
          'ul',
          { class: 'list' },
          ...d.tests.items.map((t) =>
            h(
              'li',
              { class: 'list-row' },
              link(`/ui/ab-tests/${t.id}`, t.name),
              h('span', { class: 'muted' }, names.get(t.modelId) ?? ''),
              h('span', { class: 'muted small' }, `${t.variants.length} variants · ${formatAgo(t.startedAt)}`),
            ),
          ),
        ),
  );
}

function retrainingCard(d: Data, names: Map<string, string>): HTMLElement {
  if (isFailure(d.running) || isFailure(d.queued)) return card('Retraining now', errorState(isFailure(d.running) ? d.running : d.queued));
  const runs = [...d.running.items, ...d.queued.items];
  return card(
    'Retraining now',
    runs.length === 0
      ? emptyState('running or queued training runs', calls.trainingRuns)
      : h(
          'ul',
          { class: 'list' },
          ...runs.map((r) =>
            h(
              'li',
              { class: 'list-row' },
              modelLink(r.modelId, names.get(r.modelId) ?? r.modelId.slice(0, 8)),
              statusBadge(r.status),
              h('span', { class: 'muted small' }, `${humanize(r.trigger)} · ${formatAgo(r.queuedAt)}`),
            ),
          ),
        ),
  );
}

function modelCard(c: Awaited<ReturnType<typeof loadModelCard>>): HTMLElement {
  const trend = c.trend && !isFailure(c.trend) ? c.trend : null;
  const drift = isFailure(c.drift) ? null : c.drift.items[0];
  return h(
    'article',
    { class: 'model-card', 'data-model-card': c.model.id },
    h(
      'div',
      { class: 'model-card-head' },
      h('h3', null, modelLink(c.model.id, c.model.displayName ?? c.model.name)),
      c.model.taskType ? badge(humanize(c.model.taskType), 'muted') : null,
    ),
    c.primary
      ? h(
          'div',
          { class: 'model-card-metric' },
          h('span', { class: 'big' }, formatNumber(c.primary.value)),
          h('span', { class: 'muted' }, `${c.primary.metricName} · ${c.primary.environment}`),
        )
      : h('p', { class: 'muted small' }, 'No metrics yet — ', h('code', null, calls.metrics)),
    trend && trend.points.length > 1
      ? lineChart({
          name: 'sparkline',
          title: `${trend.metricName}, last 7 days`,
          summary: `${trend.points.length} hourly values, from ${formatNumber(trend.summary.first)} to ${formatNumber(trend.summary.last)}`,
          table: { columns: ['Hour', trend.metricName], rows: trend.points.map((p) => [p.bucketStart, formatNumber(p.value)]) },
          lines: [{ name: trend.metricName, points: trend.points.map((p) => [Date.parse(p.bucketStart), p.value]) }],
          compact: true,
        })
      : null,
    h(
      'ul',
      { class: 'kv' },
      ...c.items
        .filter((l) => l !== c.primary)
        .slice(0, 3)
        .map((l) =>
          h(
            'li',
            null,
            h('span', { class: 'muted' }, `${l.metricName} · ${l.environment}${l.modelVersion ? ` · ${l.modelVersion}` : ''}`),
            h('span', null, formatNumber(l.value)),
          ),
        ),
      h(
        'li',
        null,
        h('span', { class: 'muted' }, 'Last drift check'),
        drift
          ? h(
              'span',
              null,
              link(
                `/ui/models/${c.model.id}/drift`,
                drift.datasetDrift ? badge(`Drift ${formatPercent(drift.driftShare, 0)}`, 'bad') : badge('No drift', 'ok'),
              ),
              ' ',
              h('span', { class: 'muted small' }, formatAgo(drift.checkedAt)),
            )
          : h('span', { class: 'muted' }, 'none'),
      ),
    ),
  );
}

export const overviewPage = definePage({ load, view, title: () => 'Overview' });
