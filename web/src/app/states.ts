/** The loading, empty, error and not-found states every page uses. */
import { ApiError } from '@/api';
import { h, link, type Child } from '@/app/dom';

export class NotFound extends Error {
  constructor(
    readonly what: string,
    readonly hint: Child = null,
  ) {
    super(`${what} not found`);
  }
}

export function loadingState(): HTMLElement {
  return h('div', { class: 'state state-loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading…');
}

/** An empty list says which API call fills it. */
export function emptyState(what: string, call: string, extra: Child = null): HTMLElement {
  return h(
    'div',
    { class: 'state state-empty', 'data-state': 'empty' },
    h('p', { class: 'state-title' }, `No ${what} yet`),
    h('p', null, 'Filled by ', h('code', null, call), '.'),
    extra,
  );
}

export function errorState(error: unknown): HTMLElement {
  if (error instanceof NotFound) {
    return h(
      'div',
      { class: 'state state-notfound', 'data-state': 'not-found', role: 'alert' },
      h('p', { class: 'state-title' }, error.message),
      error.hint,
      h('p', null, link('/ui', 'Back to the overview')),
    );
  }
  const problem = error instanceof ApiError ? error.problem : null;
  return h(
    'div',
    { class: 'state state-error', 'data-state': 'error', role: 'alert' },
    h('p', { class: 'state-title' }, problem?.title ?? 'Something went wrong'),
    problem?.detail ? h('p', null, problem.detail) : h('p', null, error instanceof Error ? error.message : String(error)),
    error instanceof ApiError ? h('p', { class: 'muted' }, h('code', null, error.call), ` answered ${error.status}`) : null,
    problem?.requestId
      ? h('p', { class: 'muted' }, 'Request id ', h('code', { 'data-request-id': problem.requestId }, problem.requestId))
      : null,
  );
}

/** A section's content, or its error state when that one call failed (the rest of the page still renders). */
export async function settle<T>(promise: Promise<T>): Promise<T | ApiError | Error> {
  try {
    return await promise;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export function isFailure<T>(value: T | Error): value is Error {
  return value instanceof Error;
}
