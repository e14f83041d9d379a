/**
 * npm run bench:silences — the in-process cost of silences at notify time (no database, no HTTP):
 * 1. matching one alert's labels against 100 active silences of 3 matchers each (one anchored RE2 regex);
 * 2. the state of a recurring silence (daily for ten years, 3,650 windows): the first lookup in a process, which builds
 *    the occurrence list with rrule, and later lookups (binary search over the cached list).
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MatcherOperator } from 'src/alerts/silence.enums';
import { matchingSilences, silenceableLabels } from 'src/alerts/silence-matcher.policy';
import { silenceWindowAt } from 'src/alerts/silence-schedule.policy';

function timed(label: string, iterations: number, work: (index: number) => unknown): void {
  const started = performance.now();
  for (let index = 0; index < iterations; index++) work(index);
  const perCallMs = (performance.now() - started) / iterations;
  console.log(
    `${label}: ${perCallMs < 1 ? `${(perCallMs * 1000).toFixed(1)} µs` : `${perCallMs.toFixed(1)} ms`} per call (${iterations} calls)`,
  );
}

console.log(`${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, ${new Date().toISOString()}`);

const silences = Array.from({ length: 100 }, (_, index) => ({
  id: String(index),
  matchers: [
    { name: 'model', operator: MatcherOperator.Regex, value: `churn-${index}.*` },
    { name: 'severity', operator: MatcherOperator.NotEqual, value: 'critical' },
    { name: 'type', operator: MatcherOperator.Equal, value: 'data_drift' },
  ],
}));
const labels = silenceableLabels(
  { labels: { feature: 'age', environment: 'production' }, modelId: 'model-id', type: 'data_drift', severity: 'warning', source: 'drift' },
  'churn-42-eu',
);
matchingSilences(silences, labels); // compiles and caches the regexes
timed('1 alert × 100 silences × 3 matchers', 2000, () => matchingSilences(silences, labels));

const schedule = {
  startsAt: new Date('2026-01-01T00:00:00Z'),
  endsAt: new Date('2035-12-31T00:00:00Z'),
  rrule: 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0;BYSECOND=0',
  durationMinutes: 60,
};
const late = new Date('2035-12-30T02:30:00Z').getTime();
timed('recurring silence, first lookup (builds 3,650 occurrences)', 1, () => silenceWindowAt(schedule, new Date(late)));
timed('recurring silence, cached lookup', 10_000, (index) => silenceWindowAt(schedule, new Date(late - index * 60_000)));
