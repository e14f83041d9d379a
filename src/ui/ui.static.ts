import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import { CommonErrors } from 'src/common/errors/domain-error';
import { cacheControlFor, isAssetPath, UI_CONTENT_SECURITY_POLICY } from 'src/ui/ui.policy';

export const UI_PATH = '/ui';

/**
 * The Vite output (dist/web): under dist/ when running from sources (tests), next to dist/src when compiled.
 * A built directory has assets/ (the source web/ has an index.html too, but no assets/).
 */
export function findWebDir(): string | null {
  const candidates = [join(__dirname, '..', '..', 'dist', 'web'), join(__dirname, '..', '..', 'web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets'))) ?? null;
}

/**
 * The dashboard: built files under /ui (hashed assets cached for a year), index.html for every other /ui/* path
 * (client-side routes), `/` redirects to /ui. Express middleware, mounted before Nest's router.
 */
export function mountUi(app: NestExpressApplication): void {
  let index: { html: string; mtimeMs: number } | null = null;
  let webDir: string | null = null;
  const locate = (): string | null => (webDir ??= findWebDir());

  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.path === '/' && (request.method === 'GET' || request.method === 'HEAD')) return response.redirect(302, `${UI_PATH}/`);
    next();
  });
  app.use(UI_PATH, (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    response.setHeader('Content-Security-Policy', UI_CONTENT_SECURITY_POLICY);
    const dir = locate();
    if (!dir) {
      return next(CommonErrors.NOT_READY('The dashboard is not built: run `npm run build` (it builds web/ into dist/web).'));
    }
    if (isAssetPath(request.path)) {
      return express.static(dir, {
        index: false,
        fallthrough: true,
        setHeaders: (res, filePath) => res.setHeader('Cache-Control', cacheControlFor(filePath.slice(dir.length).replace(/\\/g, '/'))),
      })(request, response, next);
    }
    // re-read after a rebuild (new asset hashes); one stat per page load
    const file = join(dir, 'index.html');
    const mtimeMs = statSync(file).mtimeMs;
    if (index?.mtimeMs !== mtimeMs) index = { html: readFileSync(file, 'utf8'), mtimeMs };
    response.setHeader('Cache-Control', 'no-cache');
    response.type('html').send(index.html);
  });
}
