/**
 * Data for the dashboard's browser tests, screenshots and benchmark, recorded through the HTTP API only.
 * The clock is moved (TestClock) so drift checks and alerts spread over days, as they would in production.
 */
import type { TestClock } from 'test/support/test-clock';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ApiCaller {
  <T = any>(method: string, path: string, body?: unknown): Promise<T>;
}

export function apiCaller(baseUrl: string, key?: string): ApiCaller {
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 400)}`);
    return (text ? JSON.parse(text) : null) as never;
  };
}

/** Deterministic uniform [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(next: () => number, mean: number, sd: number): number {
  return mean + sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/**
 * fraud-detector's logged traffic: 40 scored predictions an hour over the week, the first five days labelled (a
 * calibrated model: label 1 with probability = score), and its CBPE reference fitted on days 7–5 ago, so the model page
 * shows realized vs estimated.
 */
async function logScoredTraffic(api: ApiCaller, modelId: string, next: () => number, now: number): Promise<void> {
  const start = now - 7 * DAY;
  const rows = Array.from({ length: 7 * 24 * 40 }, (_, i) => {
    const score = next();
    return {
      predictionId: `seed-${i}`,
      predictedAt: new Date(start + i * (HOUR / 40)).toISOString(),
      score,
      label: next() < score ? 1 : 0,
    };
  });
  for (let i = 0; i < rows.length; i += 5_000) {
    const batch = rows.slice(i, i + 5_000);
    await api('POST', '/predictions', { predictions: batch.map(({ label: _label, ...row }) => ({ ...row, modelId })) });
    const labelled = batch.filter((row) => Date.parse(row.predictedAt) < now - 2 * DAY);
    if (labelled.length)
      await api('POST', '/labels', { labels: labelled.map((row) => ({ modelId, predictionId: row.predictionId, label: row.label })) });
  }
  await api('PUT', `/models/${modelId}/estimation-reference`, {
    from: new Date(start).toISOString(),
    to: new Date(now - 5 * DAY).toISOString(),
  });
}

export async function createModel(api: ApiCaller, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const model = await api<{ id: string }>('POST', '/models', { name, ...extra });
  return model.id;
}

/** `count` points of one metric spread evenly over [now − days, now), in batches of 10,000. */
export async function recordSeries(
  api: ApiCaller,
  options: {
    modelId: string;
    metricName: string;
    days: number;
    count: number;
    value: (at: number, i: number) => number;
    version?: (at: number) => string;
    environment?: string;
  },
): Promise<void> {
  const now = Date.now() - 60_000;
  const start = now - options.days * DAY;
  const step = (now - start) / options.count;
  for (let offset = 0; offset < options.count; offset += 10_000) {
    const points = [];
    for (let i = offset; i < Math.min(options.count, offset + 10_000); i++) {
      const at = start + i * step;
      points.push({
        modelId: options.modelId,
        metricName: options.metricName,
        value: options.value(at, i),
        recordedAt: new Date(at).toISOString(),
        environment: options.environment ?? 'production',
        modelVersion: options.version?.(at),
      });
    }
    await api('POST', '/metrics/record', { points });
  }
}

export interface DashboardSeed {
  fraudId: string;
  churnId: string;
  rankerId: string;
  abTestId: string;
  firingAlertId: string;
  checkIds: string[];
}

/** Three models with metrics, versions, runs, a baseline, alerts, a week of drift checks and an A/B test. */
export async function seedDashboard(api: ApiCaller, clock: TestClock): Promise<DashboardSeed> {
  const next = random(42);
  const fraudId = await createModel(api, 'fraud-detector', {
    displayName: 'Fraud detector',
    taskType: 'binary_classification',
    owner: 'risk-ml',
    tags: ['payments'],
  });
  const churnId = await createModel(api, 'churn-model', { displayName: 'Churn model', taskType: 'binary_classification', owner: 'growth' });
  const rankerId = await createModel(api, 'search-ranker', { displayName: 'Search ranker', taskType: 'ranking', owner: 'search' });
  const now = Date.now();
  const switchAt = now - 3 * DAY;

  // fraud-detector: v1 then v2 (better), a dip 30 h ago (anomalies), latency alongside
  await recordSeries(api, {
    modelId: fraudId,
    metricName: 'accuracy',
    days: 7,
    count: 1_680,
    version: (at) => (at < switchAt ? 'v1' : 'v2'),
    value: (at) => {
      const base = at < switchAt ? 0.915 : 0.936;
      const dip = Math.abs(at - (now - 30 * HOUR)) < 2 * HOUR ? -0.06 : 0;
      return Math.min(0.999, base + dip + 0.006 * Math.sin(at / (6 * HOUR)) + normal(next, 0, 0.004));
    },
  });
  await logScoredTraffic(api, fraudId, next, now);
  await recordSeries(api, {
    modelId: fraudId,
    metricName: 'latency_ms',
    days: 7,
    count: 336,
    value: (at) => 42 + 6 * Math.sin(at / (12 * HOUR)) + normal(next, 0, 2),
    version: (at) => (at < switchAt ? 'v1' : 'v2'),
  });
  await recordSeries(api, {
    modelId: churnId,
    metricName: 'auc',
    days: 7,
    count: 336,
    value: (at) => 0.81 - 0.02 * (now - at < 2 * DAY ? 1 : 0) + normal(next, 0, 0.005),
    version: () => 'v7',
  });
  await recordSeries(api, {
    modelId: rankerId,
    metricName: 'ndcg',
    days: 7,
    count: 336,
    value: (at) => 0.64 + 0.01 * Math.sin(at / DAY) + normal(next, 0, 0.004),
    version: () => 'r12',
  });

  await api('PUT', `/models/${fraudId}/baselines/accuracy`, { value: 0.92, tolerance: 0.02, direction: 'higher_is_better' });
  await api('PUT', `/models/${churnId}/baselines/auc`, { value: 0.82, tolerance: 0.01, direction: 'higher_is_better' });

  const iso = (ms: number) => new Date(ms).toISOString();
  await api('POST', '/training-runs', {
    modelId: fraudId,
    modelVersion: 'v1',
    trigger: 'scheduled',
    status: 'succeeded',
    queuedAt: iso(now - 6.5 * DAY),
    startedAt: iso(now - 6.5 * DAY + 60_000),
    finishedAt: iso(now - 6.5 * DAY + 1_860_000),
    metrics: { accuracy: 0.917, auc: 0.951 },
  });
  await api('POST', '/training-runs', {
    modelId: fraudId,
    modelVersion: 'v2',
    trigger: 'data_drift',
    status: 'succeeded',
    reason: 'income drifted',
    queuedAt: iso(switchAt - 2 * HOUR),
    startedAt: iso(switchAt - 2 * HOUR + 30_000),
    finishedAt: iso(switchAt - 600_000),
    metrics: { accuracy: 0.937, auc: 0.962 },
  });
  await api('POST', '/training-runs', {
    modelId: churnId,
    modelVersion: 'v8',
    trigger: 'performance_degradation',
    status: 'running',
    queuedAt: iso(now - HOUR),
    startedAt: iso(now - 50 * 60_000),
  });

  // drift: a reference, then a check every 12 hours for a week (income drifts in the last days)
  await api('PUT', `/models/${fraudId}/reference`, {
    features: [
      { name: 'amount', values: Array.from({ length: 400 }, () => Math.exp(normal(next, 3, 0.6))) },
      { name: 'income', values: Array.from({ length: 400 }, () => normal(next, 50, 12)) },
      { name: 'age', values: Array.from({ length: 400 }, () => Math.round(normal(next, 40, 11))) },
      { name: 'device', values: Array.from({ length: 400 }, (_, i) => ['ios', 'android', 'web'][i % 3]) },
      { name: 'country', values: Array.from({ length: 400 }, (_, i) => ['de', 'fr', 'us', 'uk'][i % 4]) },
    ],
  });
  const checkIds: string[] = [];
  for (let k = 14; k >= 1; k--) {
    clock.set(new Date(now - k * 12 * HOUR));
    const shift = k <= 5 ? (6 - k) * 4 : 0;
    const check = await api<{ checkId: string }>('POST', '/drift/check', {
      modelId: fraudId,
      triggerRetrain: false,
      current: {
        features: [
          { name: 'amount', values: Array.from({ length: 300 }, () => Math.exp(normal(next, 3, 0.6))) },
          { name: 'income', values: Array.from({ length: 300 }, () => normal(next, 50 + shift, 12)) },
          { name: 'age', values: Array.from({ length: 300 }, () => Math.round(normal(next, 40, 11))) },
          { name: 'device', values: Array.from({ length: 300 }, (_, i) => ['ios', 'android', 'web'][k <= 2 ? i % 2 : i % 3]) },
          { name: 'country', values: Array.from({ length: 300 }, (_, i) => ['de', 'fr', 'us', 'uk'][i % 4]) },
        ],
      },
    });
    checkIds.push(check.checkId);
  }

  // alerts spread over the week: some resolved by people, some auto-resolved, some open
  clock.set(new Date(now - 5 * DAY));
  const old = await api<{ id: string }>('POST', '/alerts', {
    modelId: churnId,
    type: 'metric_threshold',
    severity: 'warning',
    title: 'auc below 0.80',
  });
  await api('POST', `/alerts/${old.id}/resolve`, { by: 'modelwatch', note: 'condition cleared' });
  clock.set(new Date(now - 4 * DAY));
  const custom = await api<{ id: string }>('POST', '/alerts', {
    modelId: rankerId,
    type: 'custom',
    severity: 'info',
    title: 'index rebuilt',
  });
  await api('POST', `/alerts/${custom.id}/resolve`, { by: 'alice', note: 'expected' });
  clock.set(new Date(now - 30 * HOUR));
  const dip = await api<{ id: string }>('POST', '/alerts', {
    modelId: fraudId,
    type: 'metric_anomaly',
    severity: 'warning',
    title: 'accuracy anomaly',
  });
  clock.set(new Date(now - 27 * HOUR));
  await api('POST', `/alerts/${dip.id}/resolve`, { by: 'bob', note: 'upstream outage' });
  clock.set(new Date(now - 20 * HOUR));
  const degraded = await api<{ id: string }>('POST', '/alerts', {
    modelId: churnId,
    type: 'performance_degradation',
    severity: 'critical',
    title: 'auc 2.4% below baseline',
    message: 'auc 0.79 vs baseline 0.82 (tolerance 1%)',
  });
  clock.set(new Date(now - 6 * HOUR));
  const acked = await api<{ id: string }>('POST', '/alerts', {
    modelId: rankerId,
    type: 'metric_threshold',
    severity: 'warning',
    title: 'ndcg p95 latency high',
  });
  await api('POST', `/alerts/${acked.id}/acknowledge`, { by: 'carol' });
  clock.set(new Date(now));

  // A/B test: 50/50 intended, a visible lift for the challenger; a batch a day for a week (the cumulative lift)
  clock.set(new Date(now - 7 * DAY));
  const test = await api<{ id: string }>('POST', '/ab-test/start', {
    modelId: fraudId,
    name: 'fraud v2 vs v3',
    primaryMetric: 'approval_rate',
    metricType: 'binary',
    hypothesis: 'v3 approves more legitimate payments',
    variants: [
      { name: 'control', modelVersion: 'v2', weight: 0.5 },
      { name: 'challenger', modelVersion: 'v3', weight: 0.5 },
    ],
  });
  for (let day = 6; day >= 0; day--) {
    clock.set(new Date(now - day * DAY - HOUR));
    const control = 680 + Math.round(80 * next());
    const challenger = 700 + Math.round(80 * next());
    await api('POST', `/ab-test/${test.id}/observations`, {
      aggregates: [
        { variant: 'control', count: control, sum: Math.round(control * (0.82 + 0.02 * (next() - 0.5))) },
        { variant: 'challenger', count: challenger, sum: Math.round(challenger * (0.84 + 0.02 * (next() - 0.5))) },
      ],
    });
  }
  clock.set(new Date(now));
  return { fraudId, churnId, rankerId, abTestId: test.id, firingAlertId: degraded.id, checkIds };
}
