/**
 * `npm run bench:predictions` — throughput of POST /predictions against the floor of the same table (issue 17's
 * target: ≥ 50 % of `\copy` for 10,000-prediction batches with 20 features from 2 clients).
 *
 * 200,000 binary predictions (5 models; score, model version, segment and 20 features — 10 numeric, 10 strings — on
 * each) in 10,000-prediction batches, posted by 2 concurrent clients to the service running as its own process
 * (`node dist/src/main.js`) on a dedicated database of the local PostgreSQL server. The floor is `psql \copy` of the
 * same rows (CSV, predicted class already derived) into the same, empty table with the same indexes. Also reports the
 * service's peak RSS. Options: `-- --predictions N` (default 200,000), `--batch N` (default 10,000), `--no-build`,
 * `--write-docs`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createBinaryModels,
  createMonthPartitions,
  describeMachine,
  hasFlag,
  numberOption,
  postBatches,
  psqlWallTime,
  runBenchmarkOnDatabase,
  timeMs,
  withClient,
  withService,
  writeDocsSubsection,
} from 'bench/metrics-bench.support';
import { Lcg } from 'test/support/prediction-vectors';

const TOTAL = numberOption('predictions', 200_000);
const BATCH = numberOption('batch', 10_000);
const CLIENTS = 2;
const MODELS = 5;
const FEATURES = 20;
const COLUMNS = 'model_id, prediction_id, model_version, environment, segment, predicted_at, score, predicted_class, features';
const START = Date.parse('2026-01-01T00:00:00Z');
const PLANS = ['free', 'pro', 'team', 'enterprise'];

interface Prediction {
  modelId: string;
  predictionId: string;
  modelVersion: string;
  environment: string;
  segment: Record<string, string>;
  predictedAt: string;
  score: number;
  features: Record<string, number | string>;
}

function generate(modelIds: string[], total: number, idPrefix: string): Prediction[][] {
  const next = new Lcg(17);
  const batches: Prediction[][] = [];
  for (let index = 0; index < total; index++) {
    if (index % BATCH === 0) batches.push([]);
    const features: Record<string, number | string> = {};
    for (let f = 0; f < FEATURES; f++) {
      features[`f${f}`] = f < FEATURES / 2 ? Math.round(next.next() * 1e6) / 1e3 : PLANS[Math.floor(next.next() * PLANS.length)];
    }
    batches[batches.length - 1].push({
      modelId: modelIds[index % modelIds.length],
      predictionId: `${idPrefix}-${index}`,
      modelVersion: 'v1',
      environment: 'production',
      segment: { region: index % 3 === 0 ? 'us' : 'eu' },
      predictedAt: new Date(START + index * 100).toISOString(),
      score: Math.round(next.next() * 1e6) / 1e6,
      features,
    });
  }
  return batches;
}

function toCsv(batches: Prediction[][]): string {
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const lines: string[] = [];
  for (const batch of batches) {
    for (const p of batch) {
      lines.push(
        [
          p.modelId,
          p.predictionId,
          p.modelVersion,
          p.environment,
          quote(JSON.stringify(p.segment)),
          p.predictedAt,
          p.score,
          p.score >= 0.5 ? 1 : 0,
          quote(JSON.stringify(p.features)),
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

async function main(url: string): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'mw-predictions-'));
  try {
    const modelIds = await createBinaryModels(
      url,
      Array.from({ length: MODELS + 1 }, (_, n) => `bench-model-${n}`),
    );
    const [warmUpModel, ...benchModels] = modelIds;
    const batches = generate(benchModels, TOTAL, 'bench');
    const bodies = batches.map((predictions) => Buffer.from(JSON.stringify({ predictions })));
    const warmUp = generate([warmUpModel], 2 * BATCH, 'warm-up').map((predictions) => Buffer.from(JSON.stringify({ predictions })));
    const csvPath = join(scratch, 'predictions.csv');
    writeFileSync(csvPath, toCsv(batches));
    // The month of the rows gets its partition first (the API would create it on demand; \copy cannot).
    await withClient(url, (client) => createMonthPartitions(client, 'model_predictions', START, START + TOTAL * 100));
    const resetTable = () =>
      withClient(url, (client) => client.query('TRUNCATE model_predictions, model_prediction_ids, model_prediction_rollups; CHECKPOINT'));
    const countRows = () =>
      withClient(
        url,
        async (client) => (await client.query<{ count: number }>('SELECT count(*)::int AS count FROM model_predictions')).rows[0].count,
      );

    await resetTable();
    const copyMs = psqlWallTime(url, `\\copy model_predictions(${COLUMNS}) FROM '${csvPath}' WITH (FORMAT csv)`);
    if ((await countRows()) !== TOTAL) throw new Error('COPY did not load every row');
    // Second floor: the same rows into both tables the API statement writes (the predictions and their claimed ids).
    const idsPath = join(scratch, 'ids.csv');
    writeFileSync(
      idsPath,
      batches
        .flat()
        .map((p) => `${p.modelId},${p.predictionId},${p.predictedAt}`)
        .join('\n') + '\n',
    );
    await resetTable();
    const copyBothMs =
      psqlWallTime(url, `\\copy model_predictions(${COLUMNS}) FROM '${csvPath}' WITH (FORMAT csv)`) +
      psqlWallTime(url, `\\copy model_prediction_ids(model_id, prediction_id, predicted_at) FROM '${idsPath}' WITH (FORMAT csv)`);

    await resetTable();
    await withService(url, async (service) => {
      const path = '/api/v1/predictions';
      await postBatches(service.baseUrl, path, warmUp, CLIENTS);
      await resetTable();
      let recorded = 0;
      const apiMs = await timeMs(async () => {
        recorded = await postBatches(service.baseUrl, path, bodies, CLIENTS);
      });
      if (recorded !== TOTAL || (await countRows()) !== TOTAL) throw new Error(`recorded ${recorded} of ${TOTAL} predictions`);
      const peakRss = service.peakRssBytes();
      const apiRate = TOTAL / (apiMs / 1000);
      const copyRate = TOTAL / (copyMs / 1000);
      const bodyMb = bodies.reduce((sum, body) => sum + body.length, 0) / 2 ** 20;
      const report = [
        `Run ${new Date().toISOString().slice(0, 10)} on ${await describeMachine(url)}.`,
        '',
        `${TOTAL.toLocaleString('en-US')} binary predictions (${MODELS} models; score, model version, segment and ${FEATURES} features on each; ` +
          `${bodyMb.toFixed(0)} MB of JSON), ${BATCH.toLocaleString('en-US')} per request, ${CLIENTS} concurrent clients, service as its own process.`,
        '',
        '| path | time | predictions/s |',
        '| --- | ---: | ---: |',
        `| \`POST /predictions\` | ${(apiMs / 1000).toFixed(1)} s | ${Math.round(apiRate).toLocaleString('en-US')} |`,
        `| floor: \`psql \\copy\` (CSV) into the same table and indexes | ${(copyMs / 1000).toFixed(1)} s | ${Math.round(copyRate).toLocaleString('en-US')} |`,
        `| floor: \`psql \\copy\` into the predictions and \`model_prediction_ids\` (both tables the API statement writes) | ${(copyBothMs / 1000).toFixed(1)} s | ${Math.round(TOTAL / (copyBothMs / 1000)).toLocaleString('en-US')} |`,
        '',
        `API / floor: **${((apiRate / copyRate) * 100).toFixed(0)} %** (target ≥ 50 %); API / both tables: ${((apiMs > 0 ? copyBothMs / apiMs : 0) * 100).toFixed(0)} %. ` +
          `Peak RSS of the service: **${Math.round(peakRss / 2 ** 20)} MB**.`,
      ].join('\n');
      console.log(`\n${report}\n`);
      if (hasFlag('write-docs')) writeDocsSubsection('Prediction ingest (`npm run bench:predictions`)', report);
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

runBenchmarkOnDatabase('mw_bench_predictions_ingest', main);
