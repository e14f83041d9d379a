/**
 * The dashboard in headless Chromium (Debian's, via playwright-core), against the real service on a fresh database
 * of the local PostgreSQL server (in this process), data recorded through the API.
 * Run: `npm run bench:ui` (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/postgres).
 *
 * 1. Time to first chart on the model page: 20,000 points over 14 days at 15-minute buckets (1,344 buckets);
 *    navigation start → the first chart's and the trend chart's first `finished` event (performance marks), assets
 *    cached (one warm-up visit first), median of RUNS; how many times the trend chart was initialised in one visit
 *    (more than 1 is a double render). The API call is timed on its own too.
 * 2. JavaScript shipped for the first page, gzip: every script index.html loads, gzipped at level 9.
 * 3. Drift heatmap, 100 features × 200 hourly buckets with checks (336 buckets in the 14-day range): render time
 *    (chart init → first `finished`) and navigation → first chart, median of RUNS; GET /drift/heatmap timed alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuilt, launchChromium } from 'test/support/browser';
import { createTestApp } from 'test/support/test-app';
import { apiCaller, createModel, normal, random, recordSeries } from 'test/support/ui-seed';
import { describeMachine } from 'bench/metrics-bench.support';
import globalTeardown from 'test/setup/global-teardown';

const RUNS = 5;
const HOUR = 3_600_000;
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
process.env.MW_TEST_RUN_ID ??= `bench_ui_${Date.now().toString(36)}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  ensureWebBuilt();
  const app = await createTestApp();
  await app.app.listen(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${(app.app.getHttpServer().address() as { port: number }).port}`;
  const api = apiCaller(origin);
  const browser = await launchChromium();
  try {
    // 1. model page
    const next = random(7);
    const modelId = await createModel(api, 'bench-model');
    await recordSeries(api, {
      modelId,
      metricName: 'accuracy',
      days: 14,
      count: 20_000,
      value: (at) => 0.9 + 0.01 * Math.sin(at / (6 * HOUR)) + normal(next, 0, 0.005),
    });
    const modelUrl = `${origin}/ui/models/${modelId}?bucket=15m&metricName=accuracy&range=14d`;
    const trendUrl = `${origin}/api/v1/metrics/trend?modelId=${modelId}&metricName=accuracy&bucket=15m&from=${new Date(Date.now() - 14 * 86_400_000).toISOString()}&to=${new Date().toISOString()}&band=true&forecastHorizon=12`;
    const apiTimes: number[] = [];
    let buckets = 0;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const body = (await (await fetch(trendUrl)).json()) as { points: unknown[] };
      apiTimes.push(performance.now() - started);
      buckets = body.points.length;
    }
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const firstChart = async (url: string, chart: string) => {
      await page.goto(url);
      await page.waitForSelector(`[data-chart="${chart}"][data-rendered="true"]`, { timeout: 120_000 });
      return page.evaluate((name) => {
        const first = performance.getEntriesByName('mw:first-chart')[0]?.startTime ?? NaN;
        const start = performance.getEntriesByName(`mw:chart-start:${name}`)[0]?.startTime ?? NaN;
        const done = performance.getEntriesByName(`mw:chart-done:${name}`)[0]?.startTime ?? NaN;
        return {
          first,
          // navigation start → this chart's first `finished` (the first chart of the page may be another one)
          chartDone: done,
          render: done - start,
          // more than one init of the chart in one visit would be a double render
          inits: performance.getEntriesByName(`mw:chart-start:${name}`).length,
          points: Number(document.querySelector(`[data-chart="${name}"]`)?.getAttribute('data-points')),
        };
      }, chart);
    };
    await firstChart(modelUrl, 'trend'); // warm-up: assets into the cache
    const modelRuns = [];
    for (let i = 0; i < RUNS; i++) modelRuns.push(await firstChart(modelUrl, 'trend'));

    // 2. first-page JavaScript
    const index = readFileSync(join(__dirname, '..', 'dist', 'web', 'index.html'), 'utf8');
    const scripts = [...index.matchAll(/<script[^>]+src="\/ui\/([^"]+)"/g)].map((m) => m[1]);
    const assetsDir = join(__dirname, '..', 'dist', 'web');
    const jsGzip = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(assetsDir, file)), { level: 9 }).length, 0);
    const allJs = readdirSync(join(assetsDir, 'assets')).filter((f) => f.endsWith('.js'));

    // 3. drift heatmap: 100 features, a check every hour for 200 hours
    const driftModel = await createModel(api, 'bench-drift');
    const features = Array.from({ length: 100 }, (_, f) => `feature_${String(f).padStart(3, '0')}`);
    await api('PUT', `/models/${driftModel}/reference`, {
      features: features.map((name) => ({ name, values: Array.from({ length: 60 }, () => normal(next, 0, 1)) })),
    });
    const now = Date.now();
    for (let k = 200; k >= 1; k--) {
      app.clock.set(new Date(now - k * HOUR + 60_000));
      await api('POST', '/drift/check', {
        modelId: driftModel,
        triggerRetrain: false,
        current: {
          features: features.map((name, f) => ({
            name,
            values: Array.from({ length: 30 }, () => normal(next, f % 10 === 0 && k < 50 ? 1 : 0, 1)),
          })),
        },
      });
    }
    app.clock.set(new Date());
    const driftUrl = `${origin}/ui/models/${driftModel}/drift?bucket=1h&range=14d`;
    const heatmapApiTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const to = new Date();
      await (
        await fetch(
          `${origin}/api/v1/drift/heatmap?modelId=${driftModel}&bucket=1h&from=${new Date(to.getTime() - 14 * 86_400_000).toISOString()}&to=${to.toISOString()}`,
        )
      ).json();
      heatmapApiTimes.push(performance.now() - started);
    }
    await firstChart(driftUrl, 'drift-heatmap');
    const heatmapRuns = [];
    for (let i = 0; i < RUNS; i++) heatmapRuns.push(await firstChart(driftUrl, 'drift-heatmap'));
    await context.close();

    const result = {
      machine: `${await describeMachine(process.env.DATABASE_URL as string)}; Chromium ${browser.version()}`,
      modelPage: {
        points: 20_000,
        buckets,
        chartPoints: modelRuns[0].points,
        firstChartMs: median(modelRuns.map((r) => r.first)),
        trendChartMs: median(modelRuns.map((r) => r.chartDone)),
        chartRenderMs: median(modelRuns.map((r) => r.render)),
        trendInitsPerVisit: Math.max(...modelRuns.map((r) => r.inits)),
        trendApiMs: median(apiTimes),
        runs: modelRuns.map((r) => Math.round(r.first)),
      },
      firstPageJs: { scripts, gzipBytes: jsGzip, jsFilesBuilt: allJs.length },
      heatmap: {
        features: 100,
        cells: heatmapRuns[0].points,
        renderMs: median(heatmapRuns.map((r) => r.render)),
        firstChartMs: median(heatmapRuns.map((r) => r.first)),
        heatmapChartMs: median(heatmapRuns.map((r) => r.chartDone)),
        heatmapInitsPerVisit: Math.max(...heatmapRuns.map((r) => r.inits)),
        heatmapApiMs: median(heatmapApiTimes),
        runs: heatmapRuns.map((r) => Math.round(r.render)),
      },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    await app.close();
    await globalTeardown(); // this run's template database
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
