/** The safe-rollout card of an A/B test page (mode rollout): step and coverage, guardrails, SRM, transitions, outcome. */
import type { AbTestRollout } from '@/api';
import { h } from '@/app/dom';
import { formatDuration, formatPercent, formatPValue, formatSignedPercent, formatTime, humanize } from '@/app/format';
import { badge, card, stat, table } from '@/app/widgets';

const STATE_TONES: Record<AbTestRollout['state'], string> = { ramping: 'info', promoted: 'ok', rolled_back: 'bad', stopped: 'muted' };

export function rolloutCard(rollout: AbTestRollout): HTMLElement {
  const { champion, challenger } = rollout;
  const step = `${rollout.stepIndex + 1} of ${rollout.steps.length}`;
  return card(
    'Safe rollout',
    h(
      'div',
      { 'data-panel': 'rollout', 'data-rollout-state': rollout.state },
      h(
        'div',
        { class: 'stats-row' },
        stat('State', badge(humanize(rollout.state), STATE_TONES[rollout.state]), {
          hint: rollout.outcome ? `outcome: ${humanize(rollout.outcome)}` : 'no outcome yet',
          testId: 'rollout-state',
        }),
        stat('Step', step, { hint: `since ${formatTime(rollout.stepStartedAt)}`, testId: 'rollout-step' }),
        stat('Coverage', formatPercent(rollout.coverage, 0), {
          hint: `steps ${rollout.steps.map((coverage) => formatPercent(coverage, 0)).join(' → ')}`,
          testId: 'rollout-coverage',
        }),
        stat('Challenger units', challenger.stepCount.toLocaleString('en-US'), {
          hint: `this step (${challenger.count.toLocaleString('en-US')} in all); a step needs ${rollout.minSamplesPerStep.toLocaleString('en-US')} and ${formatDuration(rollout.minStepDurationSeconds)}`,
          testId: 'rollout-step-count',
        }),
        stat(
          'SRM',
          h('span', null, rollout.srm.detected ? badge('Mismatch', 'bad') : badge('OK', 'ok'), ' p = ', formatPValue(rollout.srm.pValue)),
          {
            hint: 'χ² test of the split the coverage asks for',
          },
        ),
      ),
      h('h3', null, 'Guardrails'),
      table(
        ['Guardrail', 'Direction', 'Tolerance', 'Sequential lift CI', 'Status'],
        rollout.guardrails.map((guardrail) => [
          guardrail.name,
          humanize(guardrail.direction),
          formatPercent(guardrail.tolerance),
          guardrail.sequentialRelativeCiLow === null || guardrail.sequentialRelativeCiHigh === null
            ? '—'
            : `[${formatSignedPercent(guardrail.sequentialRelativeCiLow)}, ${formatSignedPercent(guardrail.sequentialRelativeCiHigh)}]`,
          guardrail.failed ? badge('Failed', 'bad') : badge('OK', 'ok'),
        ]),
        { 'data-table': 'rollout-guardrails' },
      ),
      h('h3', null, 'Transitions'),
      table(
        ['When', 'Transition', 'Step', 'Coverage', `n (${champion.name}, ${challenger.name})`, 'Reason'],
        rollout.events.map((event) => [
          formatTime(event.occurredAt),
          humanize(event.kind),
          String(event.stepIndex + 1),
          formatPercent(event.coverage, 0),
          event.counts.map((count) => count.toLocaleString('en-US')).join(', '),
          [event.reason ? humanize(event.reason) : null, event.detail].filter((part) => part !== null).join(' — ') || '—',
        ]),
        { 'data-table': 'rollout-events' },
      ),
    ),
  );
}
