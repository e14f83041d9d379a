import { PredictionPartitions } from 'src/predictions/prediction-partitions.service';
import { createModel } from 'test/support/factories';
import { createEmptyDatabase, migrate, partitionsOf, query } from 'test/support/migration-database';
import { createTestApp, type TestApp } from 'test/support/test-app';

jest.setTimeout(300_000);

const PREDICTIONS_DIGEST = `SELECT count(*)::int AS count, md5(string_agg(concat_ws('|', model_id, prediction_id, model_version, environment,
  segment::text, predicted_at, score, predicted_class, probabilities::text, prediction, features::text, ingested_at), ',' ORDER BY prediction_id)) AS digest
  FROM model_predictions`;

const count = async (url: string, sql: string, parameters: unknown[] = []) =>
  (await query<{ n: number }>(url, `SELECT (${sql})::int AS n`, parameters))[0].n;

describe('partitioned prediction log (e2e)', () => {
  it('converts an existing log with data into monthly partitions without losing a row, and keeps ids and labels joined', async () => {
    const database = await createEmptyDatabase();
    let testApp: TestApp | undefined;
    try {
      await migrate(database.url, 'PartitionPredictions1796370000000');
      const [model] = await query<{ id: string }>(
        database.url,
        `INSERT INTO models (name, task_type) VALUES ('converted', 'binary_classification') RETURNING id`,
      );
      // 2,000 binary predictions over three months (versions, segments and features on some), labels on every third.
      await query(
        database.url,
        `INSERT INTO model_predictions (model_id, prediction_id, model_version, environment, segment, predicted_at, score, predicted_class, features)
         SELECT $1, 'p' || i, CASE WHEN i % 3 = 0 THEN NULL ELSE 'v' || (i % 2) END, 'production',
                CASE WHEN i % 5 = 0 THEN '{"region":"eu"}'::jsonb ELSE '{}'::jsonb END,
                timestamptz '2025-01-01T00:00:00Z' + i * interval '1 hour', (i % 100) / 100.0, CASE WHEN i % 100 >= 50 THEN '1' ELSE '0' END,
                CASE WHEN i % 7 = 0 THEN jsonb_build_object('age', i) END
         FROM generate_series(1, 2000) i`,
        [model.id],
      );
      await query(
        database.url,
        `INSERT INTO model_labels (model_id, prediction_id, label_class, labelled_at)
         SELECT $1, 'p' || i, (i % 2)::text, timestamptz '2025-01-01T00:00:00Z' + i * interval '1 hour' + interval '1 day'
         FROM generate_series(3, 2000, 3) i`,
        [model.id],
      );
      const [before] = await query<{ count: number; digest: string }>(database.url, PREDICTIONS_DIGEST);
      expect(before.count).toBe(2000);

      await migrate(database.url);

      expect((await query(database.url, PREDICTIONS_DIGEST))[0]).toEqual(before);
      expect(await partitionsOf(database.url, 'model_predictions')).toEqual(
        expect.arrayContaining([
          'model_predictions_default',
          'model_predictions_p202501',
          'model_predictions_p202502',
          'model_predictions_p202503',
        ]),
      );
      expect(await count(database.url, 'SELECT count(*) FROM model_predictions_default')).toBe(0);
      expect(await count(database.url, 'SELECT count(*) FROM model_prediction_ids')).toBe(2000);
      // The ids carry their prediction's time: every one names the row of its partition.
      expect(
        await count(
          database.url,
          `SELECT count(*) FROM model_prediction_ids id JOIN model_predictions p
             ON p.model_id = id.model_id AND p.prediction_id = id.prediction_id AND p.predicted_at = id.predicted_at`,
        ),
      ).toBe(2000);

      testApp = await createTestApp({ database });
      testApp.clock.set('2025-06-01T00:00:00Z');
      // An id logged before the conversion is still a duplicate, re-sent with another time (another partition).
      const resent = await testApp
        .http()
        .post('/api/v1/predictions')
        .send({
          predictions: [
            { modelId: model.id, predictionId: 'p2', score: 0.9, predictedAt: '2025-05-20T00:00:00Z' },
            { modelId: model.id, predictionId: 'p-new', score: 0.9, predictedAt: '2025-05-20T00:00:00Z' },
          ],
        })
        .expect(201);
      expect(resent.body).toEqual({ recorded: 1, duplicates: 1, labelled: 0 });
      // A label for a converted prediction finds it (not pending); one for an unknown id waits.
      const labelled = await testApp
        .http()
        .post('/api/v1/labels')
        .send({
          labels: [
            { modelId: model.id, predictionId: 'p1', label: 1 },
            { modelId: model.id, predictionId: 'p-later', label: 0 },
          ],
        })
        .expect(201);
      expect(labelled.body).toMatchObject({ recorded: 2, pending: 1 });
    } finally {
      if (testApp) await testApp.app.close();
      await database.drop();
    }
  });

  describe('maintenance', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      process.env.RETENTION_PREDICTIONS_DAYS = '400';
      testApp = await createTestApp();
      delete process.env.RETENTION_PREDICTIONS_DAYS;
      testApp.clock.set('2025-06-01T00:00:00Z');
    });
    afterAll(() => testApp.close());

    const post = (path: string, body: object) => testApp.http().post(`/api/v1/${path}`).send(body).expect(201);
    const url = () => testApp.database.url;

    it('creates a backfill month on demand, keeps ids exact across partitions, moves default rows out and drops expired months whole', async () => {
      const model = await createModel(testApp, { taskType: 'binary_classification' });
      const at = (day: number) => new Date(Date.UTC(2019, 2, day, 10)).toISOString();
      await post('predictions', {
        predictions: [0.9, 0.8, 0.3, 0.2].map((score, i) => ({ modelId: model.id, predictionId: `b${i}`, score, predictedAt: at(10 + i) })),
      });
      expect(await partitionsOf(url(), 'model_predictions')).toContain('model_predictions_p201903');
      await post('labels', { labels: [1, 0, 1, 0].map((label, i) => ({ modelId: model.id, predictionId: `b${i}`, label })) });

      // The same id months later (another partition) is still a duplicate.
      const again = await post('predictions', {
        predictions: [{ modelId: model.id, predictionId: 'b0', score: 0.1, predictedAt: '2019-09-01T00:00:00Z' }],
      });
      expect(again.body).toEqual({ recorded: 0, duplicates: 1, labelled: 0 });

      // A row in the default partition (written while its month had no partition) moves out into a new month.
      await query(
        url(),
        `INSERT INTO model_predictions_default (model_id, prediction_id, predicted_at, score, predicted_class) VALUES ($1, 'stray', '2018-07-04T00:00:00Z', 0.5, '1')`,
        [model.id],
      );
      await query(
        url(),
        `INSERT INTO model_prediction_ids (model_id, prediction_id, predicted_at) VALUES ($1, 'stray', '2018-07-04T00:00:00Z')`,
        [model.id],
      );
      const maintenance = testApp.get(PredictionPartitions);
      testApp.clock.set('2019-05-01T00:00:00Z');
      const moved = await maintenance.runMaintenance();
      expect(moved).toMatchObject({ movedFromDefault: 1, dropped: [] });
      expect(moved.created).toContain('2018-07');
      expect(await count(url(), 'SELECT count(*) FROM model_predictions_p201807')).toBe(1);

      const accuracy = () =>
        testApp
          .http()
          .get('/api/v1/metrics/trend')
          .query({
            modelId: model.id,
            metricName: 'realized.accuracy',
            bucket: '1d',
            from: '2019-03-01T00:00:00Z',
            to: '2019-04-01T00:00:00Z',
          })
          .expect(200)
          .then((response) => response.body.points.map((point: { value: number; count: number }) => [point.value, point.count]));
      const realizedBefore = await accuracy();
      expect(realizedBefore).toEqual([
        [1, 1],
        [0, 1],
        [0, 1],
        [1, 1],
      ]);

      // A regression model's predictions in the same month, for its own rollup.
      const regression = await createModel(testApp, { taskType: 'regression' });
      await post('predictions', {
        predictions: [10, 20].map((prediction, i) => ({
          modelId: regression.id,
          predictionId: `r${i}`,
          prediction,
          predictedAt: at(20 + i),
        })),
      });
      await post('labels', { labels: [12, 17].map((label, i) => ({ modelId: regression.id, predictionId: `r${i}`, label })) });
      const mae = () =>
        testApp
          .http()
          .get('/api/v1/metrics/trend')
          .query({
            modelId: regression.id,
            metricName: 'realized.mae',
            bucket: '1d',
            from: '2019-03-01T00:00:00Z',
            to: '2019-04-01T00:00:00Z',
          })
          .expect(200)
          .then((response) => response.body.points.map((point: { value: number; count: number }) => [point.value, point.count]));
      expect(await mae()).toEqual([
        [2, 1],
        [3, 1],
      ]);

      // 400 days before 2025-06-01 is 2024-04-27: every 2018/2019 month goes, whole, with its ids and labels.
      testApp.clock.set('2025-06-01T00:00:00Z');
      const dropped = await maintenance.runMaintenance();
      expect(dropped.dropped).toEqual(expect.arrayContaining(['2018-07', '2019-03']));
      expect(dropped.deleted.predictionIds).toBeGreaterThanOrEqual(5);
      expect(dropped.deleted.labels).toBeGreaterThanOrEqual(4);
      expect(await partitionsOf(url(), 'model_predictions')).not.toContain('model_predictions_p201903');
      expect(await count(url(), 'SELECT count(*) FROM model_predictions WHERE model_id = $1', [model.id])).toBe(0);
      expect(await count(url(), 'SELECT count(*) FROM model_prediction_ids WHERE model_id = $1', [model.id])).toBe(0);
      expect(await count(url(), 'SELECT count(*) FROM model_labels WHERE model_id = $1', [model.id])).toBe(0);
      // The realized trends over the dropped months still answer from the hourly rollups, binary and regression.
      expect(await accuracy()).toEqual(realizedBefore);
      expect(await count(url(), 'SELECT count(*) FROM model_predictions WHERE model_id = $1', [regression.id])).toBe(0);
      expect(await mae()).toEqual([
        [2, 1],
        [3, 1],
      ]);
    });
  });
});
