/**
 * Model page, binary and multiclass classifiers: realized vs estimated (CBPE) performance. The estimate (with its ±3 SE
 * band) covers every bucket, labelled or not; the realized line appears as labels land where the metric has a
 * realized.* counterpart; the stats say how good the estimates were.
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
 * What CBPE serves per task type (docs/predictions.md, "Estimated performance"): the `estimated.*` metrics, those with
 * a `realized.*` counterpart (the ones estimation_error and estimation-quality compare), and how the how-to names them.
 */
const CBPE_TASKS: Record<CbpeTaskType, { estimated: readonly CbpeMetric[]; realized: readonly CbpeMetric[]; prose: string }> = {
  binary_classification: {
    estimated: ['accuracy', 'precision', 'recall', 'f1', 'auc'],
    realized: ['accuracy', 'precision', 'recall', 'f1', 'auc'],
    prose: 'accuracy, precision, recall, F1 and AUC',
  },
  multiclass_classification: {
    estimated: ['accuracy', 'macro_precision', 'macro_recall', 'macro_f1', 'macro_auc'],
    realized: ['accuracy', 'macro_precision', 'macro_recall', 'macro_f1'],
    prose: 'accuracy and macro-averaged precision, recall, F1 and AUC',
  },
};

export interface EstimationData {
  taskType: CbpeTaskType;
  metric: CbpeMetric;
  /** False: the model has no estimation reference yet (nothing else was asked). */
  fitted: boolean;
  estimated: MetricTrend | Error | null;
  /** Realized and quality: null when not asked (not fitted, or the metric has no realized.* counterpart). */
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
  const { estimated: metrics, realized: compared } = CBPE_TASKS[taskType];
  const asked = q.get('estimate');
  const metric = metrics.find((m) => m === asked) ?? 'accuracy';
  const reference = await settle(api.models.estimationReference(modelId));
  if (reference instanceof ApiError && reference.status === 404)
    return { taskType, metric, fitted: false, estimated: null, realized: null, quality: null };
  const trend = (metricName: string) => settle(api.metrics.trend({ modelId, metricName, ...range }));
  // no realized.* counterpart: neither a realized line nor a quality to ask for
  const hasRealized = compared.includes(metric);
  const [estimated, realized, quality] = await Promise.all([
    trend(`estimated.${metric}`),
    hasRealized ? trend(`realized.${metric}`) : Promise.resolve(null),
    hasRealized ? settle(api.models.estimationQuality(modelId, range)) : Promise.resolve(null),
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
  // null: the metric has no realized.* counterpart, so only the estimate is drawn
  const realized = d.realized as MetricTrend | null;
  const metricPicker = picker('Estimated metric', 'estimate', d.metric, [...task.estimated], onMetric);
  const at = (bucketStart: string) => Date.parse(bucketStart);
  const band = estimated.points
    .filter((p) => p.lower !== undefined && p.upper !== undefined)
    .map((p) => [at(p.bucketStart), p.lower as number, p.upper as number] as [number, number, number]);
  const realizedAt = new Map((realized?.points ?? []).map((p) => [p.bucketStart, p.value]));
  const chart =
    estimated.points.length === 0
      ? emptyState(`predictions in this range`, 'POST /api/v1/predictions')
      : lineChart({
          name: 'estimation',
          title: `${d.metric}: estimated (CBPE)${realized ? ' and realized' : ''} · ${estimated.bucket} buckets`,
          summary: realized
            ? `${estimated.points.length} estimated buckets, ${realized.points.length} with a realized value so far`
            : `${estimated.points.length} estimated buckets; ${d.metric} has no realized counterpart`,
          table: {
            columns: ['Bucket', 'Estimated', 'Lower', 'Upper', ...(realized ? ['Realized'] : [])],
            rows: estimated.points.map((p) => [
              p.bucketStart,
              formatNumber(p.value),
              p.lower === undefined ? '—' : formatNumber(p.lower),
              p.upper === undefined ? '—' : formatNumber(p.upper),
              ...(realized ? [realizedAt.has(p.bucketStart) ? formatNumber(realizedAt.get(p.bucketStart) as number) : '—'] : []),
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
            ...(realized
              ? [
                  {
                    name: `realized ${d.metric}`,
                    points: realized.points.map((p) => [at(p.bucketStart), p.value] as [number, number]),
                    color: COLORS.primary,
                  },
                ]
              : []),
          ],
          bands: band.length ? [{ name: '±3 SE', points: band, color: COLORS.forecastBand }] : [],
        });
  const summary = realized ? qualityStats(d.quality, d.metric) : noRealizedNote(d.metric, task.realized);
  return card(title, h('div', { 'data-panel': 'estimation' }, summary, chart), { actions: metricPicker });
}

/** A metric without realized.* counterpart (multiclass macro AUC): said, not silently left out. */
function noRealizedNote(metric: CbpeMetric, compared: readonly CbpeMetric[]): HTMLElement {
  return h(
    'p',
    { class: 'muted', 'data-note': 'no-realized' },
    `${metric} has no realized counterpart for this model, so only the estimate is drawn and its quality is not measured `,
    `(realized values and estimation quality: ${compared.join(', ')}).`,
  );
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
