/** The real service listening on a loopback port with Chromium beside it, for the dashboard's browser tests. */
import type { Browser, BrowserContext } from 'playwright-core';
import type { ApiKey } from 'src/config/env.validation';
import { ensureWebBuilt, launchChromium, settled, watchedPage, type WatchedPage } from 'test/support/browser';
import { createTestApp, type TestApp } from 'test/support/test-app';
import { apiCaller, type ApiCaller } from 'test/support/ui-seed';

export interface DashboardApp {
  testApp: TestApp;
  origin: string;
  /** The REST API, authenticated with the first key. */
  api: ApiCaller;
  browser: Browser;
  close(): Promise<void>;
}

export async function startDashboardApp(apiKeys: ApiKey[]): Promise<DashboardApp> {
  ensureWebBuilt();
  const testApp = await createTestApp({ apiKeys });
  await testApp.app.listen(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${(testApp.app.getHttpServer().address() as { port: number }).port}`;
  const browser = await launchChromium();
  return {
    testApp,
    origin,
    api: apiCaller(origin, apiKeys[0].secret),
    browser,
    close: async () => {
      await browser.close();
      await testApp.close();
    },
  };
}

/** A fresh browser context at this viewport, signed in to the dashboard with `secret`. */
export async function signedInTab(
  app: DashboardApp,
  secret: string,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; tab: WatchedPage }> {
  const context = await app.browser.newContext({ viewport, deviceScaleFactor: 1 });
  const tab = await watchedPage(context, app.origin);
  await tab.page.goto(`${app.origin}/ui`);
  await tab.page.waitForSelector('form[data-form="sign-in"]');
  await tab.page.fill('#api-key', secret);
  await tab.page.click('form[data-form="sign-in"] button[type="submit"]');
  await settled(tab.page);
  return { context, tab };
}
