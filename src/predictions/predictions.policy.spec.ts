import { argmaxClass, prepareLabelsBody, preparePredictionsBody, type PredictionModelSettings } from 'src/predictions/predictions.policy';

const now = new Date('2026-03-01T12:00:00.000Z');
const binaryId = '11111111-1111-4111-8111-111111111111';
const multiclassId = '22222222-2222-4222-8222-222222222222';
const settings = new Map<string, PredictionModelSettings>([
  [binaryId, { taskType: 'binary_classification', decisionThreshold: 0.3 }],
  [multiclassId, { taskType: 'multiclass_classification', decisionThreshold: 0.5 }],
]);
const lookup = (modelId: string) => settings.get(modelId);

describe('prediction and label checks', () => {
  it('binary: predicted class from the model threshold (score ≥ threshold is 1) unless predictedLabel is given', () => {
    const { predictions, errors } = preparePredictionsBody(
      {
        predictions: [
          { modelId: binaryId, predictionId: 'a', score: 0.3 },
          { modelId: binaryId.toUpperCase(), predictionId: 'b', score: 0.29 },
          { modelId: binaryId, predictionId: 'c', score: 0.9, predictedLabel: 0 },
        ],
      },
      now,
      lookup,
    );
    expect(errors).toEqual([]);
    expect(predictions.map((p) => [p.modelId, p.predictedClass, p.predictedAt.toISOString()])).toEqual([
      [binaryId, '1', now.toISOString()],
      [binaryId, '0', now.toISOString()],
      [binaryId, '0', now.toISOString()],
    ]);
  });

  it('multiclass: probabilities must sum to 1 within 1e-6; the argmax breaks ties by class name', () => {
    const ok = preparePredictionsBody(
      { predictions: [{ modelId: multiclassId, predictionId: 'a', probabilities: { b: 0.4999996, a: 0.4999996, c: 0 } }] },
      now,
      lookup,
    );
    expect(ok.errors).toEqual([]);
    expect(ok.predictions[0].predictedClass).toBe('a');
    const off = preparePredictionsBody(
      { predictions: [{ modelId: multiclassId, predictionId: 'a', probabilities: { a: 0.5, b: 0.5, c: 1.1e-6 } }] },
      now,
      lookup,
    );
    expect(off.errors.map((error) => error.field)).toEqual(['predictions[0].probabilities']);
    expect(argmaxClass({ z: 0.4, y: 0.4, x: 0.2 })).toBe('y');
  });

  it('a repeated predictionId with the same content (any key order) is a duplicate; with other content an error', () => {
    const same = preparePredictionsBody(
      {
        predictions: [
          { modelId: binaryId, predictionId: 'a', score: 0.5, segment: { region: 'eu', tier: 'gold' } },
          { segment: { tier: 'gold', region: 'eu' }, score: 0.5, predictionId: 'a', modelId: binaryId },
        ],
      },
      now,
      lookup,
    );
    expect({ kept: same.predictions.length, duplicates: same.duplicates, errors: same.errors }).toEqual({
      kept: 1,
      duplicates: 1,
      errors: [],
    });
    const different = preparePredictionsBody(
      {
        predictions: [
          { modelId: binaryId, predictionId: 'a', score: 0.5 },
          { modelId: binaryId, predictionId: 'a', score: 0.6 },
        ],
      },
      now,
      lookup,
    );
    expect(different.errors.map((error) => error.field)).toEqual(['predictions[1].predictionId']);
    expect(different.predictions).toEqual([]);
  });

  it('labels: typed per task, and repeats differing only in labelledAt are one label', () => {
    const labels = prepareLabelsBody(
      {
        labels: [
          { modelId: binaryId, predictionId: 'a', label: 1, labelledAt: '2026-03-01T10:00:00Z' },
          { modelId: binaryId, predictionId: 'a', label: 1, labelledAt: '2026-03-01T11:00:00Z' },
          { modelId: multiclassId, predictionId: 'a', label: 'cat' },
        ],
      },
      now,
      lookup,
    );
    expect(labels.errors).toEqual([]);
    expect(labels.duplicates).toBe(1);
    expect(labels.labels.map((label) => [label.labelClass, label.labelValue])).toEqual([
      ['1', null],
      ['cat', null],
    ]);
    const wrong = prepareLabelsBody({ labels: [{ modelId: binaryId, predictionId: 'a', label: true }], extra: 1 }, now, lookup);
    expect(wrong.errors).toEqual([{ field: 'extra', message: 'property extra should not exist' }]);
  });
});
