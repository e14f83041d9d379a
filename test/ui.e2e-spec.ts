/**
 * The dashboard in a real browser (Debian's Chromium via playwright-core) against the real service on a real
 * database, seeded through the API. Every page: no console error, no request to another host, the numbers the
 * API returned; screenshots at 1440×900 and 390×844 go to test-artifacts/screenshots/ (git-ignored).
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { screenshot, settled, type WatchedPage } from 'test/support/browser';
import { type DashboardApp, signedInTab, startDashboardApp } from 'test/support/dashboard-app';
import { seedDashboard, type ApiCaller, type DashboardSeed } from 'test/support/ui-seed';

jest.setTimeout(240_000);

const WRITER = { name: 'ops-writer', scope: 'write' as const, secret: 'writer-secret-0123456789abcdef' };
const READER = { name: 'wallboard', scope: 'read' as const, secret: 'reader-secret-0123456789abcdef' };
const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];
const [DESKTOP] = VIEWPORTS;

let app: DashboardApp;
let origin: string;
let api: ApiCaller;
let seed: DashboardSeed;

beforeAll(async () => {
  app = await startDashboardApp([WRITER, READER]);
  ({ origin, api } = app);
  seed = await seedDashboard(api, app.testApp.clock);
});

afterAll(() => app?.close());

async function visit(page: Page, path: string): Promise<void> {
  await page.goto(`${origin}${path}`);
  await settled(page);
}

function expectClean(tab: WatchedPage): void {
  expect(tab.consoleErrors).toEqual([]);
  expect(tab.foreignRequests).toEqual([]);
}

describe('dashboard in Chromium', () => {
  it('renders every page cleanly and saves screenshots on desktop and phone', async () => {
    const pages: Array<[string, string]> = [
      ['overview', '/ui'],
      ['model', `/ui/models/${seed.fraudId}?metricName=accuracy&range=7d`],
      ['drift', `/ui/models/${seed.fraudId}/drift?bucket=6h`],
      ['ab-test', `/ui/ab-tests/${seed.abTestId}`],
      ['alerts', '/ui/alerts'],
      ['compare', `/ui/compare?metricName=accuracy&modelIds=${seed.fraudId},${seed.churnId}`],
      ['compare-versions', `/ui/compare?metricName=accuracy&modelId=${seed.fraudId}&modelVersions=v1,v2`],
    ];
    for (const viewport of VIEWPORTS) {
      const { context, tab } = await signedInTab(app, WRITER.secret, viewport);
      for (const [name, path] of pages) {
        await visit(tab.page, path);
        expect(await tab.page.locator('[data-state="error"]').count()).toBe(0);
        await screenshot(tab.page, `${name}-${viewport.name}`);
      }
      // the charts that are hardest to fit on a phone, at full resolution
      await visit(tab.page, '/ui/alerts');
      await screenshot(tab.page, `alerts-flow-${viewport.name}`, 'figure:has([data-chart="alert-flow"])');
      await visit(tab.page, `/ui/ab-tests/${seed.abTestId}`);
      await screenshot(tab.page, `ab-test-cumulative-${viewport.name}`, 'figure:has([data-chart="cumulative-lift"])');
      expectClean(tab);
      await context.close();
    }
  });

  it('overview lists the seeded models with their latest values', async () => {
    const { context, tab } = await signedInTab(app, WRITER.secret, DESKTOP);
    // cards render as their loaders answer: wait for the third before counting (slower on the embedded default)
    await tab.page.locator('[data-model-card]').nth(2).waitFor();
    expect(await tab.page.locator('[data-model-card]').count()).toBe(3);
    const latest = await api<{ items: Array<{ metricName: string; value: number }> }>('GET', `/metrics/latest?modelId=${seed.fraudId}`);
    expect(latest.items.length).toBeGreaterThan(0);
    expect(await tab.page.locator(`[data-model-card="${seed.fraudId}"]`).textContent()).toContain('Fraud detector');
    expectClean(tab);
    await context.close();
  });

  it('model page: the trend chart has one point per API bucket and the table shows the same numbers', async () => {
    const { context, tab } = await signedInTab(app, WRITER.secret, DESKTOP);
    // the model page's own trend (it asks for a forecast): the overview signed in on may still be answering its cards' trends
    const trendResponse = tab.page.waitForResponse(
      (r) => r.url().includes('/api/v1/metrics/trend') && r.url().includes(seed.fraudId) && r.url().includes('forecastHorizon='),
    );
    await tab.page.goto(`${origin}/ui/models/${seed.fraudId}?bucket=1h&metricName=accuracy&range=7d`);
    const trend = await (await trendResponse).json();
    await settled(tab.page);
    const chart = tab.page.locator('[data-chart="trend"]');
    expect(Number(await chart.getAttribute('data-points'))).toBe(trend.points.length);
    expect(trend.points.length).toBeGreaterThan(100);
    expect(await tab.page.locator('[data-stat="trend-buckets"] .stat-value').textContent()).toBe(String(trend.points.length));
    // show as table: the same bucket count (aria-rowcount counts the header row)
    await tab.page.locator('figure:has([data-chart="trend"]) [data-action="toggle-table"]').click();
    const table = tab.page.locator('figure:has([data-chart="trend"]) table');
    expect(Number(await table.getAttribute('aria-rowcount'))).toBe(trend.points.length + 1);
    // the band and forecast came with it
    expect(trend.points[0].p10).toEqual(expect.any(Number));
    expect(trend.forecast.length).toBe(12);
    expect(await chart.getAttribute('aria-label')).toContain(`${trend.points.length} 1h buckets`);
    // training history and versions are there
    expect(await tab.page.locator('[data-table="training-runs"] tbody tr').count()).toBe(2);
    expect(await tab.page.locator('[data-table="versions"] tbody tr').count()).toBe(2);
    // back/forward keep the picked bucket
    await tab.page.selectOption('#pick-bucket', '6h');
    await settled(tab.page);
    expect(tab.page.url()).toContain('bucket=6h');
    await tab.page.goBack();
    await settled(tab.page);
    expect(tab.page.url()).toContain('bucket=1h');
    expectClean(tab);
    await context.close();
  });

  it('an unknown model id shows the not-found state', async () => {
    const { context, tab } = await signedInTab(app, WRITER.secret, DESKTOP);
    await visit(tab.page, `/ui/models/${randomUUID()}`);
    expect(await tab.page.locator('[data-state="not-found"]').textContent()).toContain('Model not found');
    expect(await tab.page.locator('[data-state="error"]').count()).toBe(0);
    // a 404 from the API is logged by Chromium as a failed resource load; nothing else may be
    expect(tab.consoleErrors.filter((e) => !e.includes('404'))).toEqual([]);
    expect(tab.foreignRequests).toEqual([]);
    await context.close();
  });

  it('drift page: clicking a heatmap cell opens that check with per-feature results and histograms', async () => {
    const { context, tab } = await signedInTab(app, WRITER.secret, DESKTOP);
    const heatmapResponse = tab.page.waitForResponse((r) => r.url().includes('/api/v1/drift/heatmap'));
    await tab.page.goto(`${origin}/ui/models/${seed.fraudId}/drift?bucket=6h`);
    const heatmap = (await (await heatmapResponse).json()) as {
      buckets: string[];
      features: Array<{ name: string; cells: Array<{ checkCount: number }> }>;
    };
    await settled(tab.page);
    const row = heatmap.features.findIndex((f) => f.name === 'income');
    const column = heatmap.features[row].cells.findIndex((c) => c.checkCount > 0);
    // the cell's centre inside the chart's grid (heatmap.ts: grid left 140, right 24, top 16, bottom 84; y index 0 at the bottom)
    const box = (await tab.page.locator('[data-chart="drift-heatmap"]').boundingBox())!;
    const x = box.x + 140 + ((column + 0.5) * (box.width - 164)) / heatmap.buckets.length;
    const y = box.y + 16 + ((heatmap.features.length - row - 0.5) * (box.height - 100)) / heatmap.features.length;
    await tab.page.mouse.click(x, y);
    await tab.page.waitForURL(
      (url) => url.searchParams.get('cell') === heatmap.buckets[column] && url.searchParams.get('feature') === 'income',
    );
    await settled(tab.page);
    const featureTable = tab.page.locator('[data-table="drift-features"]');
    const checkId = await featureTable.getAttribute('data-check-id');
    const check = await api<{ checkedAt: string; features: Array<{ name: string; histogram: { reference: number[] } | null }> }>(
      'GET',
      `/drift/checks/${checkId}`,
    );
    const bucketStart = Date.parse(heatmap.buckets[column]);
    expect(Date.parse(check.checkedAt)).toBeGreaterThanOrEqual(bucketStart);
    expect(Date.parse(check.checkedAt)).toBeLessThan(bucketStart + 6 * 3_600_000);
    expect(await featureTable.locator('tbody tr').count()).toBe(check.features.length);
    const income = check.features.find((f) => f.name === 'income')!;
    expect(income.histogram?.reference.reduce((a, b) => a + b, 0)).toBe(400);
    expect(Number(await tab.page.locator('[data-chart="drift-histogram"]').getAttribute('data-points'))).toBe(
      income.histogram!.reference.length,
    );
    expect(await tab.page.locator('[data-chart="drift-histogram"]').getAttribute('aria-label')).toContain('income: reference vs current');
    expectClean(tab);
    await context.close();
  });

  it('drift page: the heatmap is keyboard-selectable (focus, arrow keys, Enter opens the cell like a click)', async () => {
    const { context, tab } = await signedInTab(app, WRITER.secret, DESKTOP);
    const heatmapResponse = tab.page.waitForResponse((r) => r.url().includes('/api/v1/drift/heatmap'));
    await tab.page.goto(`${origin}/ui/models/${seed.fraudId}/drift?bucket=6h`);
    const heatmap = (await (await heatmapResponse).json()) as {
      buckets: string[];
      features: Array<{ name: string; cells: Array<{ checkCount: number }> }>;
    };
    await settled(tab.page);
    const chart = tab.page.locator('[data-chart="drift-heatmap"]');
    // focus by Tab from the element before it, as a keyboard user would
    await tab.page.locator('figure:has([data-chart="drift-heatmap"]) [data-action="toggle-table"]').focus();
    await tab.page.keyboard.press('Tab');
    expect(await chart.evaluate((element) => element === document.activeElement)).toBe(true);
    const columnsWithChecks = (row: number) => heatmap.features[row].cells.flatMap((cell, x) => (cell.checkCount > 0 ? [x] : []));
    // focus starts on the newest cell of the top row (the last feature: y index 0 is the bottom row)
    const top = heatmap.features.length - 1;
    expect(await chart.getAttribute('data-active-cell')).toBe(`${columnsWithChecks(top).at(-1)},${top}`);
    // down to "device" (every seeded feature has checks in the same buckets), then two cells back in time
    const row = heatmap.features.findIndex((f) => f.name === 'device');
    expect(row).toBeLessThan(top);
    for (let y = top; y > row; y--) await tab.page.keyboard.press('ArrowDown');
    await tab.page.keyboard.press('ArrowLeft');
    await tab.page.keyboard.press('ArrowLeft');
    const columns = columnsWithChecks(row);
    const column = columns[columns.length - 3];
    expect(await chart.getAttribute('data-active-cell')).toBe(`${column},${row}`);
    expect(await tab.page.locator('figure:has([data-chart="drift-heatmap"]) [aria-live]').textContent()).toContain('device');
    await screenshot(tab.page, 'drift-keyboard-active-desktop');
    await tab.page.keyboard.press('Enter');
    await tab.page.waitForURL(
      (url) => url.searchParams.get('cell') === heatmap.buckets[column] && url.searchParams.get('feature') === 'device',
    );
    await settled(tab.page);
    // focus is back on the heatmap, on the cell that was opened
    await tab.page.waitForFunction(() => document.activeElement?.getAttribute('data-chart') === 'drift-heatmap');
    expect(await chart.getAttribute('data-active-cell')).toBe(`${column},${row}`);
    const checkId = await tab.page.locator('[data-table="drift-features"]').getAttribute('data-check-id');
    const check = await api<{ checkedAt: string }>('GET', `/drift/checks/${checkId}`);
    expect(Date.parse(check.checkedAt)).toBeGreaterThanOrEqual(Date.parse(heatmap.buckets[column]));
    expect(Date.parse(check.checkedAt)).toBeLessThan(Date.parse(heatmap.buckets[column]) + 6 * 3_600_000);
    await screenshot(tab.page, 'drift-keyboard-opened-desktop');
    expectClean(tab);
    await context.close();
  });

  it('A/B test page: the cumulative lift chart has one point per API point, the last equal to the results’ lift', async () => {
    const { context, tab } = await signedInTab(app, WRITER.secret, DESKTOP);
    const cumulativeResponse = tab.page.waitForResponse((r) => r.url().includes(`/api/v1/ab-test/${seed.abTestId}/results/cumulative`));
    await tab.page.goto(`${origin}/ui/ab-tests/${seed.abTestId}`);
    const cumulative = (await (await cumulativeResponse).json()) as {
      points: Array<{ comparisons: Array<{ relativeEffect: number; relativeCiLow: number; relativeCiHigh: number }> }>;
    };
    await settled(tab.page);
    expect(cumulative.points).toHaveLength(7);
    const results = await api<{ comparisons: Array<{ relativeEffect: number }> }>('GET', `/ab-test/${seed.abTestId}/results`);
    expect(cumulative.points.at(-1)!.comparisons[0].relativeEffect).toBe(results.comparisons[0].relativeEffect);
    const chart = tab.page.locator('[data-chart="cumulative-lift"]');
    expect(Number(await chart.getAttribute('data-points'))).toBe(cumulative.points.length);
    expect(await chart.getAttribute('aria-label')).toContain('7 daily points');
    await tab.page.locator('figure:has([data-chart="cumulative-lift"]) [data-action="toggle-table"]').click();
    const table = tab.page.locator('figure:has([data-chart="cumulative-lift"]) table');
    expect(Number(await table.getAttribute('data-rows'))).toBe(cumulative.points.length);
    const last = cumulative.points.at(-1)!.comparisons[0];
    const pct = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v * 100).toFixed(2)}%`;
    expect(await table.locator('tbody tr').last().textContent()).toContain(pct(last.relativeEffect));
    expectClean(tab);
    await context.close();
  });

  it('A/B test page shows the API SRM p-value; Stop asks for confirmation and stops the test', async () => {
    const test = await api<{ id: string }>('POST', '/ab-test/start', {
      modelId: seed.rankerId,
      name: 'ranker stop test',
      primaryMetric: 'ctr',
      metricType: 'binary',
      variants: [
        { name: 'control', weight: 0.5 },
        { name: 'treatment', weight: 0.5 },
      ],
    });
    await api('POST', `/ab-test/${test.id}/observations`, {
      aggregates: [
        { variant: 'control', count: 1000, sum: 100 },
        { variant: 'treatment', count: 1100, sum: 120 },
      ],
    });
    const results = await api<{ srm: { pValue: number } }>('GET', `/ab-test/${test.id}/results`);
    const { context, tab } = await signedInTab(app, WRITER.secret, DESKTOP);
    await visit(tab.page, `/ui/ab-tests/${test.id}`);
    expect(await tab.page.locator('[data-srm-p]').getAttribute('data-srm-p')).toBe(String(results.srm.pValue));
    expect(await tab.page.locator('[data-field="srm-p"]').textContent()).toBe(String(Number(results.srm.pValue.toPrecision(3))));
    await tab.page.click('[data-action="stop-test"]');
    await tab.page.waitForSelector('dialog[open]');
    await tab.page.click('[data-action="confirm-stop"]');
    await tab.page.waitForSelector('[data-status="completed"]');
    expect((await api<{ status: string }>('GET', `/ab-test/${test.id}`)).status).toBe('completed');
    expectClean(tab);
    await context.close();
  });

  it('alerts page: acknowledging from the UI changes the alert in the API, with the key name as `by`', async () => {
    const alert = await api<{ id: string }>('POST', '/alerts', {
      modelId: seed.churnId,
      type: 'custom',
      severity: 'critical',
      title: `ack me ${randomUUID()}`,
    });
    const { context, tab } = await signedInTab(app, WRITER.secret, DESKTOP);
    await visit(tab.page, '/ui/alerts');
    expect(await tab.page.locator('[data-chart="alert-flow"]').count()).toBe(1);
    await tab.page.click(`tr[data-alert-id="${alert.id}"] [data-action="acknowledge"]`);
    await tab.page.waitForSelector(`tr[data-alert-id="${alert.id}"][data-alert-status="acknowledged"]`);
    const after = await api<{ status: string; acknowledgedBy: string }>('GET', `/alerts/${alert.id}`);
    expect(after).toMatchObject({ status: 'acknowledged', acknowledgedBy: WRITER.name });
    // its notification attempts open in place
    await tab.page.click(`tr[data-alert-id="${alert.id}"] a[aria-expanded]`);
    await tab.page.waitForSelector(`[data-alert-detail="${alert.id}"]`);
    expectClean(tab);
    await context.close();
  });

  it('a read key sees everything but every write button is disabled with a tooltip naming the scope', async () => {
    const { context, tab } = await signedInTab(app, READER.secret, DESKTOP);
    expect(await tab.page.locator('[data-key-name="wallboard"]').count()).toBe(1);
    await visit(tab.page, '/ui/alerts');
    const ack = tab.page.locator('[data-action="acknowledge"]').first();
    expect(await ack.isDisabled()).toBe(true);
    const tip = await tab.page.locator('.tooltip-wrap:has([data-action="acknowledge"])').first().getAttribute('title');
    expect(tip).toContain('"write" scope');
    await visit(tab.page, `/ui/ab-tests/${seed.abTestId}`);
    expect(await tab.page.locator('[data-action="stop-test"]').isDisabled()).toBe(true);
    expectClean(tab);
    await context.close();
  });
});
