import { DataSource } from 'typeorm';
import { PredictionsService } from 'src/predictions/predictions.service';
import { createModel, expectProblem } from 'test/support/factories';
import { createTestApp, type TestApp } from 'test/support/test-app';

describe('POST /predictions and POST /labels (e2e)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ jobs: { pendingLabelDays: 30 } });
  });
  afterAll(() => testApp.close());

  const postPredictions = (predictions: unknown) => testApp.http().post('/api/v1/predictions').send({ predictions });
  const postLabels = (labels: unknown, query = '') => testApp.http().post(`/api/v1/labels${query}`).send({ labels });
  const rows = (table: 'model_predictions' | 'model_labels', modelId: string) =>
    testApp.get(DataSource).query(`SELECT * FROM ${table} WHERE model_id = $1 ORDER BY prediction_id`, [modelId]);

  it('logs binary predictions by id or name, applies the model threshold and defaults, and skips retried ids', async () => {
    testApp.clock.set('2026-03-01T12:00:00.000Z');
    const model = await createModel(testApp, { taskType: 'binary_classification', decisionThreshold: 0.7 });
    expect(model.decisionThreshold).toBe(0.7);
    const batch = [
      { modelId: model.id, predictionId: 'a', score: 0.69, predictedAt: '2026-03-01T10:00:00Z', segment: { region: 'eu' } },
      { modelName: model.name, predictionId: 'b', score: 0.7, features: { age: 41, plan: 'pro', income: null }, modelVersion: 'v3' },
      { modelId: model.id, predictionId: 'c', score: 0.2, predictedLabel: 1, environment: 'staging' },
    ];
    const first = await postPredictions(batch).expect(201);
    expect(first.body).toEqual({ recorded: 3, duplicates: 0, labelled: 0 });
    const stored = await rows('model_predictions', model.id);
    expect(stored.map((row: any) => [row.prediction_id, row.score, row.predicted_class, row.environment])).toEqual([
      ['a', 0.69, '0', 'production'],
      ['b', 0.7, '1', 'production'],
      ['c', 0.2, '1', 'staging'],
    ]);
    expect(stored[0].segment).toEqual({ region: 'eu' });
    expect(stored[0].predicted_at.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(stored[1]).toMatchObject({ model_version: 'v3', features: { age: 41, plan: 'pro', income: null }, probabilities: null });
    expect(stored[1].predicted_at.toISOString()).toBe('2026-03-01T12:00:00.000Z');

    const retry = await postPredictions([...batch, { modelId: model.id, predictionId: 'd', score: 0.9 }, batch[0]]).expect(201);
    expect(retry.body).toEqual({ recorded: 1, duplicates: 4, labelled: 0 });

    const changed = await testApp.http().patch(`/api/v1/models/${model.id}`).send({ decisionThreshold: 0.1 }).expect(200);
    expect(changed.body.decisionThreshold).toBe(0.1);
    await postPredictions([{ modelId: model.id, predictionId: 'e', score: 0.15 }]).expect(201);
    expect((await rows('model_predictions', model.id)).find((row: any) => row.prediction_id === 'e').predicted_class).toBe('1');
    expectProblem(await testApp.http().patch(`/api/v1/models/${model.id}`).send({ decisionThreshold: 1.5 }), 400);
  });

  it('logs multiclass probabilities (argmax as the predicted class) and regression predictions', async () => {
    const multiclass = await createModel(testApp, { taskType: 'multiclass_classification' });
    const regression = await createModel(testApp, { taskType: 'regression' });
    await postPredictions([
      { modelId: multiclass.id, predictionId: 'm1', probabilities: { cat: 0.2, dog: 0.7, fox: 0.1 } },
      { modelId: multiclass.id, predictionId: 'm2', probabilities: { cat: 0.5, dog: 0.5 - 1e-7, fox: 1e-7 }, predictedLabel: 'fox' },
      { modelId: regression.id, predictionId: 'r1', prediction: -12.5 },
    ]).expect(201);
    expect((await rows('model_predictions', multiclass.id)).map((row: any) => [row.predicted_class, row.probabilities.dog])).toEqual([
      ['dog', 0.7],
      ['fox', 0.5 - 1e-7],
    ]);
    expect((await rows('model_predictions', regression.id))[0]).toMatchObject({ prediction: -12.5, score: null, predicted_class: null });
  });

  it('bad input is a 400 naming predictions[i].field, and nothing of the batch is written', async () => {
    const binary = await createModel(testApp, { taskType: 'binary_classification' });
    const multiclass = await createModel(testApp, { taskType: 'multiclass_classification' });
    const other = await createModel(testApp, { taskType: 'other' });
    const valid = { modelId: binary.id, predictionId: 'ok', score: 0.5 };
    const cases: [unknown, string][] = [
      [{ modelId: binary.id, predictionId: 'x', score: 1.2 }, 'predictions[1].score'],
      [{ modelId: binary.id, predictionId: 'x', score: 'NaN' }, 'predictions[1].score'],
      [{ modelId: binary.id, predictionId: 'x' }, 'predictions[1].score'],
      [{ modelId: binary.id, predictionId: 'x', score: 0.4, predictedLabel: 2 }, 'predictions[1].predictedLabel'],
      [{ modelId: binary.id, predictionId: 'x', score: 0.5, probabilities: { a: 0.5, b: 0.5 } }, 'predictions[1].probabilities'],
      [{ modelId: multiclass.id, predictionId: 'x', probabilities: { a: 0.5, b: 0.49 } }, 'predictions[1].probabilities'],
      [
        { modelId: multiclass.id, predictionId: 'x', probabilities: { a: 0.5, b: 0.5 }, predictedLabel: 'c' },
        'predictions[1].predictedLabel',
      ],
      [{ modelId: multiclass.id, predictionId: 'x', probabilities: { a: 1, b: 0 }, score: 0.3 }, 'predictions[1].score'],
      [{ modelId: other.id, predictionId: 'x', score: 0.3 }, 'predictions[1].modelId'],
      [{ modelId: binary.id, predictionId: 'ok', score: 0.6 }, 'predictions[1].predictionId'],
      [{ modelId: binary.id, predictionId: 'x', score: 0.6, color: 'red' }, 'predictions[1].color'],
      [{ modelId: binary.id, predictionId: 'x', score: 0.6, features: { age: [1] } }, 'predictions[1].features'],
      [{ modelId: binary.id, predictionId: '', score: 0.6 }, 'predictions[1].predictionId'],
      [{ modelId: binary.id, predictionId: 'x', score: 0.6, predictedAt: '2999-01-01T00:00:00Z' }, 'predictions[1].predictedAt'],
    ];
    for (const [bad, field] of cases) {
      const problem = expectProblem(await postPredictions([valid, bad]), 400, 'VALIDATION_FAILED');
      expect({ field, errors: problem.errors!.map((error) => error.field) }).toEqual({ field, errors: [field] });
    }
    expect(await rows('model_predictions', binary.id)).toEqual([]);
    expectProblem(await postPredictions([]), 400);
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ modelId: binary.id, predictionId: `p${i}`, score: 0.5 }));
    expect(expectProblem(await postPredictions(tooMany), 400).errors).toEqual([
      { field: 'predictions', message: 'must hold 1–10000 predictions' },
    ]);
  });

  it('an unknown model is a 404 naming the item', async () => {
    const binary = await createModel(testApp, { taskType: 'binary_classification' });
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const byId = expectProblem(
      await postPredictions([
        { modelId: binary.id, predictionId: 'a', score: 0.1 },
        { modelId: unknownId, predictionId: 'b', score: 0.1 },
      ]),
      404,
      'MODEL_NOT_FOUND',
    );
    expect(byId.errors).toEqual([{ field: 'predictions[1].modelId', message: `no model with id ${unknownId}` }]);
    const byName = expectProblem(await postPredictions([{ modelName: 'no-such-model-xyz', predictionId: 'a', score: 0.1 }]), 404);
    expect(byName.errors!.map((error) => error.field)).toEqual(['predictions[0].modelName']);
    expect(await rows('model_predictions', binary.id)).toEqual([]);
  });

  it('labels: pending before the prediction, joined when it arrives, idempotent, 409 on a change unless overwrite=true', async () => {
    testApp.clock.set('2026-03-02T12:00:00.000Z');
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    const early = await postLabels([{ modelName: model.name, predictionId: 'p1', label: 1, labelledAt: '2026-03-02T11:00:00Z' }]).expect(
      201,
    );
    expect(early.body).toEqual({ recorded: 1, duplicates: 0, overwritten: 0, pending: 1 });

    const logged = await postPredictions([
      { modelId: model.id, predictionId: 'p1', score: 0.9 },
      { modelId: model.id, predictionId: 'p2', score: 0.1 },
    ]).expect(201);
    expect(logged.body).toEqual({ recorded: 2, duplicates: 0, labelled: 1 });

    const later = await postLabels([
      { modelId: model.id, predictionId: 'p1', label: 1 },
      { modelId: model.id, predictionId: 'p2', label: 0 },
    ]).expect(201);
    expect(later.body).toEqual({ recorded: 1, duplicates: 1, overwritten: 0, pending: 0 });

    const conflict = expectProblem(
      await postLabels([
        { modelId: model.id, predictionId: 'p3', label: 0 },
        { modelId: model.id, predictionId: 'p1', label: 0 },
      ]),
      409,
      'LABEL_CONFLICT',
    );
    expect(conflict.errors!.map((error) => error.field)).toEqual(['labels[1].label']);
    expect((await rows('model_labels', model.id)).map((row: any) => [row.prediction_id, row.label_class])).toEqual([
      ['p1', '1'],
      ['p2', '0'],
    ]);

    const overwritten = await postLabels([{ modelId: model.id, predictionId: 'p1', label: 0 }], '?overwrite=true').expect(201);
    expect(overwritten.body).toEqual({ recorded: 0, duplicates: 0, overwritten: 1, pending: 0 });
    const [p1] = await rows('model_labels', model.id);
    expect(p1.label_class).toBe('0');
    expect(p1.labelled_at.toISOString()).toBe('2026-03-02T12:00:00.000Z');
  });

  it('a label of the wrong type for the task, or a changed repeat inside one batch, is a 400 naming labels[i].field', async () => {
    const binary = await createModel(testApp, { taskType: 'binary_classification' });
    const multiclass = await createModel(testApp, { taskType: 'multiclass_classification' });
    const regression = await createModel(testApp, { taskType: 'regression' });
    const cases: [unknown[], string][] = [
      [[{ modelId: binary.id, predictionId: 'a', label: 'yes' }], 'labels[0].label'],
      [[{ modelId: binary.id, predictionId: 'a', label: 0.5 }], 'labels[0].label'],
      [[{ modelId: multiclass.id, predictionId: 'a', label: 3 }], 'labels[0].label'],
      [[{ modelId: regression.id, predictionId: 'a', label: 'high' }], 'labels[0].label'],
      [
        [
          { modelId: binary.id, predictionId: 'a', label: 1 },
          { modelId: binary.id, predictionId: 'a', label: 0 },
        ],
        'labels[1].label',
      ],
    ];
    for (const [labels, field] of cases) {
      const problem = expectProblem(await postLabels(labels), 400, 'VALIDATION_FAILED');
      expect({ field, errors: problem.errors!.map((error) => error.field) }).toEqual({ field, errors: [field] });
    }
    expectProblem(await postLabels([{ modelId: binary.id, predictionId: 'a', label: 1 }], '?overwrite=maybe'), 400);
    expect(await rows('model_labels', binary.id)).toEqual([]);
    const ok = await postLabels([
      { modelId: multiclass.id, predictionId: 'a', label: 'cat' },
      { modelId: regression.id, predictionId: 'a', label: 3.25 },
    ]).expect(201);
    expect(ok.body).toEqual({ recorded: 2, duplicates: 0, overwritten: 0, pending: 2 });
    expect((await rows('model_labels', regression.id))[0]).toMatchObject({ label_class: null, label_value: 3.25 });
  });

  it('expires labels that waited longer than PENDING_LABEL_DAYS for their prediction, and keeps the others', async () => {
    const model = await createModel(testApp, { taskType: 'binary_classification' });
    testApp.clock.set('2026-01-01T00:00:00.000Z');
    await postLabels([
      { modelId: model.id, predictionId: 'old-pending', label: 1 },
      { modelId: model.id, predictionId: 'old-joined', label: 0 },
    ]).expect(201);
    testApp.clock.set('2026-01-20T00:00:00.000Z');
    await postLabels([{ modelId: model.id, predictionId: 'recent-pending', label: 1 }]).expect(201);
    await postPredictions([{ modelId: model.id, predictionId: 'old-joined', score: 0.4, predictedAt: '2026-01-01T00:00:00Z' }]).expect(201);
    testApp.clock.set('2026-02-01T00:00:00.000Z');
    await testApp.get(PredictionsService).expirePendingLabels();
    expect((await rows('model_labels', model.id)).map((row: any) => row.prediction_id)).toEqual(['old-joined', 'recent-pending']);
  });
});
