/** Debian's Chromium driven by playwright-core (never a downloaded browser), and the dashboard build it needs. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');
const WEB_INDEX = join(__dirname, '..', '..', 'dist', 'web', 'index.html');

/** Builds web/ into dist/web when it is missing (CI builds it first; a developer may not have). */
export function ensureWebBuilt(): void {
  if (existsSync(WEB_INDEX)) return;
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.mts', '--logLevel', 'warn'], {
    cwd: join(__dirname, '..', '..'),
    stdio: 'inherit',
  });
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

export interface WatchedPage {
  page: Page;
  consoleErrors: string[];
  /** Requests to any origin other than the service. */
  foreignRequests: string[];
}

const consoleErrorsOf = new WeakMap<Page, string[]>();

/** A page that records console errors, uncaught exceptions and requests leaving the service's origin. */
export async function watchedPage(context: BrowserContext, origin: string): Promise<WatchedPage> {
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  consoleErrorsOf.set(page, consoleErrors);
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
  return { page, consoleErrors, foreignRequests };
}

/** Waits until the page rendered (data-page or a state) and every chart on it finished drawing. */
export async function settled(page: Page): Promise<void> {
  await page.waitForSelector(
    'main:not([aria-busy]) [data-page], main:not([aria-busy]) [data-state], main:not([aria-busy]) form[data-form]',
  );
  try {
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-chart]')].every(
        (c) => c.getAttribute('data-rendered') === 'true' || (c as HTMLElement).offsetParent === null,
      ),
    );
  } catch (error) {
    // name the charts that never finished, with their size, so a failure says which chart and why
    const waiting = await page.evaluate(() =>
      [...document.querySelectorAll('[data-chart]')]
        .filter((c) => c.getAttribute('data-rendered') !== 'true' && (c as HTMLElement).offsetParent !== null)
        .map(
          (c) =>
            `${c.getAttribute('data-chart')} ${(c as HTMLElement).clientWidth}x${(c as HTMLElement).clientHeight} drawn=${c.getAttribute('data-drawn')} init=${c.getAttribute('data-init')} inPage=${document.contains(c)}`,
        ),
    );
    const errors = consoleErrorsOf.get(page) ?? [];
    throw new Error(
      `${page.url()}: charts not rendered: ${waiting.join(', ')} (${(error as Error).message}); console errors: ${JSON.stringify(errors)}`,
    );
  }
}

export async function screenshot(page: Page, name: string, selector?: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // one element at full resolution (a chart), or the whole page
  if (selector) await page.locator(selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}
