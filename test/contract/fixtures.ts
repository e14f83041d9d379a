import type { TestApp } from 'test/support/test-app';

/** Realistic existing objects every operation's requests refer to. */
export interface Fixtures {
  model: { id: string; name: string };
  spareModels: { id: string; name: string }[];
  runId: string;
  alertId: string;
  ruleId: string;
  channelId: string;
  silenceId: string;
  checkId: string;
  testId: string;
  rolloutTestId: string;
  /** A labelled period of the model's predictions with an estimation reference fitted on it. */
  estimationFrom: string;
  estimationTo: string;
}

async function call(testApp: TestApp, method: 'get' | 'post' | 'put' | 'patch', url: string, body?: unknown) {
  const http = testApp.http();
  const response = await http[method](url).send(body as object);
  if (response.status >= 300) throw new Error(`fixture ${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function createFixtures(testApp: TestApp): Promise<Fixtures> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const model = await call(testApp, 'post', '/api/v1/models', { name: `contract-${suffix}`, taskType: 'binary_classification' });
  const spareModels = [];
  for (let index = 0; index < 3; index++)
    spareModels.push(await call(testApp, 'post', '/api/v1/models', { name: `contract-spare-${index}-${suffix}` }));
  const now = Date.now();
  const points = Array.from({ length: 48 }, (_, index) => ({
    modelId: model.id,
    metricName: 'accuracy',
    value: 0.9 + (index % 5) / 100,
    recordedAt: new Date(now - index * 3_600_000).toISOString(),
    modelVersion: index % 2 ? 'v1' : 'v2',
    segment: { region: index % 3 ? 'eu' : 'us' },
  }));
  await call(testApp, 'post', '/api/v1/metrics/record', { points });
  await call(testApp, 'put', `/api/v1/models/${model.id}/baselines/accuracy`, { value: 0.9, tolerance: 0.05 });
  const features = [
    { name: 'age', values: Array.from({ length: 50 }, (_, index) => 20 + index) },
    { name: 'plan', values: Array.from({ length: 50 }, (_, index) => ['a', 'b', 'c'][index % 3]) },
  ];
  await call(testApp, 'put', `/api/v1/models/${model.id}/reference`, { features });
  const predictions = [0, 1, 2].map((index) => ({
    modelId: model.id,
    predictionId: `fixture-${index}`,
    score: 0.5,
    predictedAt: new Date(now - 3_600_000).toISOString(),
    features: { age: 30 + index, plan: ['a', 'b', 'c'][index] },
  }));
  await call(testApp, 'post', '/api/v1/predictions', { predictions });
  const estimationFrom = new Date(now - 3 * 3_600_000).toISOString();
  const estimationTo = new Date(now - 3_600_000).toISOString();
  const scored = Array.from({ length: 120 }, (_, index) => ({ predictionId: `contract-e${index}`, score: (index + 0.5) / 120 }));
  await call(testApp, 'post', '/api/v1/predictions', {
    predictions: scored.map((p, index) => ({
      ...p,
      modelId: model.id,
      predictedAt: new Date(now - 2 * 3_600_000 + index * 1000).toISOString(),
    })),
  });
  await call(testApp, 'post', '/api/v1/labels', {
    labels: scored.map((p, index) => ({
      modelId: model.id,
      predictionId: p.predictionId,
      label: index % 3 === 0 || p.score > 0.7 ? 1 : 0,
    })),
  });
  await call(testApp, 'put', `/api/v1/models/${model.id}/estimation-reference`, { from: estimationFrom, to: estimationTo });
  const check = await call(testApp, 'post', '/api/v1/drift/check', { modelId: model.id, current: { features } });
  await call(testApp, 'put', `/api/v1/models/${model.id}/retrain-policy`, { enabled: false });
  const run = await call(testApp, 'post', '/api/v1/training-runs', { modelId: model.id, status: 'running' });
  const alert = await call(testApp, 'post', '/api/v1/alerts', {
    modelId: model.id,
    type: 'custom',
    severity: 'warning',
    title: 'contract',
  });
  const rule = await call(testApp, 'post', '/api/v1/alert-rules', {
    modelId: model.id,
    metricName: 'accuracy',
    aggregation: 'avg',
    windowMinutes: 60,
    comparator: 'lt',
    threshold: 0.5,
    severity: 'warning',
  });
  // deliveries are never attempted in tests (outbox polling off); the test endpoint meets a closed loopback port
  const channel = await call(testApp, 'post', '/api/v1/alert-channels', { name: `hook-${suffix}`, url: 'http://127.0.0.1:9/hook' });
  const silence = await call(testApp, 'post', '/api/v1/silences', {
    matchers: [{ name: 'model', operator: '=', value: model.name }],
    endsAt: new Date(now + 86_400_000).toISOString(),
    createdBy: 'contract',
    comment: 'fixture',
  });
  const test = await call(testApp, 'post', '/api/v1/ab-test/start', {
    modelId: model.id,
    name: `contract test ${suffix}`,
    primaryMetric: 'conversion',
    metricType: 'binary',
    variants: [
      { name: 'control', weight: 1 },
      { name: 'challenger', weight: 1 },
    ],
  });
  await call(testApp, 'post', `/api/v1/ab-test/${test.id}/observations`, {
    aggregates: [
      { variant: 'control', count: 500, sum: 50 },
      { variant: 'challenger', count: 500, sum: 60 },
    ],
  });
  const rollout = await call(testApp, 'post', '/api/v1/ab-test/start', {
    modelId: model.id,
    name: `contract rollout ${suffix}`,
    mode: 'rollout',
    primaryMetric: 'conversion',
    metricType: 'binary',
    variants: [
      { name: 'champion', modelVersion: 'v1', weight: 1 },
      { name: 'challenger', modelVersion: 'v2', weight: 1 },
    ],
    rollout: { steps: [0.1, 1] },
  });
  return {
    model: { id: model.id, name: model.name },
    spareModels: spareModels.map((spare) => ({ id: spare.id, name: spare.name })),
    runId: run.id,
    alertId: alert.id,
    ruleId: rule.id,
    channelId: channel.id,
    silenceId: silence.id,
    checkId: check.checkId,
    testId: test.id,
    rolloutTestId: rollout.id,
    estimationFrom,
    estimationTo,
  };
}
