import { prepareMetricPoints, prepareRecordBody } from 'src/metrics/metric-points.policy';

const MODEL = '6f1c2a4e-1b2c-4d3e-8f9a-0b1c2d3e4f5a';
const NOW = new Date('2025-03-01T12:00:00.000Z');

describe('prepareMetricPoints', () => {
  it('applies the defaults', () => {
    const { points, errors } = prepareMetricPoints([{ modelId: MODEL.toUpperCase(), metricName: 'accuracy', value: 0.9 }], NOW);
    expect(errors).toEqual([]);
    expect(points).toEqual([
      {
        modelId: MODEL,
        metricName: 'accuracy',
        value: 0.9,
        recordedAt: NOW,
        modelVersion: null,
        environment: 'production',
        segment: {},
        sampleSize: null,
        idempotencyKey: null,
      },
    ]);
  });

  it('names every bad field of every point, unknown ones included', () => {
    const { points, errors } = prepareMetricPoints(
      [
        { modelId: MODEL, metricName: 'ok', value: 1 },
        { modelId: 'x', metricName: 'a b', value: Number.POSITIVE_INFINITY, recordedAt: '2025-03-01T12:05:00.001Z', extra: 1 } as never,
        {
          modelId: MODEL,
          metricName: 'ok',
          value: '1' as never,
          segment: { a: 1 } as never,
          sampleSize: -1,
          environment: '',
          idempotencyKey: '',
        },
      ],
      NOW,
    );
    expect(points).toEqual([]);
    expect(errors.map((error) => error.field)).toEqual([
      'points[1].extra',
      'points[1].modelId',
      'points[1].metricName',
      'points[1].value',
      'points[1].recordedAt',
      'points[2].value',
      'points[2].environment',
      'points[2].segment',
      'points[2].sampleSize',
      'points[2].idempotencyKey',
    ]);
  });

  it('refuses the names of computed metrics, every reserved prefix', () => {
    const names = [
      'realized.auc',
      'labels.coverage',
      'estimated.f1',
      'estimation_error.f1',
      'quality.missing_share.age',
      'my.realized.auc',
    ];
    const { errors } = prepareMetricPoints(
      names.map((metricName) => ({ modelId: MODEL, metricName, value: 1 })),
      NOW,
    );
    const message =
      'names starting with realized., labels., estimated., estimation_error. or quality. are computed by ModelWatch from logged predictions';
    expect(errors).toEqual(names.slice(0, 5).map((_name, i) => ({ field: `points[${i}].metricName`, message })));
  });

  it('allows recordedAt up to 5 minutes ahead of now', () => {
    expect(
      prepareMetricPoints([{ modelId: MODEL, metricName: 'm', value: 1, recordedAt: new Date('2025-03-01T12:05:00.000Z') }], NOW).errors,
    ).toEqual([]);
  });

  it('needs 1 to 10,000 points', () => {
    expect(prepareMetricPoints([], NOW).errors).toEqual([{ field: 'points', message: expect.any(String) }]);
    const many = Array.from({ length: 10_001 }, () => ({ modelId: MODEL, metricName: 'm', value: 1 }));
    expect(prepareMetricPoints(many, NOW).errors).toEqual([{ field: 'points', message: expect.any(String) }]);
  });
});

describe('prepareRecordBody', () => {
  it('rejects members other than points, and bodies that are not objects', () => {
    expect(prepareRecordBody({ points: [], extra: 1 }, NOW).errors).toEqual([{ field: 'extra', message: expect.any(String) }]);
    expect(prepareRecordBody([1], NOW).errors).toEqual([{ field: 'points', message: expect.any(String) }]);
    expect(prepareRecordBody({}, NOW).errors).toEqual([{ field: 'points', message: expect.any(String) }]);
  });
});
