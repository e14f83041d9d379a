/** Drift /ui/models/{id}/drift: the features × time heatmap; a cell opens that bucket's check, its per-feature results and distributions. */
import { api, ApiError, calls, type DriftCheck, type HeatmapBucket } from '@/api';
import { h, link } from '@/app/dom';
import { formatNumber, formatPercent, formatTime, humanize } from '@/app/format';
import { definePage, type PageContext } from '@/app/page';
import { isUuid, uiUrl } from '@/app/route-match';
import { emptyState, errorState, isFailure, NotFound, settle } from '@/app/states';
import { badge, card, pageHeader, picker, table } from '@/app/widgets';
import { barChart } from '@/charts/bar';
import { heatmapChart } from '@/charts/heatmap';
import { COLORS } from '@/charts/palette';
import { RANGES } from '@/pages/model/series';
import { HEATMAP_BUCKET_MS, heatmapModel, histogramSeries } from '@/pages/drift/heatmap-model';

const SPANS: Record<string, number> = { '1h': 2 * 86_400_000, '6h': 7 * 86_400_000, '1d': 30 * 86_400_000, '1w': 180 * 86_400_000 };

async function load(ctx: PageContext) {
  const modelId = ctx.params.modelId;
  if (!isUuid(modelId)) throw new NotFound('Model not found', `"${modelId}" is not a model id.`);
  const model = await api.models.get(modelId).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) throw new NotFound('Model not found', `No model has id ${modelId}.`);
    throw error;
  });
  const bucket = (ctx.query.get('bucket') ?? '1d') as HeatmapBucket;
  const range = ctx.query.get('range');
  const to = Date.now();
  const from = to - (range && RANGES[range] ? RANGES[range] : (SPANS[bucket] ?? SPANS['1d']));
  // the heatmap (the slow call: every feature result in the range) and the check to show are independent: in parallel
  const heatmapCall = settle(api.drift.heatmap({ modelId, bucket, from: new Date(from).toISOString(), to: new Date(to).toISOString() }));
  const cellStart = ctx.query.get('cell');
  const checkCall = (async () => {
    let checkId = ctx.query.get('check');
    let bucketChecks: Awaited<ReturnType<typeof api.drift.checks>> | Error | null = null;
    if (!checkId && cellStart) {
      const start = Date.parse(cellStart);
      bucketChecks = await settle(
        api.drift.checks({
          modelId,
          from: new Date(start).toISOString(),
          to: new Date(start + HEATMAP_BUCKET_MS[bucket]).toISOString(),
          limit: 50,
        }),
      );
      if (!isFailure(bucketChecks)) checkId = bucketChecks.items[0]?.checkId ?? null;
    }
    const recent = checkId ? null : await settle(api.drift.checks({ modelId, limit: 1 }));
    if (!checkId && recent && !isFailure(recent)) checkId = recent.items[0]?.checkId ?? null;
    const check = checkId ? await settle(api.drift.check(checkId)) : null;
    return { bucketChecks, check };
  })();
  const [heatmap, { bucketChecks, check }] = await Promise.all([heatmapCall, checkCall]);
  return {
    model,
    bucket,
    range: range && RANGES[range] ? range : undefined,
    heatmap,
    check,
    bucketChecks,
    feature: ctx.query.get('feature'),
    cell: cellStart,
  };
}
type Data = Awaited<ReturnType<typeof load>>;

function view(d: Data, ctx: PageContext): Node {
  const base = `/models/${d.model.id}/drift`;
  return h(
    'div',
    { class: 'page', 'data-page': 'drift' },
    pageHeader(
      `Drift · ${d.model.displayName ?? d.model.name}`,
      'Per-feature drift over time: colour is the highest score in the bucket; outlined cells drifted.',
      null,
      [link('/ui', 'Overview'), ' / ', link(`/ui/models/${d.model.id}`, d.model.name), ' / drift'],
    ),
    h(
      'div',
      { class: 'pickers' },
      picker('Bucket', 'bucket', d.bucket, Object.keys(SPANS), (v) => ctx.navigate(uiUrl(base, { bucket: v, range: d.range }))),
      picker('Range', 'range', d.range ?? '', [['', 'default'], ...Object.keys(RANGES).map((r) => [r, r] as [string, string])], (v) =>
        ctx.navigate(uiUrl(base, { bucket: d.bucket, range: v || undefined })),
      ),
    ),
    heatmapCard(d, ctx, base),
    checkCard(d, ctx, base),
  );
}

function heatmapCard(d: Data, ctx: PageContext, base: string): HTMLElement {
  if (isFailure(d.heatmap)) return card('Heatmap', errorState(d.heatmap));
  const heatmap = d.heatmap;
  if (heatmap.features.length === 0) return card('Heatmap', emptyState('drift checks in this range', calls.driftChecks));
  const m = heatmapModel(heatmap);
  return card(
    `Features × ${heatmap.bucket} buckets`,
    heatmapChart({
      name: 'drift-heatmap',
      title: 'Drift score by feature and time',
      summary: `${heatmap.features.length} features over ${heatmap.buckets.length} buckets from ${formatTime(heatmap.from)}; ${m.cells.length} cells with checks, ${m.driftedCells} drifted.`,
      table: {
        columns: ['Feature', 'Bucket start', 'Checks', 'Max score', 'Drifted'],
        rows: heatmap.features.flatMap((f) =>
          f.cells
            .filter((c) => c.checkCount > 0)
            .map((c) => [f.name, formatTime(c.bucketStart), c.checkCount, formatNumber(c.maxScore), c.drifted ? 'yes' : 'no']),
        ),
      },
      xLabels: m.xLabels,
      yLabels: m.yLabels,
      cells: m.cells,
      min: m.min,
      max: m.max,
      valueName: 'score',
      // the opened cell: keyboard focus comes back to it
      selected: d.cell ? { x: heatmap.buckets.indexOf(d.cell), y: heatmap.features.findIndex((f) => f.name === d.feature) } : undefined,
      onCellClick: (x, y) =>
        ctx.navigate(uiUrl(base, { bucket: d.bucket, range: d.range, cell: heatmap.buckets[x], feature: heatmap.features[y].name })),
    }),
  );
}

function checkCard(d: Data, ctx: PageContext, base: string): HTMLElement {
  if (d.bucketChecks && isFailure(d.bucketChecks)) return card('Check', errorState(d.bucketChecks));
  if (!d.check) return card('Check', emptyState('drift checks', calls.driftChecks));
  if (isFailure(d.check)) return card('Check', errorState(d.check));
  const check = d.check;
  const selected = check.features.find((f) => f.name === d.feature) ?? check.features.find((f) => f.drifted) ?? check.features[0];
  const rows = check.features.map((f) => [
    h(
      'a',
      {
        href: uiUrl(base, { bucket: d.bucket, check: check.checkId, feature: f.name }),
        'data-link': true,
        'aria-current': f === selected ? 'true' : undefined,
      },
      f.name,
    ),
    humanize(f.type),
    f.stattest,
    formatNumber(f.score),
    formatNumber(f.threshold),
    f.drifted ? badge('Drifted', 'bad') : badge('OK', 'ok'),
    `${f.referenceSize} / ${f.currentSize}`,
  ]);
  return card(
    `Check of ${formatTime(check.checkedAt)}`,
    h(
      'div',
      { class: 'grid grid-2' },
      h(
        'div',
        null,
        h(
          'p',
          null,
          check.datasetDrift ? badge('Dataset drift', 'bad') : badge('No dataset drift', 'ok'),
          ' ',
          `${check.numberOfDriftedFeatures} of ${check.numberOfFeatures} features drifted (${formatPercent(check.driftShare)}; threshold ${formatPercent(check.driftShareThreshold)}).`,
        ),
        d.bucketChecks && !isFailure(d.bucketChecks) && d.bucketChecks.items.length > 1
          ? h('p', { class: 'muted small' }, `${d.bucketChecks.items.length} checks in this bucket; showing the latest.`)
          : null,
        table(['Feature', 'Type', 'Test', 'Score', 'Threshold', 'Result', 'Ref / cur n'], rows, {
          'data-table': 'drift-features',
          'data-check-id': check.checkId,
        }),
      ),
      distributionPanel(check, selected),
    ),
    { actions: h('code', { class: 'small' }, check.checkId) },
  );
}

function distributionPanel(_check: DriftCheck, feature: DriftCheck['features'][number] | undefined): HTMLElement {
  if (!feature) return h('div');
  const bins = feature.histogram;
  if (!bins) {
    return h(
      'div',
      null,
      emptyState(`distribution for ${feature.name}`, `${calls.driftChecks} (numerical features carry reference and current bin counts)`),
    );
  }
  const s = histogramSeries(bins);
  return barChart({
    name: 'drift-histogram',
    title: `${feature.name}: reference vs current`,
    summary: `${s.labels.length} bins; reference ${feature.referenceSize} values, current ${feature.currentSize} values; ${feature.stattest} score ${formatNumber(feature.score)}.`,
    table: {
      columns: ['Bin', 'Reference count', 'Current count'],
      rows: s.labels.map((label, i) => [label, bins.reference[i], bins.current[i]]),
    },
    categories: s.labels,
    series: [
      { name: 'Reference', values: s.reference, color: COLORS.primary },
      { name: 'Current', values: s.current, color: '#E69F00' },
    ],
    histogram: true,
    size: 'md',
    yName: 'share',
  });
}

export const driftPage = definePage({ load, view, title: (d) => `Drift · ${d.model.name}` });
