/**
 * Model page, binary and multiclass classifiers: realized vs estimated (CBPE) performance. The estimate (with its ±3 SE
 * band) covers every bucket, labelled or not; the realized line (realized.<m>, every estimated metric has one)
 * appears as labels land; the stats say how good the estimates were.
 */
import { api, ApiError, type CbpeMetric, type EstimationQuality, type MetricBucket, type MetricTrend, type TaskType } from '@/api';
import { h } from '@/app/dom';
import { formatNumber, formatPercent } from '@/app/format';
import { emptyState, errorState, isFailure, settle } from '@/app/states';
import { card, picker, stat } from '@/app/widgets';
import { lineChart } from '@/charts/line';
import { COLORS } from '@/charts/palette';

type CbpeTaskType = Extract<TaskType, 'binary_classification' | 'multiclass_classification'>;

/**
 * What CBPE serves per task type (docs/predictions.md, "Estimated performance"): the `estimated.*` metrics (each with
 * its `realized.*` counterpart, which estimation_error and estimation-quality compare) and how the how-to names them.
 */
const CBPE_TASKS: Record<CbpeTaskType, { estimated: readonly CbpeMetric[]; prose: string }> = {
  binary_classification: {
    estimated: ['accuracy', 'precision', 'recall', 'f1', 'auc'],
    prose: 'accuracy, precision, recall, F1 and AUC',
  },
  multiclass_classification: {
    estimated: ['accuracy', 'macro_precision', 'macro_recall', 'macro_f1', 'macro_auc'],
    prose: 'accuracy and macro-averaged precision, recall, F1 and AUC',
  },
};

export interface EstimationData {
  taskType: CbpeTaskType;
  metric: CbpeMetric;
  /** False: the model has no estimation reference yet (nothing else was asked). */
  fitted: boolean;
  estimated: MetricTrend | Error | null;
  /** Realized and quality: null when not asked (not fitted). */
  realized: MetricTrend | Error | null;
  quality: EstimationQuality | Error | null;
}

const isCbpeTask = (taskType: string | null | undefined): taskType is CbpeTaskType =>
  taskType === 'binary_classification' || taskType === 'multiclass_classification';

/** Null for a model CBPE does not serve (anything but a binary or multiclass classifier). */
export async function loadEstimation(
  modelId: string,
  taskType: string | null | undefined,
  q: URLSearchParams,
  range: { from: string; to: string; bucket?: MetricBucket; environment: string },
): Promise<EstimationData | null> {
  if (!isCbpeTask(taskType)) return null;
  const metrics = CBPE_TASKS[taskType].estimated;
  const asked = q.get('estimate');
  const metric = metrics.find((m) => m === asked) ?? 'accuracy';
  const reference = await settle(api.models.estimationReference(modelId));
  if (reference instanceof ApiError && reference.status === 404)
    return { taskType, metric, fitted: false, estimated: null, realized: null, quality: null };
  const trend = (metricName: string) => settle(api.metrics.trend({ modelId, metricName, ...range }));
  const [estimated, realized, quality] = await Promise.all([
    trend(`estimated.${metric}`),
    trend(`realized.${metric}`),
    settle(api.models.estimationQuality(modelId, range)),
  ]);
  return { taskType, metric, fitted: true, estimated, realized, quality };
}

export function estimationCard(d: EstimationData, modelId: string, onMetric: (metric: string) => void): HTMLElement {
  const title = 'Realized vs estimated (CBPE)';
  const task = CBPE_TASKS[d.taskType];
  if (!d.fitted)
    return card(
      title,
      emptyState(
        'estimation reference',
        `PUT /api/v1/models/${modelId}/estimation-reference {"from": …, "to": …} (a labelled period)`,
        h('p', null, `CBPE then estimates ${task.prose} for every bucket before its labels land.`),
      ),
    );
  const failure = [d.estimated, d.realized].find(isFailure);
  if (failure) return card(title, errorState(failure));
  const estimated = d.estimated as MetricTrend;
  const realized = d.realized as MetricTrend;
  const metricPicker = picker('Estimated metric', 'estimate', d.metric, [...task.estimated], onMetric);
  const at = (bucketStart: string) => Date.parse(bucketStart);
  const band = estimated.points
    .filter((p) => p.lower !== undefined && p.upper !== undefined)
    .map((p) => [at(p.bucketStart), p.lower as number, p.upper as number] as [number, number, number]);
  const realizedAt = new Map(realized.points.map((p) => [p.bucketStart, p.value]));
  const chart =
    estimated.points.length === 0
      ? emptyState(`predictions in this range`, 'POST /api/v1/predictions')
      : lineChart({
          name: 'estimation',
          title: `${d.metric}: estimated (CBPE) and realized · ${estimated.bucket} buckets`,
          summary: `${estimated.points.length} estimated buckets, ${realized.points.length} with a realized value so far`,
          table: {
            columns: ['Bucket', 'Estimated', 'Lower', 'Upper', 'Realized'],
            rows: estimated.points.map((p) => [
              p.bucketStart,
              formatNumber(p.value),
              p.lower === undefined ? '—' : formatNumber(p.lower),
              p.upper === undefined ? '—' : formatNumber(p.upper),
              realizedAt.has(p.bucketStart) ? formatNumber(realizedAt.get(p.bucketStart) as number) : '—',
            ]),
          },
          size: 'md',
          yName: d.metric,
          lines: [
            {
              name: `estimated ${d.metric}`,
              points: estimated.points.map((p) => [at(p.bucketStart), p.value]),
              color: COLORS.forecast,
              dashed: true,
            },
            {
              name: `realized ${d.metric}`,
              points: realized.points.map((p) => [at(p.bucketStart), p.value] as [number, number]),
              color: COLORS.primary,
            },
          ],
          bands: band.length ? [{ name: '±3 SE', points: band, color: COLORS.forecastBand }] : [],
        });
  return card(title, h('div', { 'data-panel': 'estimation' }, qualityStats(d.quality, d.metric), chart), { actions: metricPicker });
}

/** How the estimates did where labels landed: buckets compared, bias, MAE, band coverage (this metric). */
function qualityStats(quality: EstimationQuality | Error | null, metric: CbpeMetric): HTMLElement | null {
  if (quality === null) return null;
  if (quality instanceof Error) return errorState(quality);
  const row = quality.metrics.find((m) => m.metric === metric);
  if (!row) return null;
  const none = row.bucketsCompared === 0;
  return h(
    'div',
    { class: 'stats-row' },
    stat('Buckets compared', String(row.bucketsCompared), {
      hint: `≥ ${formatPercent(quality.minCoverage, 0)} of their predictions labelled`,
      testId: 'estimation-compared',
    }),
    stat('Bias', none || row.bias === null ? '—' : `${row.bias >= 0 ? '+' : ''}${formatNumber(row.bias)}`, {
      hint: 'mean estimate − realized',
      testId: 'estimation-bias',
    }),
    stat('Mean abs. error', none || row.meanAbsoluteError === null ? '—' : formatNumber(row.meanAbsoluteError), {
      testId: 'estimation-mae',
    }),
    stat('Realized inside band', none || row.withinBandShare === null ? '—' : formatPercent(row.withinBandShare, 0), {
      hint: 'share of compared buckets',
      testId: 'estimation-within',
    }),
  );
}
