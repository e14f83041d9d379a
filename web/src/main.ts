import '@/styles.css';
import { ApiError } from '@/api';
import { h, link } from '@/app/dom';
import type { Page, PageContext } from '@/app/page';
import { matchRoute, type PageName } from '@/app/route-match';
import { session } from '@/app/session';
import { errorState, loadingState, NotFound } from '@/app/states';
import { disposeCharts, flushCharts } from '@/charts/frame';
import { abTestPage } from '@/pages/ab-test/page';
import { alertsPage } from '@/pages/alerts/page';
import { comparePage } from '@/pages/compare/page';
import { driftPage } from '@/pages/drift/page';
import { modelPage } from '@/pages/model/page';
import { overviewPage } from '@/pages/overview/page';
import { signInView } from '@/pages/sign-in/view';

const PAGES: Record<Exclude<PageName, 'notFound'>, Page<unknown>> = {
  overview: overviewPage,
  model: modelPage,
  drift: driftPage,
  abTest: abTestPage,
  alerts: alertsPage,
  compare: comparePage,
};

const root = document.getElementById('app') as HTMLElement;
const main = h('main', { id: 'main', class: 'main' });
const who = h('div', { class: 'who' });
let renderToken = 0;

function navItem(href: string, label: string): HTMLElement {
  return h('li', null, link(href, label));
}

function shell(): void {
  root.replaceChildren(
    h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    h(
      'header',
      { class: 'topbar' },
      h(
        'a',
        { class: 'brand', href: '/ui', 'data-link': true },
        h('img', { src: '/ui/favicon.svg', alt: '', width: 22, height: 22 }),
        'ModelWatch',
      ),
      h(
        'nav',
        { class: 'topnav', 'aria-label': 'Main' },
        h('ul', null, navItem('/ui', 'Overview'), navItem('/ui/alerts', 'Alerts'), navItem('/ui/compare', 'Compare')),
      ),
      who,
    ),
    main,
  );
}

function renderWho(): void {
  const current = session.get();
  if (!current) return void who.replaceChildren();
  who.replaceChildren(
    current.mode === 'protected'
      ? h('span', { class: 'badge badge-muted', title: 'No API_KEYS configured: the API is open on loopback' }, 'Protected mode')
      : h(
          'span',
          { class: 'who-key', 'data-key-name': current.keyName ?? '' },
          h('span', { class: 'badge badge-info' }, current.scope),
          ' ',
          current.keyName,
        ),
    current.mode === 'api-key'
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn btn-ghost btn-small',
            onclick: () => {
              session.signOut();
              void start();
            },
          },
          'Sign out',
        )
      : '',
  );
}

function context(): PageContext {
  const url = new URL(location.href);
  const match = matchRoute(url.pathname);
  return {
    params: match.params,
    query: url.searchParams,
    navigate,
    reload: () => void render(),
  };
}

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void render();
}

async function render(): Promise<void> {
  const token = ++renderToken;
  const url = new URL(location.href);
  const match = matchRoute(url.pathname);
  disposeCharts();
  const ctx = context();
  markActiveNav(url.pathname);
  const scrollY = window.scrollY;
  main.replaceChildren(loadingState());
  main.setAttribute('aria-busy', 'true');
  let node: Node;
  let title = 'ModelWatch';
  try {
    if (match.page === 'notFound') throw new NotFound('Page not found', h('p', null, `Nothing lives at ${url.pathname}.`));
    const page = PAGES[match.page];
    const data = await page.load(ctx);
    if (token !== renderToken) return;
    node = page.view(data, ctx);
    title = `${page.title(data)} · ModelWatch`;
  } catch (error) {
    if (token !== renderToken) return;
    if (error instanceof ApiError && error.status === 401) return void start();
    node = h('div', { class: 'page' }, errorState(error));
    title = `${error instanceof NotFound ? 'Not found' : 'Error'} · ModelWatch`;
  }
  main.replaceChildren(node);
  main.removeAttribute('aria-busy');
  document.title = title;
  flushCharts();
  if (history.state?.keepScroll) window.scrollTo(0, scrollY);
}

function markActiveNav(pathname: string): void {
  root.querySelectorAll<HTMLAnchorElement>('.topnav a').forEach((a) => {
    const href = a.getAttribute('href') ?? '';
    const active = href === '/ui' ? pathname === '/ui' || pathname === '/ui/' : pathname.startsWith(href);
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

document.addEventListener('click', (event) => {
  const anchor = (event.target as Element | null)?.closest?.('a[data-link]') as HTMLAnchorElement | null;
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (anchor.target && anchor.target !== '_self') return;
  event.preventDefault();
  navigate(anchor.getAttribute('href') ?? '/ui');
});
window.addEventListener('popstate', () => void render());

async function start(): Promise<void> {
  shell();
  main.replaceChildren(loadingState());
  try {
    const current = await session.load();
    renderWho();
    if (!current) {
      disposeCharts();
      main.replaceChildren(
        signInView(async (key) => {
          await session.signIn(key);
          renderWho();
          await render();
        }),
      );
      document.title = 'Sign in · ModelWatch';
      return;
    }
  } catch (error) {
    main.replaceChildren(h('div', { class: 'page' }, errorState(error)));
    return;
  }
  await render();
}

void start();
