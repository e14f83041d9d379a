/**
 * Drift checks through the API, end to end: the compiled service as its own process (so its memory is measured
 * alone) on a fresh database of the local PostgreSQL server, driven over HTTP.
 * Run: `npx ts-node -r tsconfig-paths/register bench/drift-service.bench.ts` (BENCH_DATABASE_URL overrides the server).
 *
 * Reference stored feature by feature (PUT /models/{id}/reference/features/{name}); then POST /drift/check with
 * 50 numerical features × 100,000 current values for each of ks, wasserstein and psi, the default test on 20
 * categorical features × 100,000 values, and one numerical feature with a 1,000,000-value reference. Each check is
 * timed from the first byte sent to the last byte received (JSON parsing, validation, loading the stored reference,
 * the statistics, storing the check), best of REPEATS; the service's peak RSS (VmHWM) is read at the end.
 */
import { buildService, createBenchDatabase, describeMachine, median, request, startService, timeMs } from 'bench/metrics-bench.support';

const FEATURES = 50;
const CATEGORICAL_FEATURES = 20;
const SIZE = 100_000;
const BIG_REFERENCE = 1_000_000;
const REPEATS = 3;
const PORT = 3917;

/** Deterministic uniform [0, 1) (mulberry32), so every run checks the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normals(next: () => number, count: number, mean: number, sd: number): number[] {
  // Box–Muller
  return Array.from({ length: count }, () => mean + sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()));
}

function categories(next: () => number, count: number, kinds: number, skew: number): string[] {
  return Array.from({ length: count }, () => `c${Math.floor(kinds * next() ** (1 + skew))}`);
}

async function main(): Promise<void> {
  const next = random(20251127);
  const numericalReference = Array.from({ length: FEATURES }, (_, index) => normals(next, SIZE, index * 0.1, 1 + (index % 5) * 0.2));
  const numericalCurrent = Array.from({ length: FEATURES }, (_, index) =>
    normals(next, SIZE, index * 0.1 + (index % 7) * 0.01, 1 + (index % 5) * 0.2),
  );
  const categoricalReference = Array.from({ length: CATEGORICAL_FEATURES }, (_, index) => categories(next, SIZE, 10 + index * 2, 0));
  const categoricalCurrent = Array.from({ length: CATEGORICAL_FEATURES }, (_, index) =>
    categories(next, SIZE, 10 + index * 2, index % 3 === 0 ? 0.2 : 0),
  );
  const bigReference = normals(next, BIG_REFERENCE, 0, 1);

  const database = await createBenchDatabase('mw_bench_drift_service');
  buildService();
  process.env.BODY_LIMIT = '256mb';
  process.env.RATE_LIMIT_PER_MINUTE = '0';
  const service = await startService(database.url, PORT);
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await request(method, `${service.baseUrl}/api/v1${path}`, body === undefined ? undefined : json(body));
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text.slice(0, 300)}`);
    return JSON.parse(response.text);
  };
  try {
    const model = await call('POST', '/models', { name: `drift-bench-${Date.now()}` });
    const uploads: number[] = [];
    const features = [
      ...numericalReference.map((values, index) => ({ name: `num_${index}`, values })),
      ...categoricalReference.map((values, index) => ({ name: `cat_${index}`, values })),
    ];
    for (const feature of features) {
      uploads.push(await timeMs(() => call('PUT', `/models/${model.id}/reference/features/${feature.name}`, { values: feature.values })));
    }
    const bigUpload = await timeMs(() => call('PUT', `/models/${model.id}/reference/features/big`, { values: bigReference }));

    const numericalBody = (stattest: string) => ({
      modelId: model.id,
      stattest,
      triggerRetrain: false,
      current: { features: numericalCurrent.map((values, index) => ({ name: `num_${index}`, values })) },
    });
    const cases: [string, unknown][] = [
      ['ks, 50 numerical × 100,000', numericalBody('ks')],
      ['wasserstein, 50 numerical × 100,000', numericalBody('wasserstein')],
      ['psi, 50 numerical × 100,000', numericalBody('psi')],
      [
        'default test (jensenshannon), 20 categorical × 100,000',
        {
          modelId: model.id,
          triggerRetrain: false,
          current: { features: categoricalCurrent.map((values, index) => ({ name: `cat_${index}`, values })) },
        },
      ],
      [
        'ks, 1 feature: 1,000,000 reference × 100,000 current',
        { modelId: model.id, stattest: 'ks', current: { features: [{ name: 'big', values: numericalCurrent[0] }] } },
      ],
      [
        'wasserstein, 1 feature: 1,000,000 reference × 100,000 current',
        { modelId: model.id, stattest: 'wasserstein', current: { features: [{ name: 'big', values: numericalCurrent[0] }] } },
      ],
    ];
    const rows: string[] = [];
    for (const [label, body] of cases) {
      const payload = json(body);
      const times: number[] = [];
      let drifted = '';
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        let result: { numberOfDriftedFeatures: number; numberOfFeatures: number } | null = null;
        times.push(
          await timeMs(async () => {
            const response = await request('POST', `${service.baseUrl}/api/v1/drift/check`, payload);
            if (response.status !== 200) throw new Error(`${label}: ${response.status} ${response.text.slice(0, 300)}`);
            result = JSON.parse(response.text);
          }),
        );
        drifted = `${result!.numberOfDriftedFeatures} / ${result!.numberOfFeatures}`;
      }
      rows.push(
        `| ${label} | ${(payload.length / 2 ** 20).toFixed(0)} MiB | ${Math.min(...times).toFixed(0)} | ${median(times).toFixed(0)} | ${drifted} |`,
      );
    }
    console.log(`\n${await describeMachine(database.url)}\n`);
    console.log(
      `Reference upload: ${features.length} features × 100,000 values, one PUT each: median ${median(uploads).toFixed(0)} ms per feature; 1,000,000 values: ${bigUpload.toFixed(0)} ms\n`,
    );
    console.log('| POST /drift/check | body | best ms | median ms | drifted / features |');
    console.log('|---|---:|---:|---:|---:|');
    for (const row of rows) console.log(row);
    console.log(`\nPeak RSS of the service process: ${(service.peakRssBytes() / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await service.stop();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
