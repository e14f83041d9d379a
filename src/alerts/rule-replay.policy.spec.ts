import { AlertSeverity, AlertType, RuleComparator, RuleNoData } from 'src/alerts/alert.enums';
import { evaluationTicks, replayRule, type ReplayRule } from 'src/alerts/rule-replay.policy';

const START = Date.parse('2031-01-01T00:00:00Z');
const at = (minute: number) => new Date(START + minute * 60_000);
const RULE: ReplayRule = {
  comparator: RuleComparator.Gt,
  threshold: 10,
  windowMinutes: 1,
  forMinutes: 2,
  keepFiringForMinutes: 0,
  noData: RuleNoData.KeepLast,
  noDataMinutes: 3,
  severity: AlertSeverity.Warning,
  labels: { rule: 'preview' },
};
/** One evaluation a minute; `values[m]` null: no point in that minute. */
function ticks(values: (number | null)[]) {
  let last: Date | null = null;
  return values.map((value, minute) => {
    if (value !== null) last = at(minute);
    return { at: at(minute), sample: { value, lastPointAt: last } };
  });
}

describe('replayRule', () => {
  it('goes pending → firing → resolved, raises no_data after noDataMinutes and counts notifications per channel', () => {
    // breach from minute 0 to 4, clear at 5, silence from 6 (no_data from 9: the last point at 5), data back at 12
    const values = [20, 20, 20, 20, 20, 5, null, null, null, null, null, null, 5];
    const channels = [
      { id: 'often', repeatIntervalMinutes: 1, sendResolved: true },
      { id: 'quiet', repeatIntervalMinutes: 60, sendResolved: false },
    ];
    const result = replayRule(RULE, ticks(values), at(13), channels);
    expect(result.alerts).toEqual([
      { type: AlertType.MetricThreshold, openedAt: at(0), firedAt: at(2), resolvedAt: at(5) },
      { type: AlertType.NoData, openedAt: at(9), firedAt: at(9), resolvedAt: at(12) },
    ]);
    expect(result).toMatchObject({
      evaluations: 13,
      breachingEvaluations: 5,
      noDataEvaluations: 3,
      timeInBreachMs: 5 * 60_000,
      firingMs: 3 * 60_000,
    });
    // threshold: firing at 2, repeats at 3 and 4 (often), resolved at 5; no_data: firing at 9, repeats 10 and 11, resolved 12
    expect(result.notifications.get('often')).toEqual({ firing: 2, repeats: 4, resolved: 2, silenced: 0 });
    expect(result.notifications.get('quiet')).toEqual({ firing: 2, repeats: 0, resolved: 0, silenced: 0 });
  });

  it('counts muted notifications as silenced through the silence seam, without restarting the repeat interval', () => {
    const channels = [{ id: 'often', repeatIntervalMinutes: 1, sendResolved: true }];
    const muteThreshold = (alert: { type: AlertType }) => (alert.type === AlertType.MetricThreshold ? ['silence-1'] : []);
    const result = replayRule({ ...RULE, forMinutes: 0, noDataMinutes: null }, ticks([20, 20, 5]), at(3), channels, muteThreshold);
    expect(result.notifications.get('often')).toEqual({ firing: 0, repeats: 0, resolved: 0, silenced: 3 });
  });
});

describe('evaluationTicks', () => {
  it('lists start, start + interval, … before end, or null past the limit', () => {
    expect(evaluationTicks(at(0), at(3), 60_000, 10)).toEqual([at(0), at(1), at(2)]);
    expect(evaluationTicks(at(0), new Date(at(2).getTime() + 1), 60_000, 10)).toHaveLength(3);
    expect(evaluationTicks(at(0), at(11), 60_000, 10)).toBeNull();
  });
});
