/**
 * The model page's "Realized vs estimated (CBPE)" card in a real browser (Debian's Chromium via playwright-core)
 * against the real service: the estimate of every hourly bucket with its band, the realized values where labels
 * landed, and the estimation quality, all as the API returns them; a model without reference gets the how-to instead.
 * A multiclass model's card offers its own estimated metrics and says where a metric has no realized counterpart.
 * Screenshots go to test-artifacts/screenshots/ (git-ignored).
 */
import { screenshot, settled } from 'test/support/browser';
import { type DashboardApp, signedInTab, startDashboardApp } from 'test/support/dashboard-app';
import { formatNumber, formatPercent } from '@/app/format';
import { Lcg, multiclassDraws } from 'test/support/prediction-vectors';
import type { TestApp } from 'test/support/test-app';
import type { ApiCaller } from 'test/support/ui-seed';

jest.setTimeout(240_000);

const WRITER = { name: 'ml-writer', scope: 'admin' as const, secret: 'writer-secret-estimation-0123456789' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CLASSES = ['a', 'b', 'c'];

interface Trend {
  bucket: string;
  points: Array<{ bucketStart: string; value: number; lower?: number; upper?: number }>;
}
interface Quality {
  minCoverage: number;
  metrics: Array<{
    metric: string;
    bucketsCompared: number;
    bias: number | null;
    meanAbsoluteError: number | null;
    withinBandShare: number | null;
  }>;
}

let app: DashboardApp;
let testApp: TestApp;
let origin: string;
let api: ApiCaller;

beforeAll(async () => {
  app = await startDashboardApp([WRITER]);
  ({ testApp, origin, api } = app);
});

afterAll(() => app?.close());

/** `n` predictions spread over [start, start + span): score u, label 1 with probability u (a calibrated model). */
function generate(generator: Lcg, prefix: string, start: number, span: number, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const score = generator.next();
    return {
      predictionId: `${prefix}-${i}`,
      predictedAt: new Date(start + Math.floor((i * span) / n)).toISOString(),
      score,
      label: generator.next() < score ? 1 : 0,
    };
  });
}

/**
 * A multiclass model's week ending at `now`: 40 predictions an hour with probabilities over a, b and c
 * (multiclassDraws), more confident from day 2 on; labelled up to the 6 h bucket 2 days ago begins in (so no 6 h
 * bucket is partly labelled), the reference fitted on days 7–5 ago.
 */
async function logMulticlassWeek(modelId: string, now: number): Promise<void> {
  const generator = new Lcg(23);
  const start = now - 7 * DAY;
  const labelledUntil = Math.floor((now - 2 * DAY) / (6 * HOUR)) * 6 * HOUR;
  const rows = Array.from({ length: 7 * 24 }, (_, hour) => {
    const draws = multiclassDraws(generator, 40, hour < 48 ? 0 : (0.8 * (hour - 48)) / 120, 3);
    return draws.probabilities.map((probabilities, i) => ({
      prediction: {
        modelId,
        predictionId: `mc-${hour}-${i}`,
        predictedAt: new Date(start + hour * HOUR + i * (HOUR / 40)).toISOString(),
        probabilities: Object.fromEntries(CLASSES.map((name, k) => [name, probabilities[k]])),
        predictedLabel: CLASSES[draws.predicted[i]],
      },
      label: { modelId, predictionId: `mc-${hour}-${i}`, label: CLASSES[draws.labels[i]] },
      labelled: start + hour * HOUR < labelledUntil,
    }));
  }).flat();
  await api('POST', '/predictions', { predictions: rows.map((row) => row.prediction) });
  await api('POST', '/labels', { labels: rows.filter((row) => row.labelled).map((row) => row.label) });
  await api('PUT', `/models/${modelId}/estimation-reference`, {
    from: new Date(start).toISOString(),
    to: new Date(now - 5 * DAY).toISOString(),
  });
}

describe('model page: realized vs estimated (Chromium)', () => {
  it('draws the estimate with its band for every bucket, the realized line where labels landed, and the estimation quality', async () => {
    // the browser's clock is the real one: the page asks for the 7 days before it
    const now = Math.floor(Date.now() / HOUR) * HOUR;
    testApp.clock.set(new Date(now).toISOString());
    const model = await api<{ id: string; name: string }>('POST', '/models', {
      name: `cbpe-ui-${Date.now()}`,
      taskType: 'binary_classification',
    });
    const bare = await api<{ id: string }>('POST', '/models', { name: `cbpe-ui-bare-${Date.now()}`, taskType: 'binary_classification' });
    const generator = new Lcg(11);
    const reference = generate(generator, 'ref', now - 72 * HOUR, 24 * HOUR, 1000);
    const hours = Array.from({ length: 6 }, (_, h) => generate(generator, `h${h}`, now - (24 - h) * HOUR, HOUR, 200));
    const log = (rows: ReturnType<typeof generate>) =>
      api('POST', '/predictions', { predictions: rows.map(({ label: _label, ...row }) => ({ ...row, modelId: model.id })) });
    const label = (rows: ReturnType<typeof generate>) =>
      api('POST', '/labels', { labels: rows.map((row) => ({ modelId: model.id, predictionId: row.predictionId, label: row.label })) });
    await log(reference);
    await label(reference);
    for (const rows of hours) await log(rows);
    // labels landed for the first three analysis hours only
    for (const rows of hours.slice(0, 3)) await label(rows);
    await api('PUT', `/models/${model.id}/estimation-reference`, {
      from: new Date(now - 72 * HOUR).toISOString(),
      to: new Date(now - 48 * HOUR).toISOString(),
    });

    for (const viewport of [
      { name: 'desktop', width: 1440, height: 900 },
      { name: 'phone', width: 390, height: 844 },
    ]) {
      const { context, tab } = await signedInTab(app, WRITER.secret, viewport);

      // the page's own estimated.recall trend, as the browser received it
      const estimatedResponse = tab.page.waitForResponse(
        (r) => r.url().includes('/api/v1/metrics/trend') && r.url().includes('estimated.recall') && r.url().includes(model.id),
      );
      await tab.page.goto(`${origin}/ui/models/${model.id}?range=7d&bucket=1h&estimate=recall`);
      const estimated = (await (await estimatedResponse).json()) as Trend;
      await settled(tab.page);
      const panel = tab.page.locator('[data-panel="estimation"]');
      const chart = panel.locator('[data-chart="estimation"]');
      // 24 reference hours (labelled) and 6 analysis hours, each a bucket
      expect(estimated.points).toHaveLength(30);
      expect(estimated.points.every((p) => p.lower !== undefined && p.lower <= p.value && p.value <= (p.upper as number))).toBe(true);
      expect(Number(await chart.getAttribute('data-points'))).toBe(30);
      // the same numbers as the API's estimation quality for recall: 27 buckets compared (the 24 reference hours and the
      // 3 labelled analysis hours)
      const quality = await api<{ metrics: Array<{ metric: string; bucketsCompared: number; meanAbsoluteError: number }> }>(
        'GET',
        `/models/${model.id}/estimation-quality?bucket=1h&from=${encodeURIComponent(new Date(now - 7 * 24 * HOUR).toISOString())}&to=${encodeURIComponent(new Date(now).toISOString())}`,
      );
      const recall = quality.metrics.find((m) => m.metric === 'recall')!;
      expect(recall.bucketsCompared).toBe(27);
      expect(await panel.locator('[data-stat="estimation-compared"] .stat-value').textContent()).toBe('27');
      expect(await panel.locator('[data-stat="estimation-mae"] .stat-value').textContent()).not.toBe('—');
      expect(await tab.page.locator('#pick-estimate').inputValue()).toBe('recall');
      // show as table: one row per estimated bucket, the realized column empty for the three unlabelled hours at the end
      await tab.page.locator('figure:has([data-chart="estimation"]) [data-action="toggle-table"]').click();
      const rows = tab.page.locator('figure:has([data-chart="estimation"]) table tbody tr');
      expect(await rows.count()).toBe(30);
      expect(await rows.nth(26).locator('td').nth(4).textContent()).not.toBe('—');
      expect(await rows.nth(27).locator('td').nth(4).textContent()).toBe('—');
      expect(await rows.nth(29).locator('td').nth(4).textContent()).toBe('—');
      await tab.page.locator('figure:has([data-chart="estimation"]) [data-action="toggle-table"]').click();
      await screenshot(tab.page, `model-estimation-${viewport.name}`);
      await screenshot(tab.page, `model-estimation-card-${viewport.name}`, 'section:has([data-panel="estimation"])');

      // picking another metric keeps the rest of the URL
      await tab.page.selectOption('#pick-estimate', 'auc');
      await settled(tab.page);
      expect(tab.page.url()).toContain('estimate=auc');
      expect(tab.page.url()).toContain('bucket=1h');

      expect(tab.consoleErrors).toEqual([]);

      // a binary model without reference: the how-to, no chart. The page learns it from the reference's 404 (which
      // Chromium logs as a failed resource): that must be the only failed request.
      const failed: string[] = [];
      tab.page.on('response', (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${new URL(response.url()).pathname}`);
      });
      await tab.page.goto(`${origin}/ui/models/${bare.id}?range=7d`);
      await settled(tab.page);
      expect(await tab.page.locator('[data-chart="estimation"]').count()).toBe(0);
      expect(await tab.page.locator('section:has-text("Realized vs estimated")').textContent()).toContain('estimation-reference');
      expect(failed).toEqual([`404 /api/v1/models/${bare.id}/estimation-reference`]);
      expect(tab.consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 404 (Not Found)']);
      expect(tab.foreignRequests).toEqual([]);
      await context.close();
    }
  });
  it('serves a multiclass model: its estimated metrics, the realized line where one exists, and says so where none does', async () => {
    const now = Math.floor(Date.now() / HOUR) * HOUR;
    testApp.clock.set(new Date(now).toISOString());
    const taskType = 'multiclass_classification';
    const model = await api<{ id: string }>('POST', '/models', { name: `cbpe-ui-multiclass-${Date.now()}`, taskType });
    const bare = await api<{ id: string }>('POST', '/models', { name: `cbpe-ui-multiclass-bare-${Date.now()}`, taskType });
    await logMulticlassWeek(model.id, now);

    for (const viewport of [
      { name: 'desktop', width: 1440, height: 900 },
      { name: 'phone', width: 390, height: 844 },
    ]) {
      const { context, tab } = await signedInTab(app, WRITER.secret, viewport);
      // the page's own reads, as the browser received them
      const read = <T>(part: string) =>
        tab.page
          .waitForResponse((r) => r.url().includes(model.id) && decodeURIComponent(r.url()).includes(part))
          .then(async (r) => (await r.json()) as T);
      const estimatedF1 = read<Trend>('metricName=estimated.macro_f1');
      const realizedF1 = read<Trend>('metricName=realized.macro_f1');
      const qualityRead = read<Quality>('/estimation-quality');
      await tab.page.goto(`${origin}/ui/models/${model.id}?range=7d&bucket=6h&estimate=macro_f1`);
      const [estimated, realized, quality] = await Promise.all([estimatedF1, realizedF1, qualityRead]);
      await settled(tab.page);
      const panel = tab.page.locator('[data-panel="estimation"]');
      const chart = panel.locator('[data-chart="estimation"]');

      // the picker offers the multiclass estimates
      expect(
        await tab.page.locator('#pick-estimate option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
      ).toEqual(['accuracy', 'macro_precision', 'macro_recall', 'macro_f1', 'macro_auc']);
      expect(await tab.page.locator('#pick-estimate').inputValue()).toBe('macro_f1');

      // every 6 h bucket of the week estimated, with its band, drawn
      expect(estimated.points.length).toBeGreaterThanOrEqual(28);
      expect(estimated.points.every((p) => p.lower !== undefined && p.lower <= p.value && p.value <= (p.upper as number))).toBe(true);
      expect(Number(await chart.getAttribute('data-points'))).toBe(estimated.points.length);
      expect(await chart.getAttribute('data-drawn')).toBe('true');
      expect(await chart.getAttribute('aria-label')).toContain(
        `${estimated.points.length} estimated buckets, ${realized.points.length} with a realized value so far`,
      );
      // labels landed for the first five days only: realized values for those buckets, none for the last two days
      expect(realized.points.length).toBeGreaterThanOrEqual(20);
      expect(realized.points.length).toBeLessThan(estimated.points.length);

      // the quality numbers are the API's: multiclass compares every estimated metric with its realized one
      expect(quality.metrics.map((m) => m.metric)).toEqual(['accuracy', 'macro_precision', 'macro_recall', 'macro_f1', 'macro_auc']);
      const f1 = quality.metrics.find((m) => m.metric === 'macro_f1')!;
      expect(f1.bucketsCompared).toBeGreaterThanOrEqual(19);
      const statText = (name: string) => panel.locator(`[data-stat="estimation-${name}"] .stat-value`).textContent();
      expect(await statText('compared')).toBe(String(f1.bucketsCompared));
      expect(await statText('bias')).toBe(`${f1.bias! >= 0 ? '+' : ''}${formatNumber(f1.bias)}`);
      expect(await statText('mae')).toBe(formatNumber(f1.meanAbsoluteError));
      expect(await statText('within')).toBe(formatPercent(f1.withinBandShare, 0));

      // as a table: the band and the realized value of each bucket, as the API gave them
      const toggle = tab.page.locator('figure:has([data-chart="estimation"]) [data-action="toggle-table"]');
      const table = tab.page.locator('figure:has([data-chart="estimation"]) table');
      await toggle.click();
      expect(await table.locator('thead th').allTextContents()).toEqual(['Bucket', 'Estimated', 'Lower', 'Upper', 'Realized']);
      const realizedAt = new Map(realized.points.map((p) => [p.bucketStart, formatNumber(p.value)]));
      expect(
        await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent))),
      ).toEqual(
        estimated.points.map((p) => [
          p.bucketStart,
          formatNumber(p.value),
          formatNumber(p.lower),
          formatNumber(p.upper),
          realizedAt.get(p.bucketStart) ?? '—',
        ]),
      );
      await toggle.click();
      await screenshot(tab.page, `model-estimation-multiclass-${viewport.name}`);
      await screenshot(tab.page, `model-estimation-multiclass-card-${viewport.name}`, 'section:has([data-panel="estimation"])');

      // macro_auc: estimated with its band, and the realized one-vs-rest AUC (realized.macro_auc) beside it
      const estimatedAuc = read<Trend>('metricName=estimated.macro_auc');
      const realizedAucRead = read<Trend>('metricName=realized.macro_auc');
      // the page reads the quality again with its new range (the browser's clock moved on), so compare with that read
      const aucQualityRead = read<Quality>('/estimation-quality');
      await tab.page.selectOption('#pick-estimate', 'macro_auc');
      const [auc, realizedAuc, qualityAgain] = await Promise.all([estimatedAuc, realizedAucRead, aucQualityRead]);
      await settled(tab.page);
      expect(tab.page.url()).toContain('estimate=macro_auc');
      expect(tab.page.url()).toContain('bucket=6h');
      expect(auc.points.every((p) => p.lower !== undefined && p.upper !== undefined)).toBe(true);
      expect(Number(await chart.getAttribute('data-points'))).toBe(auc.points.length);
      expect(realizedAuc.points.length).toBeGreaterThanOrEqual(20);
      expect(await chart.getAttribute('aria-label')).toContain(
        `${auc.points.length} estimated buckets, ${realizedAuc.points.length} with a realized value so far`,
      );
      const aucQuality = qualityAgain.metrics.find((m) => m.metric === 'macro_auc')!;
      expect(aucQuality.bucketsCompared).toBeGreaterThanOrEqual(19);
      expect(await statText('compared')).toBe(String(aucQuality.bucketsCompared));
      expect(await statText('mae')).toBe(formatNumber(aucQuality.meanAbsoluteError));
      await toggle.click();
      expect(await table.locator('thead th').allTextContents()).toEqual(['Bucket', 'Estimated', 'Lower', 'Upper', 'Realized']);
      await toggle.click();
      await screenshot(tab.page, `model-estimation-multiclass-auc-card-${viewport.name}`, 'section:has([data-panel="estimation"])');
      expect(tab.consoleErrors).toEqual([]);

      // a multiclass model without reference: the how-to names the multiclass estimates
      await tab.page.goto(`${origin}/ui/models/${bare.id}?range=7d`);
      await settled(tab.page);
      const howTo = await tab.page.locator('section:has-text("Realized vs estimated")').textContent();
      expect(howTo).toContain(`PUT /api/v1/models/${bare.id}/estimation-reference`);
      expect(howTo).toContain('CBPE then estimates accuracy and macro-averaged precision, recall, F1 and AUC');
      expect(await tab.page.locator('[data-chart="estimation"]').count()).toBe(0);
      expect(tab.foreignRequests).toEqual([]);
      await context.close();
    }
  });
});
