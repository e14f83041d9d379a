/**
 * GET /metrics benchmark: the time and size of one scrape with EXPORT_MODEL_METRICS=true at the default cap
 * (10,000 series) and at twice as many series as the cap (half dropped), in both exposition formats.
 *
 * Runs the real application in this process (the e2e harness) on the local PostgreSQL server when DATABASE_URL is
 * set, else on the embedded PGlite database:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx ts-node -r tsconfig-paths/register bench/metrics-scrape.bench.ts
 * Options: `--models N` (default 100), `--scrapes N` (10). Each model gets 10 metrics × 10 versions = 100 series.
 */
import { MetricsService } from 'src/metrics/metrics.service';
import { createModel } from 'test/support/factories';
import { createTestApp } from 'test/support/test-app';

const option = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const MODELS = option('models', 100);
const SCRAPES = option('scrapes', 10);
const OPENMETRICS = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';

async function main(): Promise<void> {
  const testApp = await createTestApp({ observability: { exportModelMetrics: true, exportModelMetricsMaxSeries: 10_000 } });
  try {
    const metrics = testApp.get(MetricsService);
    const seed = async (models: number) => {
      for (let index = 0; index < models; index++) {
        const model = await createModel(testApp);
        const points = Array.from({ length: 100 }, (_, series) => ({
          modelId: model.id,
          metricName: `metric_${series % 10}`,
          modelVersion: `v${Math.floor(series / 10)}`,
          value: Math.random(),
        }));
        await metrics.recordPoints(points);
      }
    };
    const measure = async (label: string) => {
      for (const [format, accept] of [
        ['text 0.0.4', 'text/plain'],
        ['OpenMetrics', OPENMETRICS],
      ]) {
        const times: number[] = [];
        let bytes = 0;
        for (let run = 0; run < SCRAPES; run++) {
          const started = performance.now();
          const response = await testApp.http().get('/metrics').set('Accept', accept).expect(200);
          times.push(performance.now() - started);
          bytes = response.text.length;
        }
        times.sort((a, b) => a - b);
        console.log(
          `${label}, ${format}: median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KiB`,
        );
      }
    };
    await seed(MODELS);
    await measure(`${MODELS * 100} model series (cap 10000)`);
    await seed(MODELS);
    await measure(`${MODELS * 200} model series (cap 10000, the rest dropped)`);
  } finally {
    await testApp.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
