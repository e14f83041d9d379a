import { AlertStatus, RuleComparator, RuleNoData } from 'src/alerts/alert.enums';
import { type RuleAlertState } from 'src/alerts/alert.policy';
import { hasNoData, nextRuleAlertState, type RuleEvaluationSpec, stepRule } from 'src/alerts/rule-evaluation.policy';

const NOW = new Date('2031-01-01T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const RULE: RuleEvaluationSpec = {
  comparator: RuleComparator.Lt,
  threshold: 0.8,
  windowMinutes: 5,
  forMinutes: 0,
  keepFiringForMinutes: 0,
  noData: RuleNoData.KeepLast,
  noDataMinutes: null,
};
const FIRING: RuleAlertState = { status: AlertStatus.Firing, pendingSince: minutesAgo(30), clearedSince: null };
const closed = { threshold: null, noDataOpen: false };

describe('hasNoData', () => {
  it('is an empty window without noDataMinutes, and no point in [now − noDataMinutes, now] with it (the edge counts as data)', () => {
    expect(hasNoData({ value: null, lastPointAt: null }, RULE, NOW)).toBe(true);
    expect(hasNoData({ value: 0.5, lastPointAt: null }, RULE, NOW)).toBe(false);
    const tenMinutes = { noDataMinutes: 10 };
    expect(hasNoData({ value: null, lastPointAt: minutesAgo(10) }, tenMinutes, NOW)).toBe(false);
    expect(hasNoData({ value: null, lastPointAt: new Date(minutesAgo(10).getTime() - 1) }, tenMinutes, NOW)).toBe(true);
    expect(hasNoData({ value: 0.9, lastPointAt: null }, tenMinutes, NOW)).toBe(true);
  });
});

describe('stepRule', () => {
  it('feeds the threshold state machine what noData says, and raises no_data only with noDataMinutes', () => {
    const empty = { value: null, lastPointAt: null };
    expect(stepRule({ threshold: FIRING, noDataOpen: false }, empty, RULE, NOW)).toEqual({
      noData: true,
      observation: 'no_data',
      threshold: { action: 'none' },
      noDataAlert: { action: 'none' },
    });
    expect(stepRule({ threshold: FIRING, noDataOpen: false }, empty, { ...RULE, noData: RuleNoData.Ok }, NOW).threshold).toEqual({
      action: 'resolve',
    });
    expect(stepRule(closed, empty, { ...RULE, noData: RuleNoData.Alerting, forMinutes: 5 }, NOW).threshold).toEqual({
      action: 'raise',
      status: AlertStatus.Pending,
    });
    expect(stepRule(closed, empty, { ...RULE, noDataMinutes: 10 }, NOW).noDataAlert).toEqual({ action: 'raise' });
  });

  it('waits while the window is empty but noDataMinutes has not passed, then resolves no_data when points return', () => {
    const rule = { ...RULE, noData: RuleNoData.Ok, noDataMinutes: 30 };
    const quiet = stepRule({ threshold: FIRING, noDataOpen: false }, { value: null, lastPointAt: minutesAgo(20) }, rule, NOW);
    expect(quiet).toMatchObject({ noData: false, observation: 'no_data', threshold: { action: 'none' }, noDataAlert: { action: 'none' } });
    const back = stepRule({ threshold: null, noDataOpen: true }, { value: 0.5, lastPointAt: NOW }, rule, NOW);
    expect(back).toMatchObject({
      noData: false,
      observation: 'breach',
      threshold: { action: 'raise' },
      noDataAlert: { action: 'resolve' },
    });
    const optionRemoved = stepRule({ threshold: null, noDataOpen: true }, { value: null, lastPointAt: null }, RULE, NOW);
    expect(optionRemoved.noDataAlert).toEqual({ action: 'resolve' });
  });

  it('with noDataMinutes shorter than the window, a stale window counts as no data', () => {
    const step = stepRule(
      { threshold: FIRING, noDataOpen: false },
      { value: 0.5, lastPointAt: minutesAgo(3) },
      { ...RULE, noData: RuleNoData.Ok, noDataMinutes: 2 },
      NOW,
    );
    expect(step).toMatchObject({ noData: true, observation: 'clear', threshold: { action: 'resolve' }, noDataAlert: { action: 'raise' } });
  });
});

describe('nextRuleAlertState', () => {
  it('applies decisions as the database upsert does: opens at now, promotes pending, never demotes, clears the countdown', () => {
    expect(nextRuleAlertState(null, { action: 'raise', status: AlertStatus.Pending }, NOW)).toEqual({
      status: AlertStatus.Pending,
      pendingSince: NOW,
      clearedSince: null,
    });
    const pending: RuleAlertState = { status: AlertStatus.Pending, pendingSince: minutesAgo(5), clearedSince: null };
    expect(nextRuleAlertState(pending, { action: 'raise', status: AlertStatus.Firing }, NOW)).toEqual({
      ...pending,
      status: AlertStatus.Firing,
    });
    expect(nextRuleAlertState(FIRING, { action: 'raise', status: AlertStatus.Pending }, NOW)?.status).toBe(AlertStatus.Firing);
    const clearing = nextRuleAlertState(FIRING, { action: 'start_clearing', since: NOW }, NOW);
    expect(clearing).toEqual({ ...FIRING, clearedSince: NOW });
    expect(nextRuleAlertState(clearing, { action: 'raise', status: AlertStatus.Firing }, NOW)).toEqual(FIRING);
    expect(nextRuleAlertState(FIRING, { action: 'resolve' }, NOW)).toBeNull();
    expect(nextRuleAlertState(FIRING, { action: 'none' }, NOW)).toBe(FIRING);
  });
});
