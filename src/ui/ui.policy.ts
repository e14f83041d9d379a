/** Headers for the dashboard's files: pure, so the rules are unit-tested without a server. */

/**
 * The dashboard's Content-Security-Policy: every script and style from this origin, no inline script,
 * no eval, no other host to talk to. (The API-wide policy in app.setup.ts allows inline styles for Swagger UI.)
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names built assets `<name>-<hash>.<ext>`; those never change, so they are cached for a year. */
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.(js|css|svg|png|woff2?)$/;

export function cacheControlFor(pathInsideUi: string): string {
  return HASHED_ASSET.test(pathInsideUi) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** /ui/* paths that are files (served or 404), as opposed to client-side routes that get index.html. */
export function isAssetPath(pathInsideUi: string): boolean {
  return pathInsideUi.startsWith('/assets/') || /\/[^/]+\.[a-z0-9]+$/i.test(pathInsideUi);
}
