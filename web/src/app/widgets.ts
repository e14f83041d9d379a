/** Small shared pieces of page markup: headers, cards, badges, pickers, write buttons, pagers. */
import { h, link, type Child } from '@/app/dom';
import { humanize } from '@/app/format';
import { session } from '@/app/session';

export function pageHeader(title: Child, subtitle: Child = null, actions: Child = null, crumbs: Child = null): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    crumbs ? h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, crumbs) : null,
    h(
      'div',
      { class: 'page-header-row' },
      h('div', null, h('h1', { tabindex: '-1' }, title), subtitle ? h('p', { class: 'subtitle' }, subtitle) : null),
      actions ? h('div', { class: 'page-actions' }, actions) : null,
    ),
  );
}

export function card(title: Child, body: Child, options: { class?: string; actions?: Child; id?: string } = {}): HTMLElement {
  return h(
    'section',
    { class: `card ${options.class ?? ''}`.trim(), id: options.id },
    title
      ? h(
          'div',
          { class: 'card-head' },
          h('h2', null, title),
          options.actions ? h('div', { class: 'card-actions' }, options.actions) : null,
        )
      : null,
    h('div', { class: 'card-body' }, body),
  );
}

export function stat(label: string, value: Child, options: { tone?: string; hint?: string; testId?: string } = {}): HTMLElement {
  return h(
    'div',
    { class: `stat ${options.tone ? `tone-${options.tone}` : ''}`, 'data-stat': options.testId },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value' }, value),
    options.hint ? h('div', { class: 'stat-hint' }, options.hint) : null,
  );
}

export function badge(text: string, tone: string, attrs: Record<string, string> = {}): HTMLElement {
  return h('span', { class: `badge badge-${tone}`, ...attrs }, text);
}

const STATUS_TONES: Record<string, string> = {
  firing: 'bad',
  pending: 'warn',
  acknowledged: 'info',
  resolved: 'ok',
  running: 'info',
  queued: 'muted',
  succeeded: 'ok',
  failed: 'bad',
  cancelled: 'muted',
  stopped: 'muted',
  completed: 'ok',
  critical: 'bad',
  warning: 'warn',
  info: 'info',
};
export function statusBadge(status: string): HTMLElement {
  return badge(humanize(status), STATUS_TONES[status] ?? 'muted', { 'data-status': status });
}

/**
 * A button that writes. Without the needed scope it is disabled and its tooltip names the scope
 * (on a wrapper, because a disabled button receives no hover events).
 */
export function writeButton(
  label: string,
  onClick: () => void | Promise<void>,
  options: { scope?: 'write' | 'admin'; class?: string; action?: string } = {},
): HTMLElement {
  const scope = options.scope ?? 'write';
  const allowed = scope === 'admin' ? session.get()?.scope === 'admin' : session.canWrite();
  const who = session.get();
  const button = h(
    'button',
    {
      type: 'button',
      class: `btn ${options.class ?? 'btn-primary'}`,
      disabled: !allowed,
      'aria-disabled': allowed ? undefined : 'true',
      'data-action': options.action,
      onclick: async () => {
        if (!allowed) return;
        button.disabled = true;
        try {
          await onClick();
        } finally {
          button.disabled = false;
        }
      },
    },
    label,
  );
  if (allowed) return button;
  const tip = `Needs the "${scope}" scope — key "${who?.keyName ?? 'unknown'}" has "${who?.scope ?? 'none'}".`;
  return h('span', { class: 'tooltip-wrap', title: tip, 'data-tooltip': tip, tabindex: '0', 'aria-label': `${label}: ${tip}` }, button);
}

/** A <select> that navigates when changed. */
export function picker(
  label: string,
  name: string,
  value: string,
  options: Array<string | [string, string]>,
  onChange: (value: string) => void,
): HTMLElement {
  const select = h(
    'select',
    { name, id: `pick-${name}`, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
    ...options.map((o) => {
      const [v, text] = Array.isArray(o) ? o : [o, o];
      return h('option', { value: v, selected: v === value }, text);
    }),
  );
  return h('label', { class: 'picker', for: `pick-${name}` }, h('span', null, label), select);
}

/** Cursor pagination: "Newer" goes back through the cursors already seen (kept in the URL), "Older" follows nextCursor. */
export function cursorPager(options: {
  nextCursor: string | null | undefined;
  cursors: string[];
  go: (cursors: string[]) => void;
  label?: string;
}): HTMLElement | null {
  const { nextCursor, cursors, go } = options;
  if (!nextCursor && cursors.length === 0) return null;
  return h(
    'nav',
    { class: 'pager', 'aria-label': options.label ?? 'Pages' },
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-ghost btn-small',
        disabled: cursors.length === 0,
        'data-action': 'page-prev',
        onclick: () => go(cursors.slice(0, -1)),
      },
      '← Newer',
    ),
    h('span', { class: 'muted' }, `Page ${cursors.length + 1}`),
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-ghost btn-small',
        disabled: !nextCursor,
        'data-action': 'page-next',
        onclick: () => nextCursor && go([...cursors, nextCursor]),
      },
      'Older →',
    ),
  );
}

/** The cursor stack as stored in a query parameter (comma-free base64url cursors joined by '.'). */
export function readCursors(query: URLSearchParams, name = 'cursor'): string[] {
  const raw = query.get(name);
  return raw ? raw.split('~').filter(Boolean) : [];
}
export function writeCursors(cursors: string[]): string | undefined {
  return cursors.length ? cursors.join('~') : undefined;
}

export function modelLink(modelId: string, name: Child): HTMLAnchorElement {
  return link(`/ui/models/${encodeURIComponent(modelId)}`, name);
}

export function table(columns: string[], rows: Child[][], attrs: Record<string, string | number> = {}): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table', 'aria-rowcount': rows.length + 1, ...attrs },
      h('thead', null, h('tr', null, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, ...rows.map((row) => h('tr', null, ...row.map((cell) => h('td', null, cell))))),
    ),
  );
}
