/** URL → page: pure, unit-tested. Paths are the /ui/... URLs users bookmark. */
export const UI_BASE = '/ui';

export type PageName = 'overview' | 'model' | 'drift' | 'abTest' | 'alerts' | 'compare' | 'notFound';

export interface RouteMatch {
  page: PageName;
  params: Record<string, string>;
}

const ROUTES: Array<[RegExp, PageName, string[]]> = [
  [/^\/?$/, 'overview', []],
  [/^\/models\/([^/]+)\/?$/, 'model', ['modelId']],
  [/^\/models\/([^/]+)\/drift\/?$/, 'drift', ['modelId']],
  [/^\/ab-tests\/([^/]+)\/?$/, 'abTest', ['testId']],
  [/^\/alerts\/?$/, 'alerts', []],
  [/^\/compare\/?$/, 'compare', []],
];

export function matchRoute(pathname: string): RouteMatch {
  if (pathname !== UI_BASE && !pathname.startsWith(`${UI_BASE}/`)) return { page: 'notFound', params: {} };
  const inside = pathname.slice(UI_BASE.length);
  for (const [pattern, page, names] of ROUTES) {
    const match = pattern.exec(inside);
    if (match) return { page, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])])) };
  }
  return { page: 'notFound', params: {} };
}

/** /ui/... with the query parameters that are set, in a stable order (so the same view has one URL). */
export function uiUrl(path: string, query: Record<string, string | number | undefined | null> = {}): string {
  const params = new URLSearchParams();
  for (const name of Object.keys(query).sort()) {
    const value = query[name];
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const qs = params.toString();
  return `${UI_BASE}${path === '/' ? '' : path}${qs ? `?${qs}` : ''}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
