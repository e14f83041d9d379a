/**
 * Alerts benchmark: raise throughput (distinct fingerprints and one hot, deduplicated fingerprint), webhook
 * outbox delivery rate to a local receiver, and the time of one periodic rule evaluation.
 *
 * Runs the real application in this process (the e2e harness: same pipes, guards and database code) and
 * drives it over HTTP on 127.0.0.1 with keep-alive. Against the local PostgreSQL server when DATABASE_URL is
 * set, else against the embedded PGlite database:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx ts-node -r tsconfig-paths/register bench/alerts.bench.ts
 *   npx ts-node -r tsconfig-paths/register bench/alerts.bench.ts
 * Options: `--raises N` (default 2000), `--deliveries N` (2000), `--rules N` (300), `--concurrency N` (16).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AlertRuleEvaluator } from 'src/alerts/alert-rule-evaluator.service';
import { WebhookDeliveryWorker } from 'src/alerts/webhook-delivery.worker';
import { WebhookOutboxService } from 'src/alerts/webhook-outbox.service';
import { MetricsService } from 'src/metrics/metrics.service';
import { startReceiver } from 'test/support/alerts-factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

const option = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const RAISES = option('raises', 2000);
const DELIVERIES = option('deliveries', 2000);
const RULES = option('rules', 300);
const CONCURRENCY = option('concurrency', 16);
const POINTS_PER_SERIES = 60;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** `total` POSTs of `body(i)` by `CONCURRENCY` clients; requests/s and latency percentiles. */
async function load(baseUrl: string, path: string, total: number, body: (index: number) => unknown) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const index = next++;
        const sent = performance.now();
        const response = await fetch(`${baseUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body(index)),
        });
        await response.arrayBuffer();
        if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}`);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Math.round(total / seconds),
    p50: percentile(latencies, 0.5).toFixed(1),
    p95: percentile(latencies, 0.95).toFixed(1),
  };
}

async function main(): Promise<void> {
  process.env.MW_TEST_RUN_ID = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const testApp: TestApp = await createTestApp({ poolSize: 10 });
  const receiver = await startReceiver();
  try {
    await testApp.app.listen(0, '127.0.0.1');
    const baseUrl = (await testApp.app.getUrl()).replace('[::1]', '127.0.0.1');
    const database = testApp.database.kind === 'server' ? 'PostgreSQL server' : 'embedded PGlite';
    const model = (await (
      await fetch(`${baseUrl}/api/v1/models`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `bench-${randomBytes(3).toString('hex')}` }),
      })
    ).json()) as { id: string };
    const raise = (labels: Record<string, string>) => ({
      modelId: model.id,
      type: 'custom',
      severity: 'warning',
      title: 'bench',
      labels,
      value: 1,
    });

    const distinct = await load(baseUrl, '/api/v1/alerts', RAISES, (index) => raise({ key: `k${index}` }));
    const hot = await load(baseUrl, '/api/v1/alerts', RAISES, () => raise({ key: 'hot' }));

    const outbox = testApp.get(WebhookOutboxService);
    for (let offset = 0; offset < DELIVERIES; offset += 500) {
      const count = Math.min(500, DELIVERIES - offset);
      await outbox.enqueueMany(
        Array.from({ length: count }, (_, index) => ({
          url: receiver.url,
          secret: 'bench-secret-1',
          event: 'bench',
          payload: { index: offset + index },
        })),
      );
    }
    const worker = testApp.get(WebhookDeliveryWorker);
    const deliveryStarted = performance.now();
    let delivered = 0;
    while (delivered < DELIVERIES) {
      const summary = await worker.deliverDue();
      if (summary.claimed === 0) throw new Error('outbox ran dry before every row was delivered');
      delivered += summary.delivered;
    }
    const deliveriesPerSecond = Math.round(DELIVERIES / ((performance.now() - deliveryStarted) / 1000));

    const metrics = testApp.get(MetricsService);
    const now = testApp.clock.now().getTime();
    for (let rule = 0; rule < RULES; rule += 50) {
      const points = [];
      for (let series = rule; series < Math.min(rule + 50, RULES); series++) {
        for (let point = 0; point < POINTS_PER_SERIES; point++) {
          points.push({ modelId: model.id, metricName: `m${series}`, value: Math.random(), recordedAt: new Date(now - point * 60_000) });
        }
      }
      await metrics.recordPoints(points);
    }
    for (let series = 0; series < RULES; series++) {
      const response = await fetch(`${baseUrl}/api/v1/alert-rules`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          modelId: model.id,
          metricName: `m${series}`,
          aggregation: 'p95',
          windowMinutes: 60,
          comparator: 'gt',
          threshold: 0.5,
          severity: 'warning',
        }),
      });
      if (response.status !== 201) throw new Error(`createAlertRule answered ${response.status}`);
    }
    const evaluator = testApp.get(AlertRuleEvaluator);
    const evaluationTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const summary = await evaluator.evaluateAll();
      if (summary.evaluated !== RULES) throw new Error(`evaluated ${summary.evaluated} of ${RULES} rules`);
      evaluationTimes.push(performance.now() - started);
    }
    evaluationTimes.sort((a, b) => a - b);
    const evaluationMs = evaluationTimes[1];

    console.log(`Alerts benchmark on ${database}, ${CONCURRENCY} concurrent HTTP clients, Node ${process.version}`);
    console.log(`| Measure | Result |`);
    console.log(`| --- | --- |`);
    console.log(
      `| POST /alerts, ${RAISES} distinct fingerprints | ${distinct.perSecond} raises/s (p50 ${distinct.p50} ms, p95 ${distinct.p95} ms) |`,
    );
    console.log(
      `| POST /alerts, ${RAISES} raises of one fingerprint (dedup on one row) | ${hot.perSecond} raises/s (p50 ${hot.p50} ms, p95 ${hot.p95} ms) |`,
    );
    console.log(`| Outbox: ${DELIVERIES} signed webhooks to a local receiver, one worker | ${deliveriesPerSecond} deliveries/s |`);
    console.log(
      `| evaluateAll: ${RULES} p95 rules over ${POINTS_PER_SERIES}-point windows | ${evaluationMs.toFixed(0)} ms (${((evaluationMs / RULES) * 1000).toFixed(0)} µs/rule, median of 3) |`,
    );
  } finally {
    await receiver.close();
    await testApp.close();
    if (process.env.DATABASE_URL) {
      const client = new Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "mw_tpl_${process.env.MW_TEST_RUN_ID}" WITH (FORCE)`).finally(() => client.end());
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
