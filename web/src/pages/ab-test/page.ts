/**
 * A/B test /ui/ab-tests/{id}: variants, lift forest plot, p-values, SRM, sequential status, recommendation, Stop; for a
 * safe rollout (mode rollout) also its step, coverage, guardrails, transitions and outcome.
 */
import { api, ApiError } from '@/api';
import { h, link } from '@/app/dom';
import { formatAgo, formatNumber, formatPercent, formatPValue, formatSignedPercent, formatTime, humanize } from '@/app/format';
import { definePage, type PageContext } from '@/app/page';
import { isUuid } from '@/app/route-match';
import { errorState, isFailure, NotFound, settle } from '@/app/states';
import { badge, card, pageHeader, stat, statusBadge, table, writeButton } from '@/app/widgets';
import { forestChart } from '@/charts/forest';
import { lineChart } from '@/charts/line';
import { SERIES_COLORS, withAlpha } from '@/charts/palette';
import { cumulativeSeries } from '@/pages/ab-test/cumulative';
import { liftRows, RECOMMENDATION_TEXT } from '@/pages/ab-test/forest';
import { rolloutCard } from '@/pages/ab-test/rollout';

async function load(ctx: PageContext) {
  const testId = ctx.params.testId;
  if (!isUuid(testId)) throw new NotFound('A/B test not found', `"${testId}" is not a test id.`);
  const test = await api.abTests.get(testId).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) throw new NotFound('A/B test not found', `No A/B test has id ${testId}.`);
    throw error;
  });
  const [results, cumulative, rollout, model] = await Promise.all([
    api.abTests.results(testId),
    // the page still shows the results when only the history or the rollout fails
    settle(api.abTests.cumulative(testId)),
    test.mode === 'rollout' ? settle(api.abTests.rollout(testId)) : null,
    api.models.get(test.modelId).catch(() => null),
  ]);
  return { test, results, cumulative, rollout, model };
}
type Data = Awaited<ReturnType<typeof load>>;

function view(d: Data, ctx: PageContext): Node {
  const { test, results } = d;
  const rows = liftRows(results);
  const srm = results.srm;
  const dialog = stopDialog(d, ctx);
  return h(
    'div',
    { class: 'page', 'data-page': 'ab-test' },
    pageHeader(
      test.name,
      [
        test.hypothesis ?? test.description ?? '',
        ` · primary metric ${test.primaryMetric} (${test.metricType}) · started ${formatAgo(test.startedAt)}`,
      ],
      test.status === 'running'
        ? writeButton('Stop test…', () => dialog.showModal(), { class: 'btn-danger', action: 'stop-test' })
        : statusBadge(test.status),
      [link('/ui', 'Overview'), ' / ', d.model ? link(`/ui/models/${d.model.id}`, d.model.name) : 'model', ' / A/B test'],
    ),
    h(
      'div',
      { class: 'stats-row stats-hero' },
      stat('Recommendation', humanize(results.recommendation), {
        tone: results.recommendation === 'ship_variant' ? 'ok' : results.recommendation === 'srm_detected' ? 'bad' : undefined,
        hint: RECOMMENDATION_TEXT[results.recommendation],
        testId: 'recommendation',
      }),
      stat(
        'SRM',
        srm
          ? h(
              'span',
              { 'data-srm-p': String(srm.pValue) },
              srm.detected ? badge('Mismatch', 'bad') : badge('OK', 'ok'),
              ' p = ',
              h('span', { 'data-field': 'srm-p' }, formatPValue(srm.pValue)),
            )
          : '—',
        { hint: 'χ² test of observed vs configured split', testId: 'srm' },
      ),
      stat('Sample size', formatPercent(results.sampleSize?.progress, 0), {
        hint: results.sampleSize?.requiredPerVariant
          ? `of ${results.sampleSize.requiredPerVariant.toLocaleString('en-US')} per variant`
          : 'no planned size (set baseline and MDE)',
      }),
      stat('Status', humanize(test.status), { hint: test.sequential ? 'sequential (always-valid) analysis' : 'fixed-horizon analysis' }),
      results.winner ? stat('Winner', results.winner) : null,
    ),
    h(
      'div',
      { class: 'grid grid-2' },
      card(
        'Variants',
        table(
          ['Variant', 'Version', 'Weight', 'n', 'Share', 'Mean', 'Std dev'],
          results.variants.map((v) => [
            h('strong', null, v.name, v.name === results.control ? ' (control)' : ''),
            v.modelVersion ?? '—',
            formatPercent(v.weight, 0),
            v.count.toLocaleString('en-US'),
            formatPercent(v.observedShare),
            formatNumber(v.mean),
            formatNumber(v.stdDev),
          ]),
          { 'data-table': 'variants' },
        ),
      ),
      card(
        'Lift vs control',
        rows.length === 0
          ? h('p', { class: 'muted' }, 'No lift yet: each variant needs observations (POST /api/v1/ab-test/{testId}/observations).')
          : forestChart({
              name: 'lift',
              title: `Relative lift of ${test.primaryMetric}, ${formatPercent(1 - results.alpha, 0)} CI`,
              summary: rows
                .map(
                  (r) => `${r.label}: ${formatSignedPercent(r.estimate)} [${formatSignedPercent(r.low)}, ${formatSignedPercent(r.high)}]`,
                )
                .join('; '),
              table: {
                columns: ['Comparison', 'Lift', 'CI low', 'CI high'],
                rows: rows.map((r) => [
                  r.label,
                  formatSignedPercent(r.estimate, 2),
                  formatSignedPercent(r.low, 2),
                  formatSignedPercent(r.high, 2),
                ]),
              },
              rows,
              format: (v) => formatSignedPercent(v, 0),
            }),
      ),
    ),
    d.rollout === null ? null : isFailure(d.rollout) ? card('Safe rollout', errorState(d.rollout)) : rolloutCard(d.rollout),
    cumulativeCard(d),
    card(
      'Comparisons',
      table(
        ['Variant', 'Abs. effect', 'Lift', 'CI', 'p-value', 'Adj. p', 'Chance to win', 'Sequential p', 'Sequential CI', 'Significant'],
        results.comparisons.map((c) => [
          c.variant,
          formatNumber(c.absoluteEffect),
          formatSignedPercent(c.relativeEffect, 2),
          `[${formatSignedPercent(c.relativeCiLow)}, ${formatSignedPercent(c.relativeCiHigh)}]`,
          formatPValue(c.pValue),
          formatPValue(c.adjustedPValue),
          formatPercent(c.chanceToBeatControl),
          formatPValue(c.sequentialPValue),
          c.sequentialRelativeCiLow === null || c.sequentialRelativeCiHigh === null
            ? '—'
            : `[${formatSignedPercent(c.sequentialRelativeCiLow)}, ${formatSignedPercent(c.sequentialRelativeCiHigh)}]`,
          c.significant ? badge('Yes', 'ok') : badge('No', 'muted'),
        ]),
        { 'data-table': 'comparisons' },
      ),
    ),
    test.conclusion ? card('Conclusion', h('p', null, test.conclusion, test.endedAt ? ` (ended ${formatTime(test.endedAt)})` : '')) : null,
    dialog,
  );
}

/** The lift of each treatment as observations came in, with its CI: one point per day with batches (the API's). */
function cumulativeCard(d: Data): Node {
  const { cumulative, test } = d;
  if (isFailure(cumulative)) return card('Cumulative lift over time', errorState(cumulative));
  const series = cumulativeSeries(cumulative);
  const title = `Lift of ${test.primaryMetric} vs ${cumulative.control} as data came in, ${formatPercent(1 - cumulative.alpha, 0)} CI`;
  if (cumulative.points.length === 0) {
    return card(title, h('p', { class: 'muted' }, 'No observations yet (POST /api/v1/ab-test/{testId}/observations).'));
  }
  const first = cumulative.points[0];
  const last = cumulative.points[cumulative.points.length - 1];
  const day = (iso: string) => iso.slice(0, 10);
  const latest = last.comparisons
    .map(
      (c) =>
        `${c.variant} ${formatSignedPercent(c.relativeEffect)} [${formatSignedPercent(c.relativeCiLow)}, ${formatSignedPercent(c.relativeCiHigh)}]`,
    )
    .join('; ');
  return card(
    'Cumulative lift over time',
    lineChart({
      name: 'cumulative-lift',
      title,
      summary: `${cumulative.points.length} daily points from ${day(first.bucketStart)} to ${day(last.bucketStart)} vs ${cumulative.control}; latest: ${latest}`,
      table: {
        columns: ['Day (UTC)', 'Variant', 'n', 'Lift', 'CI low', 'CI high', 'p-value'],
        rows: cumulative.points.flatMap((point) =>
          point.comparisons.map((c, i) => [
            day(point.bucketStart),
            c.variant,
            point.counts[i + 1].toLocaleString('en-US'),
            formatSignedPercent(c.relativeEffect, 2),
            formatSignedPercent(c.relativeCiLow, 2),
            formatSignedPercent(c.relativeCiHigh, 2),
            formatPValue(c.pValue),
          ]),
        ),
      },
      size: 'md',
      yFormat: (v) => formatSignedPercent(v, 0),
      lines: series.map((s, i) => ({ name: s.variant, points: s.line, color: SERIES_COLORS[i % SERIES_COLORS.length] })),
      bands: series.map((s, i) => ({
        name: `${s.variant} CI`,
        points: s.band,
        color: withAlpha(SERIES_COLORS[i % SERIES_COLORS.length], 0.25),
      })),
      hLines: [{ name: 'no lift', value: 0 }],
    }),
  );
}

function stopDialog(d: Data, ctx: PageContext): HTMLDialogElement {
  const winner = h(
    'select',
    { name: 'winner', id: 'stop-winner' },
    h('option', { value: '' }, 'No winner'),
    ...d.results.variants.map((v) => h('option', { value: v.name, selected: v.name === d.results.winner }, v.name)),
  );
  const conclusion = h('textarea', { name: 'conclusion', id: 'stop-conclusion', rows: 3, maxlength: 2000 });
  const message = h('p', { class: 'form-error', role: 'alert' });
  const dialog = h(
    'dialog',
    { class: 'dialog', 'aria-labelledby': 'stop-title' },
    h(
      'form',
      {
        method: 'dialog',
        onsubmit: async (event: Event) => {
          event.preventDefault();
          try {
            await api.abTests.stop(d.test.id, { winner: winner.value || undefined, conclusion: conclusion.value || undefined });
            dialog.close();
            ctx.reload();
          } catch (error) {
            message.replaceChildren(errorState(error));
          }
        },
      },
      h('h2', { id: 'stop-title' }, `Stop “${d.test.name}”?`),
      h('p', { class: 'muted' }, 'Stopping ends traffic assignment for every variant. This cannot be undone.'),
      h('label', { for: 'stop-winner' }, 'Winner'),
      winner,
      h('label', { for: 'stop-conclusion' }, 'Conclusion'),
      conclusion,
      message,
      h(
        'div',
        { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => dialog.close() }, 'Cancel'),
        h('button', { type: 'submit', class: 'btn btn-danger', 'data-action': 'confirm-stop' }, 'Stop test'),
      ),
    ),
  );
  return dialog;
}

export const abTestPage = definePage({ load, view, title: (d) => d.test.name });
