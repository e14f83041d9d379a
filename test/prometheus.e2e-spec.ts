import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createChannel, eventually, raiseAlert, recordMetric, startReceiver } from 'test/support/alerts-factories';
import { checkDrift, currentWithDrift, putReference } from 'test/support/drift-factories';
import { createModel, expectProblem } from 'test/support/factories';
import { parseExposition, promtoolCheck, sampleValue, startPrometheus } from 'test/support/prometheus';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { createTestApp, type TestApp } from 'test/support/test-app';
import { createTestDatabase } from 'test/support/test-database';
import { TcpProxy } from 'test/support/tcp-proxy';

const READ_KEY = { name: 'dashboard', scope: 'read' as const, secret: 'read-secret-0123456789' };
const METRICS_TOKEN = 'scrape-token-0123456789';

/** The sample dashboard's queries: every panel target (rows included) and every template variable. */
function dashboardQueries(): string[] {
  const dashboard = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'grafana-dashboard.json'), 'utf8')) as {
    panels: { panels?: unknown[]; targets?: { expr: string }[] }[];
    templating: { list: { query: { query: string } }[] };
  };
  const panels = dashboard.panels.flatMap((panel) => [panel, ...((panel.panels ?? []) as typeof dashboard.panels)]);
  return [
    ...panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)),
    ...dashboard.templating.list.map((variable) => variable.query.query),
  ];
}

/** Every sample name an exposition can carry: its families (`# TYPE`), with a histogram's _bucket, _sum and _count. */
function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

const METRIC_NAME = /\b(?:modelwatch|nodejs|process)_[a-z0-9_]+\b/g;

async function scrape(testApp: TestApp, accept?: string, headers: Record<string, string> = {}): Promise<string> {
  const request = testApp.http().get('/metrics').set(headers);
  if (accept) request.set('Accept', accept);
  const response = await request.expect(200);
  return response.text;
}

describe('Prometheus exposition (e2e)', () => {
  describe('service metrics', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await createTestApp();
    });
    afterAll(() => testApp.close());

    it('serves the Prometheus text format at /metrics, outside /api/v1, and promtool finds nothing to complain about', async () => {
      const model = await createModel(testApp);
      await testApp.http().get(`/api/v1/models/${model.id}`).expect(200);
      await testApp.http().get('/api/v1/models/00000000-0000-4000-8000-000000000000').expect(404);
      const response = await testApp.http().get('/metrics').expect(200);
      expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(promtoolCheck(response.text)).toEqual({ status: 0, output: '' });
      const names = new Set(parseExposition(response.text).map((sample) => sample.name));
      for (const name of [
        'modelwatch_http_request_duration_seconds_count',
        'modelwatch_ingested_points_total',
        'modelwatch_outbox_pending_deliveries',
        'modelwatch_outbox_oldest_pending_age_seconds',
        'modelwatch_db_pool_connections',
        'modelwatch_db_pool_max_connections',
        'modelwatch_database_up',
        'nodejs_eventloop_lag_seconds',
        'process_cpu_seconds_total',
      ]) {
        expect(names).toContain(name);
      }
      expect([...names].filter((name) => name.startsWith('nodejs_active_') && name.endsWith('_total'))).toEqual([]);
      expect([...names].some((name) => name.startsWith('modelwatch_model_'))).toBe(false);
      // Route templates, never raw ids; status classes, never codes.
      const histogram = { name: 'modelwatch_http_request_duration_seconds_count' };
      expect(sampleValue(response.text, histogram.name, { route: '/api/v1/models/:modelId', status_class: '2xx', method: 'GET' })).toBe(1);
      expect(sampleValue(response.text, histogram.name, { route: '/api/v1/models/:modelId', status_class: '4xx', method: 'GET' })).toBe(1);
      expect(response.text).not.toContain(model.id);
      expect(sampleValue(response.text, 'modelwatch_database_up')).toBe(1);
      expect(sampleValue(response.text, 'modelwatch_db_pool_max_connections')).toBe(5);
      await testApp.http().get('/api/v1/metrics').expect(404);
      await testApp.http().get('/nowhere').expect(404);
      const later = await scrape(testApp);
      expect(sampleValue(later, histogram.name, { route: 'unmatched', status_class: '4xx', method: 'GET' })).toBe(2);
      expect(sampleValue(later, histogram.name, { route: '/metrics', status_class: '2xx', method: 'GET' })).toBe(1);
    });

    it('answers OpenMetrics when the scraper asks for it (Accept as Prometheus sends it)', async () => {
      const accept =
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
      const response = await testApp.http().get('/metrics').set('Accept', accept).expect(200);
      expect(response.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
      expect(response.text.endsWith('# EOF\n')).toBe(true);
      expect(response.text).toContain('# TYPE modelwatch_ingested_points counter');
      expect(response.text).toMatch(/^modelwatch_ingested_points_total \d+$/m);
      // The text format is unaffected by an OpenMetrics scrape (prom-client renames counters in place).
      expect(promtoolCheck(await scrape(testApp)).status).toBe(0);
      expect(await scrape(testApp)).toMatch(/^modelwatch_ingested_points_total \d+$/m);
    });

    it('counts ingested points, drift checks, rule evaluations and retrain decisions where they happen', async () => {
      const model = await createModel(testApp);
      const before = await scrape(testApp);
      const ingested = sampleValue(before, 'modelwatch_ingested_points_total')!;
      await testApp
        .http()
        .post('/api/v1/metrics/record')
        .send({
          points: [0.9, 0.8, 0.7].map((value, index) => ({
            modelId: model.id,
            metricName: 'accuracy',
            value,
            idempotencyKey: `k${index}`,
          })),
        })
        .expect(201);
      await testApp
        .http()
        .post('/api/v1/metrics/record')
        .send({ points: [{ modelId: model.id, metricName: 'accuracy', value: 0.9, idempotencyKey: 'k0' }] })
        .expect(201);
      await putReference(testApp, model.id);
      await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(3) } });
      await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(0) } });
      await testApp.http().post('/api/v1/retrain/trigger').send({ modelId: model.id, reason: 'manual' }).expect(202);
      const after = await scrape(testApp);
      expect(sampleValue(after, 'modelwatch_ingested_points_total')! - ingested).toBe(3);
      expect(sampleValue(after, 'modelwatch_drift_checks_total', { result: 'drift' })).toBe(1);
      expect(sampleValue(after, 'modelwatch_drift_checks_total', { result: 'no_drift' })).toBe(1);
      expect(sampleValue(after, 'modelwatch_retrain_triggers_total', { reason: 'manual', outcome: 'triggered' })).toBe(1);
      const evaluated = parseExposition(after)
        .filter((sample) => sample.name === 'modelwatch_rule_evaluations_total')
        .reduce((sum, sample) => sum + sample.value, 0);
      expect(sampleValue(after, 'modelwatch_rule_evaluation_duration_seconds_count')).toBe(evaluated);
    });
  });

  describe('outbox health', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await createTestApp();
    });
    afterAll(() => testApp.close());

    it('reads queue depth and the oldest pending age from the database, and counts deliveries by result', async () => {
      const receiver = await startReceiver((index) => (index === 0 ? 503 : 200));
      try {
        testApp.clock.set('2026-03-01T12:00:00Z');
        const model = await createModel(testApp);
        await createChannel(testApp, receiver.url);
        await raiseAlert(testApp, model.id);
        testApp.clock.advance(90_000);
        const queued = await scrape(testApp);
        expect(sampleValue(queued, 'modelwatch_outbox_pending_deliveries')).toBe(1);
        expect(sampleValue(queued, 'modelwatch_outbox_oldest_pending_age_seconds')).toBe(90);
        const worker = testApp.get(WebhookDeliveryWorker);
        expect(await worker.deliverDue()).toMatchObject({ retried: 1 });
        testApp.clock.advanceMinutes(60);
        expect(await worker.deliverDue()).toMatchObject({ delivered: 1 });
        const drained = await scrape(testApp);
        expect(sampleValue(drained, 'modelwatch_outbox_pending_deliveries')).toBe(0);
        expect(sampleValue(drained, 'modelwatch_outbox_oldest_pending_age_seconds')).toBe(0);
        expect(sampleValue(drained, 'modelwatch_outbox_deliveries_total', { result: 'retry' })).toBe(1);
        expect(sampleValue(drained, 'modelwatch_outbox_deliveries_total', { result: 'delivered' })).toBe(1);
      } finally {
        await receiver.close();
      }
    });
  });

  describe('with the database gone', () => {
    it('still answers the scrape, with modelwatch_database_up 0 and the outbox gauges NaN (unknown), and recovers', async () => {
      const database = await createTestDatabase();
      const proxy = TcpProxy.forUrl(database.url);
      await proxy.start();
      const testApp = await createTestApp({ database, databaseUrl: proxy.proxiedUrl(database.url) });
      try {
        expect(sampleValue(await scrape(testApp), 'modelwatch_database_up')).toBe(1);
        await proxy.stop();
        const down = await scrape(testApp);
        expect(promtoolCheck(down).status).toBe(0);
        expect(sampleValue(down, 'modelwatch_database_up')).toBe(0);
        expect(sampleValue(down, 'modelwatch_outbox_pending_deliveries')).toBeNaN();
        expect(sampleValue(down, 'process_cpu_seconds_total')).toBeGreaterThan(0);
        await proxy.start();
        await eventually(async () => sampleValue(await scrape(testApp), 'modelwatch_database_up') === 1, 60_000);
      } finally {
        await testApp.close();
        await proxy.stop();
        await database.drop();
      }
    });
  });

  describe('auth', () => {
    let withKeys: TestApp;
    let tokenOnly: TestApp;
    beforeAll(async () => {
      withKeys = await createTestApp({ apiKeys: [READ_KEY], observability: { metricsToken: METRICS_TOKEN } });
      tokenOnly = await createTestApp({ database: withKeys.database, observability: { metricsToken: METRICS_TOKEN } });
    });
    afterAll(async () => {
      await tokenOnly.close();
      await withKeys.close();
    });

    it('takes a read key or METRICS_TOKEN when keys are set, and refuses anything else with a problem', async () => {
      expectProblem(await withKeys.http().get('/metrics'), 401, 'UNAUTHORIZED');
      expectProblem(await withKeys.http().get('/metrics').set('Authorization', 'Bearer not-a-valid-token-at-all'), 401, 'UNAUTHORIZED');
      await withKeys.http().get('/metrics').set('Authorization', `Bearer ${READ_KEY.secret}`).expect(200);
      await withKeys.http().get('/metrics').set('X-API-Key', READ_KEY.secret).expect(200);
      await withKeys.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      // The token opens /metrics only, not the API.
      expectProblem(await withKeys.http().get('/api/v1/models').set('Authorization', `Bearer ${METRICS_TOKEN}`), 401, 'UNAUTHORIZED');
    });

    it('requires METRICS_TOKEN when it is set without API keys', async () => {
      expectProblem(await tokenOnly.http().get('/metrics'), 401, 'UNAUTHORIZED');
      await tokenOnly.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      await tokenOnly.http().get('/api/v1/models').expect(200);
    });
  });

  describe('EXPORT_MODEL_METRICS', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await createTestApp({ observability: { exportModelMetrics: true, exportModelMetricsMaxSeries: 10_000 } });
    });
    afterAll(() => testApp.close());

    it('exports the latest value of each model metric, open alerts by model and severity, and the last drift share', async () => {
      const model = await createModel(testApp);
      await recordMetric(testApp, model.id, 0.81, { modelVersion: '1.2.0', recordedAt: '2026-03-01T10:00:00Z' });
      await recordMetric(testApp, model.id, 0.87, { modelVersion: '1.2.0', recordedAt: '2026-03-01T11:00:00Z' });
      await recordMetric(testApp, model.id, 0.12, { metricName: 'log_loss', environment: 'staging', recordedAt: '2026-03-01T11:00:00Z' });
      await raiseAlert(testApp, model.id, { severity: 'critical' });
      await raiseAlert(testApp, model.id, { severity: 'critical' });
      const resolved = await raiseAlert(testApp, model.id, { severity: 'info' });
      await testApp.http().post(`/api/v1/alerts/${resolved.id}/resolve`).send({ by: 'alice' }).expect(200);
      await putReference(testApp, model.id);
      await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(3) } });
      await checkDrift(testApp, { modelId: model.id, current: { features: currentWithDrift(1) } });
      const text = await scrape(testApp);
      expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
      const byModel = { model: model.name };
      expect(
        sampleValue(text, 'modelwatch_model_metric', { ...byModel, metric: 'accuracy', environment: 'production', version: '1.2.0' }),
      ).toBe(0.87);
      expect(sampleValue(text, 'modelwatch_model_metric', { ...byModel, metric: 'log_loss', environment: 'staging', version: '' })).toBe(
        0.12,
      );
      expect(sampleValue(text, 'modelwatch_model_open_alerts', { ...byModel, severity: 'critical' })).toBe(2);
      expect(sampleValue(text, 'modelwatch_model_open_alerts', { ...byModel, severity: 'info' })).toBeUndefined();
      expect(sampleValue(text, 'modelwatch_model_drift_share', byModel)).toBeCloseTo(1 / 3, 10);
      expect(sampleValue(text, 'modelwatch_model_series_dropped_total')).toBe(0);
    });

    it('ships a Grafana dashboard (docs/grafana-dashboard.json) whose every query names metrics /metrics exports', async () => {
      const exported = exportedNames(await scrape(testApp));
      const queries = dashboardQueries();
      expect(queries.length).toBeGreaterThan(10);
      for (const query of queries) {
        const names = query.match(METRIC_NAME) ?? [];
        expect({ query, names: names.length > 0 }).toEqual({ query, names: true });
        for (const name of names) expect({ query, name, exported: exported.has(name) }).toEqual({ query, name, exported: true });
      }
      const used = new Set(queries.flatMap((query) => query.match(METRIC_NAME) ?? []));
      for (const name of ['modelwatch_model_metric', 'modelwatch_model_open_alerts', 'modelwatch_outbox_pending_deliveries']) {
        expect(used).toContain(name);
      }
    });
  });

  describe('EXPORT_MODEL_METRICS_MAX_SERIES', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await createTestApp({ observability: { exportModelMetrics: true, exportModelMetricsMaxSeries: 3 } });
    });
    afterAll(() => testApp.close());

    it('exports at most the cap, small families first, and counts the series it left out at each scrape', async () => {
      const model = await createModel(testApp);
      await raiseAlert(testApp, model.id, { severity: 'warning' });
      for (const metricName of ['accuracy', 'f1', 'precision', 'recall']) await recordMetric(testApp, model.id, 0.5, { metricName });
      const first = await scrape(testApp);
      const exported = parseExposition(first).filter((sample) => /^modelwatch_model_(metric|open_alerts|drift_share)$/.test(sample.name));
      expect(exported.map((sample) => [sample.name, sample.labels.metric ?? sample.labels.severity])).toEqual([
        ['modelwatch_model_metric', 'accuracy'],
        ['modelwatch_model_metric', 'f1'],
        ['modelwatch_model_open_alerts', 'warning'],
      ]);
      expect(sampleValue(first, 'modelwatch_model_series_dropped_total')).toBe(2);
      expect(sampleValue(await scrape(testApp), 'modelwatch_model_series_dropped_total')).toBe(4);
    });
  });

  describe('scraped by a real Prometheus server', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await createTestApp({
        observability: { metricsToken: METRICS_TOKEN, exportModelMetrics: true, exportModelMetricsMaxSeries: 10_000 },
      });
      await testApp.app.listen(0, '127.0.0.1');
    });
    afterAll(() => testApp.close());

    it('scrapes /metrics with METRICS_TOKEN, and PromQL over its HTTP API returns the model metric and the service counters', async () => {
      const { port } = testApp.app.getHttpServer().address() as AddressInfo;
      const prometheus = await startPrometheus({ target: `127.0.0.1:${port}`, bearerToken: METRICS_TOKEN, scrapeIntervalSeconds: 1 });
      try {
        const model = await createModel(testApp);
        await recordMetric(testApp, model.id, 0.93, { modelVersion: '7' });
        const series = await eventually(async () => {
          const result = await prometheus.query(`modelwatch_model_metric{model="${model.name}",metric="accuracy"}`);
          return result.length > 0 ? result : null;
        }, 90_000);
        expect(series).toEqual([
          {
            metric: expect.objectContaining({
              __name__: 'modelwatch_model_metric',
              job: 'modelwatch',
              model: model.name,
              metric: 'accuracy',
              environment: 'production',
              version: '7',
            }),
            value: [expect.any(Number), '0.93'],
          },
        ]);
        expect(await prometheus.query('up{job="modelwatch"}')).toEqual([expect.objectContaining({ value: [expect.any(Number), '1'] })]);
        const ingested = await prometheus.query('modelwatch_ingested_points_total{job="modelwatch"}');
        expect(Number(ingested[0].value[1])).toBe(1);
        // The dashboard's queries are valid PromQL (Grafana's $model variable at "All"; label_values() is Grafana's, not PromQL).
        for (const query of dashboardQueries().filter((query) => !query.startsWith('label_values('))) {
          await prometheus.query(query.replace(/\$model/g, '.*'));
        }
        // A scrape is counted once it has been answered, so it shows up in the scrapes after it.
        await eventually(
          async () => (await prometheus.query('modelwatch_http_request_duration_seconds_count{route="/metrics"} > 0')).length > 0,
          90_000,
        );
      } finally {
        await prometheus.stop();
      }
    });
  });
});
