/** Model page: every API call it needs, in parallel; each section keeps its own error. */
import { api, ApiError, type Alert, type LatestMetric, type MetricAggregation, type MetricBucket } from '@/api';
import type { PageContext } from '@/app/page';
import { isUuid } from '@/app/route-match';
import { NotFound, settle } from '@/app/states';
import { readCursors } from '@/app/widgets';
import { loadEstimation } from '@/pages/model/estimation';
import { DEFAULT_RANGE, rangeBounds, RANGES, versionsToCompare } from '@/pages/model/series';

export const FORECAST_HORIZON = 12;

export async function loadModel(ctx: PageContext) {
  const modelId = ctx.params.modelId;
  if (!isUuid(modelId)) throw new NotFound('Model not found', `"${modelId}" is not a model id.`);
  const q = ctx.query;
  const range = q.get('range') && RANGES[q.get('range') as string] ? (q.get('range') as string) : DEFAULT_RANGE;
  const bucket = (q.get('bucket') || undefined) as MetricBucket | undefined;
  const aggregation = (q.get('aggregation') || 'avg') as MetricAggregation;
  const { from, to } = rangeBounds(range, Date.now());
  const runCursors = readCursors(q, 'runs');
  const trendOf = (metricName: string, environment: string) =>
    settle(
      api.metrics.trend({
        modelId,
        metricName,
        environment,
        from,
        to,
        bucket,
        aggregation,
        forecastHorizon: FORECAST_HORIZON,
        band: aggregation === 'avg' || aggregation === 'p50',
      }),
    );
  // everything in one round trip; the trend too when the URL names the metric (a linked or reloaded page)
  const linkedMetric = q.get('metricName');
  const [model, latest, linkedTrend, baselines, degradation, runs, alerts, summary, runsInRange] = await Promise.all([
    api.models.get(modelId).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) throw new NotFound('Model not found', `No model has id ${modelId}.`);
      throw error;
    }),
    settle(api.metrics.latest({ modelId })),
    linkedMetric ? trendOf(linkedMetric, q.get('environment') ?? 'production') : Promise.resolve(null),
    settle(api.models.baselines(modelId, { limit: 100 })),
    settle(api.metrics.degradation(modelId)),
    settle(api.trainingRuns.list({ modelId, limit: 10, cursor: runCursors[runCursors.length - 1] })),
    settle(api.alerts.list({ modelId, limit: 200 })),
    settle(api.models.trainingSummary(modelId)),
    settle(api.trainingRuns.list({ modelId, limit: 100, from, to })),
  ]);
  const latestItems: LatestMetric[] = latest instanceof Error ? [] : latest.items;
  const metricName =
    linkedMetric ?? latestItems.find((l) => l.environment === 'production')?.metricName ?? latestItems[0]?.metricName ?? null;
  const environment =
    q.get('environment') ??
    (linkedMetric ? 'production' : latestItems.find((l) => l.metricName === metricName)?.environment) ??
    'production';
  const versions = versionsToCompare(
    runs instanceof Error ? [] : runs.items,
    latestItems.map((l) => l.modelVersion),
  );
  const [trend, comparison, estimation] = await Promise.all([
    linkedTrend ?? (metricName ? trendOf(metricName, environment) : Promise.resolve(null)),
    metricName && versions.length >= 2
      ? settle(api.metrics.compare({ modelId, modelVersions: versions, metricName, environment, from, to }))
      : Promise.resolve(null),
    loadEstimation(modelId, model.taskType, q, { from, to, bucket, environment }),
  ]);
  const selectedRun = q.get('run');
  const alertsInRange: Alert[] = alerts instanceof Error ? [] : alerts.items;
  return {
    model,
    latest,
    latestItems,
    metricName,
    environment,
    range,
    bucket,
    aggregation,
    from,
    to,
    trend,
    baselines,
    degradation,
    runs,
    runCursors,
    runsInRange,
    alerts: alertsInRange,
    summary,
    versions,
    comparison,
    estimation,
    selectedRun,
  };
}
export type ModelData = Awaited<ReturnType<typeof loadModel>>;
