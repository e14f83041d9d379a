/** What a page is: a loader (API calls) and a view (DOM from the loaded data). */
export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Go to another /ui URL (pushes history; `replace` for filter tweaks that should not pile up). */
  navigate(url: string, options?: { replace?: boolean }): void;
  /** Load and render the current URL again (after a write). */
  reload(): void;
}

export interface Page<T> {
  load(ctx: PageContext): Promise<T>;
  view(data: T, ctx: PageContext): Node;
  title(data: T): string;
}

export function definePage<T>(page: Page<T>): Page<unknown> {
  return page as Page<unknown>;
}
