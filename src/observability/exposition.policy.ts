/**
 * Pure decisions behind GET /metrics: which exposition format to answer with, how an HTTP request is labelled,
 * and which per-model series fit under the cardinality cap.
 */

export type ExpositionFormat = 'prometheus' | 'openmetrics';

const OPENMETRICS_TYPE = 'application/openmetrics-text';
const PROMETHEUS_TYPE = 'text/plain';

/**
 * OpenMetrics when the Accept header asks for `application/openmetrics-text` with a quality at least that of
 * `text/plain` (Prometheus ≥ 2.5 sends both, OpenMetrics first); the Prometheus text format 0.0.4 otherwise.
 * Content negotiation as in RFC 9110 §12.5.1: `q` defaults to 1, `q=0` means "not acceptable".
 */
export function negotiateExpositionFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'prometheus';
  let openMetrics = 0;
  let text = 0;
  for (const entry of accept.split(',')) {
    const [type, ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    const qualityParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = qualityParameter ? Number(qualityParameter.slice(2)) : 1;
    if (!Number.isFinite(quality)) continue;
    if (type === OPENMETRICS_TYPE) openMetrics = Math.max(openMetrics, quality);
    else if (type === PROMETHEUS_TYPE) text = Math.max(text, quality);
  }
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'prometheus';
}

/** `2xx`, `4xx`, …: the status label stays a handful of values whatever the API answers. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

/** Label for requests no route template handled (unknown paths, the static dashboard, bodies refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route template (`/api/v1/models/:id`), never the raw path, so ids do not multiply series. Express sets
 * `route` only when a route handled the request.
 */
export function routeLabel(baseUrl: string | undefined, routePath: unknown): string {
  if (typeof routePath !== 'string' || routePath === '') return UNMATCHED_ROUTE;
  return `${baseUrl ?? ''}${routePath}`;
}

export interface CappedSeries<Row> {
  rows: Row[];
  /** Series that existed but were left out. */
  dropped: number;
}

/**
 * Fills the budget family by family, in the order given: each family keeps as many of its rows (already in a stable
 * order) as the budget still allows; `available[i]` is how many series family i has in all, of which `rows[i]` were read.
 */
export function capSeries<Row>(families: { rows: Row[]; available: number }[], budget: number): CappedSeries<Row>[] {
  let remaining = Math.max(0, budget);
  return families.map(({ rows, available }) => {
    const kept = rows.slice(0, remaining);
    remaining -= kept.length;
    return { rows: kept, dropped: Math.max(available, rows.length) - kept.length };
  });
}
