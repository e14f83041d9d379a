/** Alerts /ui/alerts: filters, the list with acknowledge/resolve, notification attempts, and the alert flow Sankey. */
import { api, calls, ALERT_SEVERITIES, ALERT_STATUSES, ALERT_TYPES, type Alert, type AlertQuery } from '@/api';
import { h, link } from '@/app/dom';
import { formatAgo, formatTime, humanize } from '@/app/format';
import { definePage, type PageContext } from '@/app/page';
import { uiUrl } from '@/app/route-match';
import { session } from '@/app/session';
import { emptyState, errorState, settle } from '@/app/states';
import {
  card,
  cursorPager,
  modelLink,
  pageHeader,
  picker,
  readCursors,
  statusBadge,
  table,
  writeButton,
  writeCursors,
} from '@/app/widgets';
import { sankeyChart } from '@/charts/sankey';
import { SEVERITY_COLORS } from '@/charts/palette';
import { alertFlow } from '@/pages/alerts/flow';

const PERIODS: Record<string, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 };
const FLOW_PAGES = 4;

async function load(ctx: PageContext) {
  const q = ctx.query;
  const period = PERIODS[q.get('period') ?? ''] ? (q.get('period') as string) : '7d';
  const from = new Date(Date.now() - PERIODS[period]).toISOString();
  const filter: AlertQuery = {
    status: (q.get('status') || undefined) as AlertQuery['status'],
    severity: (q.get('severity') || undefined) as AlertQuery['severity'],
    type: (q.get('type') || undefined) as AlertQuery['type'],
    modelId: q.get('modelId') || undefined,
    from,
  };
  const cursors = readCursors(q);
  const [page, flowAlerts, models] = await Promise.all([
    api.alerts.list({ ...filter, limit: 25, cursor: cursors[cursors.length - 1] }),
    settle(loadAll({ ...filter, status: undefined })),
    settle(api.models.list({ limit: 500 })),
  ]);
  const open = q.get('open');
  const detail = open ? await settle(api.alerts.get(open)) : null;
  return { period, filter, cursors, page, flowAlerts, models, open, detail };
}
type Data = Awaited<ReturnType<typeof load>>;

/** Every alert of the period for the Sankey, following cursors up to FLOW_PAGES × 500. */
async function loadAll(filter: AlertQuery): Promise<{ items: Alert[]; truncated: boolean }> {
  const items: Alert[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < FLOW_PAGES; i++) {
    const page = await api.alerts.list({ ...filter, limit: 500, cursor });
    items.push(...page.items);
    if (!page.nextCursor) return { items, truncated: false };
    cursor = page.nextCursor;
  }
  return { items, truncated: true };
}

function view(d: Data, ctx: PageContext): Node {
  const state = { period: d.period, status: d.filter.status, severity: d.filter.severity, type: d.filter.type, modelId: d.filter.modelId };
  const go = (patch: Record<string, string | undefined>) => ctx.navigate(uiUrl('/alerts', { ...state, ...patch }));
  const names = new Map((d.models instanceof Error ? [] : d.models.items).map((m) => [m.id, m.name]));
  return h(
    'div',
    { class: 'page', 'data-page': 'alerts' },
    pageHeader('Alerts', 'Active and past alerts; acknowledge or resolve as ' + (session.get()?.keyName ?? 'the dashboard') + '.'),
    h(
      'div',
      { class: 'pickers', role: 'group', 'aria-label': 'Filters' },
      picker('Period', 'period', d.period, Object.keys(PERIODS), (v) => go({ period: v })),
      picker(
        'Status',
        'status',
        d.filter.status ?? '',
        [['', 'any'], ...ALERT_STATUSES.map((s) => [s, humanize(s)] as [string, string])],
        (v) => go({ status: v || undefined }),
      ),
      picker(
        'Severity',
        'severity',
        d.filter.severity ?? '',
        [['', 'any'], ...ALERT_SEVERITIES.map((s) => [s, humanize(s)] as [string, string])],
        (v) => go({ severity: v || undefined }),
      ),
      picker('Type', 'type', d.filter.type ?? '', [['', 'any'], ...ALERT_TYPES.map((s) => [s, humanize(s)] as [string, string])], (v) =>
        go({ type: v || undefined }),
      ),
      picker(
        'Model',
        'modelId',
        d.filter.modelId ?? '',
        [['', 'any'], ...[...names.entries()].map(([id, name]) => [id, name] as [string, string])],
        (v) => go({ modelId: v || undefined }),
      ),
    ),
    flowCard(d),
    listCard(d, ctx, names, state),
  );
}

function listCard(d: Data, ctx: PageContext, names: Map<string, string>, state: Record<string, string | undefined>): HTMLElement {
  if (d.page.items.length === 0 && d.cursors.length === 0)
    return card('Alerts', emptyState('alerts matching these filters', calls.alerts), { class: 'span-main' });
  const act = async (kind: 'acknowledge' | 'resolve', alert: Alert) => {
    try {
      await api.alerts[kind](alert.id, session.actor());
      ctx.reload();
    } catch (error) {
      document.getElementById(`alert-error-${alert.id}`)?.replaceChildren(errorState(error));
    }
  };
  const rows = d.page.items.flatMap((alert) => {
    const open = alert.id === d.open;
    const actions = h(
      'div',
      { class: 'btn-row' },
      alert.status === 'firing' || alert.status === 'pending'
        ? writeButton('Acknowledge', () => act('acknowledge', alert), { class: 'btn-small btn-secondary', action: 'acknowledge' })
        : null,
      alert.status !== 'resolved'
        ? writeButton('Resolve', () => act('resolve', alert), { class: 'btn-small btn-ghost', action: 'resolve' })
        : null,
    );
    const row = h(
      'tr',
      { 'data-alert-id': alert.id, 'data-alert-status': alert.status, class: open ? 'row-selected' : undefined },
      h('td', null, h('span', { class: `sev sev-${alert.severity}`, title: alert.severity }, humanize(alert.severity))),
      h(
        'td',
        null,
        h(
          'a',
          {
            href: uiUrl('/alerts', { ...state, cursor: writeCursors(d.cursors), open: open ? undefined : alert.id }),
            'data-link': true,
            'aria-expanded': String(open),
          },
          alert.title,
        ),
        h(
          'div',
          { class: 'muted small' },
          humanize(alert.type),
          ' · ',
          // alerts from outside (Alertmanager) may belong to no model
          alert.modelId === null
            ? `no model · ${alert.source}`
            : modelLink(alert.modelId, names.get(alert.modelId) ?? alert.modelId.slice(0, 8)),
        ),
      ),
      h(
        'td',
        null,
        statusBadge(alert.status),
        alert.acknowledgedBy ? h('div', { class: 'muted small' }, `ack by ${alert.acknowledgedBy}`) : null,
        alert.resolvedBy ? h('div', { class: 'muted small' }, `resolved by ${alert.resolvedBy}`) : null,
      ),
      h('td', { class: 'small' }, formatAgo(alert.firstSeenAt), h('div', { class: 'muted' }, `${alert.occurrences}×`)),
      h('td', null, actions, h('div', { id: `alert-error-${alert.id}` })),
    );
    return open ? [row, detailRow(d)] : [row];
  });
  return card(
    'Alerts',
    [
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table table-cards', 'data-table': 'alerts', 'aria-rowcount': d.page.items.length + 1 },
          h(
            'thead',
            null,
            h('tr', null, ...['Severity', 'Alert', 'Status', 'First seen', 'Actions'].map((c) => h('th', { scope: 'col' }, c))),
          ),
          h('tbody', null, ...rows),
        ),
      ),
      cursorPager({
        nextCursor: d.page.nextCursor,
        cursors: d.cursors,
        go: (c) => ctx.navigate(uiUrl('/alerts', { ...state, cursor: writeCursors(c) })),
      }),
    ],
    { class: 'span-main' },
  );
}

function detailRow(d: Data): HTMLElement {
  const content = !d.detail
    ? null
    : d.detail instanceof Error
      ? errorState(d.detail)
      : h(
          'div',
          { class: 'alert-detail', 'data-alert-detail': d.detail.id },
          d.detail.message ? h('p', null, d.detail.message) : null,
          h('h3', null, 'Notifications'),
          d.detail.notifications.length === 0
            ? emptyState('notifications for this alert', 'POST /api/v1/alert-channels (a webhook channel)')
            : table(
                ['Event', 'Status', 'Attempts', 'Last code', 'Last error', 'Created', 'Delivered'],
                d.detail.notifications.map((n) => [
                  humanize(n.event),
                  statusBadge(n.status),
                  String(n.attempts),
                  n.lastStatusCode === null ? '—' : String(n.lastStatusCode),
                  n.lastError ?? '—',
                  formatTime(n.createdAt),
                  formatTime(n.deliveredAt),
                ]),
                { 'data-table': 'notifications' },
              ),
        );
  return h('tr', { class: 'detail-row' }, h('td', { colspan: 5 }, content));
}

function flowCard(d: Data): HTMLElement {
  if (d.flowAlerts instanceof Error) return card('Alert flow', errorState(d.flowAlerts));
  const flow = alertFlow(d.flowAlerts.items);
  if (flow.links.length === 0) return card('Alert flow', emptyState('alerts in this period', calls.alerts));
  const colors: Record<string, string> = {
    'Critical severity': SEVERITY_COLORS.critical,
    'Warning severity': SEVERITY_COLORS.warning,
    'Info severity': SEVERITY_COLORS.info,
    'Still open': '#D55E00',
    Acknowledged: '#CC79A7',
    'Auto-resolved': '#009E73',
    'Resolved by a person': '#0072B2',
  };
  return card(`Alert flow · last ${d.period}`, [
    sankeyChart({
      name: 'alert-flow',
      title: 'Alert type → severity → outcome',
      summary:
        `${d.flowAlerts.items.length} alerts${d.flowAlerts.truncated ? ' (first 2,000)' : ''}: ` +
        flow.links.map((l) => `${l.source} → ${l.target}: ${l.value}`).join('; '),
      table: { columns: ['From', 'To', 'Alerts'], rows: flow.links.map((l) => [l.source, l.target, l.value]) },
      nodes: flow.nodes.map((name) => ({ name, color: colors[name] })),
      links: flow.links,
      // the middle column is the severities: "Critical" says enough there
      shortName: (name) => name.replace(/ severity$/, ''),
    }),
    h('p', { class: 'muted small' }, link(uiUrl('/alerts', { period: d.period, status: 'firing' }), 'Only firing alerts →')),
  ]);
}

export const alertsPage = definePage({ load, view, title: () => 'Alerts' });
