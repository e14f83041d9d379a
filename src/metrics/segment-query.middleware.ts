import type { NextFunction, Request, Response } from 'express';

/** `segment.<key>` or `segment[<key>]`: the shape of a segment filter under the 'simple' (querystring) parser. */
const SEGMENT_KEY = /^segment(?:\.([^.[\]]+)|\[([^[\]]+)\])$/;

/**
 * The app parses query strings with 'simple' (flat keys), so `?segment.region=eu&segment.team=ads`
 * reaches us as the keys `segment.region` and `segment.team`. This folds them into one
 * `segment: { region: 'eu', team: 'ads' }` before validation, so the query DTO validates `segment`
 * as a string map and forbidNonWhitelisted still rejects every other unknown key. A plain
 * `segment=…` is left as is (and fails validation: it is not a map).
 */
export function collectSegmentQuery(request: Request, _response: Response, next: NextFunction): void {
  const query: Record<string, unknown> = {};
  let segment: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(request.query ?? {})) {
    const match = SEGMENT_KEY.exec(key);
    if (match) (segment ??= {})[match[1] ?? match[2]] = value;
    else query[key] = value;
  }
  if (segment !== undefined) {
    query.segment ??= segment;
    // Express 5 exposes req.query as a getter that re-parses the URL: shadow it on this request.
    Object.defineProperty(request, 'query', { value: query, configurable: true, enumerable: true, writable: true });
  }
  next();
}
