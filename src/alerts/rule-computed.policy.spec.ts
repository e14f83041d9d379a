import { RuleAggregation } from 'src/alerts/alert.enums';
import {
  aggregateBucketValues,
  computedReadRange,
  computedRuleErrors,
  type ComputedRuleSpec,
  computedSample,
} from 'src/alerts/rule-computed.policy';

const HOUR_MS = 3_600_000;
const at = (hours: number) => new Date(Date.UTC(2031, 0, 1) + hours * HOUR_MS);
const bucketOf = (hours: number) => (Date.UTC(2031, 0, 1) + hours * HOUR_MS) / HOUR_MS;
const spec = (overrides: Partial<ComputedRuleSpec> = {}): ComputedRuleSpec => ({
  aggregation: RuleAggregation.Last,
  windowMinutes: 60,
  evaluationLagMinutes: 0,
  noDataMinutes: null,
  bucketMs: HOUR_MS,
  ...overrides,
});

describe('rules on computed metrics', () => {
  const values = [0, 1, 2, 3, 4].map((h) => ({ bucket: bucketOf(h), value: [0.9, 0.7, 0.8, 0.95, 0.6][h] }));

  it('aggregates one value per bucket as the SQL aggregates points', () => {
    // python3: v=[0.9,0.7,0.8,0.95,0.6]; np.mean(v) = 0.79, np.quantile(v,0.5) = 0.8, np.quantile(v,0.95) = 0.94
    expect(aggregateBucketValues(values, RuleAggregation.Avg)).toBeCloseTo(0.79, 15);
    expect(aggregateBucketValues(values, RuleAggregation.P50)).toBeCloseTo(0.8, 15);
    expect(aggregateBucketValues(values, RuleAggregation.P95)).toBeCloseTo(0.94, 15);
    expect(aggregateBucketValues(values, RuleAggregation.Min)).toBe(0.6);
    expect(aggregateBucketValues(values, RuleAggregation.Max)).toBe(0.95);
    expect(aggregateBucketValues(values, RuleAggregation.Last)).toBe(0.6);
    expect(aggregateBucketValues([], RuleAggregation.Avg)).toBeNull();
  });

  it('a window holds the buckets that ended inside it; one bucket long, exactly the latest complete one', () => {
    // 03:30: (02:30, 03:30] holds the 02:00 bucket (ended 03:00), not the 03:00 one still filling
    expect(computedSample(values, spec(), at(3.5))).toMatchObject({ value: 0.8, count: 1 });
    // on the hour the bucket that just ended is in, the one that ended at the window start is not
    expect(computedSample(values, spec(), at(3))).toMatchObject({ value: 0.8, count: 1 });
    expect(computedSample(values, spec({ windowMinutes: 180, aggregation: RuleAggregation.Min }), at(4.2))).toMatchObject({
      value: 0.7,
      count: 3,
    });
    // a 2-hour lag at 05:10 judges (02:10, 03:10]: the 02:00 bucket
    expect(computedSample(values, spec({ evaluationLagMinutes: 120 }), at(5 + 1 / 6))).toMatchObject({ value: 0.8, count: 1 });
    expect(computedSample(values, spec(), at(0.5))).toMatchObject({ value: null, count: 0, lastPointAt: null });
  });

  it('no data counts back from now: the latest non-empty bucket started by now, whatever the lag', () => {
    const rule = spec({ noDataMinutes: 90, evaluationLagMinutes: 600 });
    expect(computedSample(values, rule, at(4.5)).lastPointAt).toEqual(at(4));
    expect(computedSample(values, rule, at(2.5)).lastPointAt).toEqual(at(2)); // later buckets do not exist yet at 02:30
    expect(computedReadRange(rule, at(4.5))).toEqual({ from: at(-7), to: new Date(at(4.5).getTime() + 1) });
    expect(computedReadRange(spec({ noDataMinutes: 600 }), at(4.5))).toEqual({ from: at(-6), to: new Date(at(4.5).getTime() + 1) });
  });

  it('bucket and lag only for computed metrics; a window spans at least one bucket', () => {
    expect(computedRuleErrors({ computed: true, bucket: '1h', evaluationLagMinutes: 60, windowMinutes: 60 })).toEqual([]);
    expect(computedRuleErrors({ computed: true, bucket: '1d', evaluationLagMinutes: 0, windowMinutes: 60 })[0].field).toBe('windowMinutes');
    expect(computedRuleErrors({ computed: true, bucket: undefined, evaluationLagMinutes: 0, windowMinutes: 59 })[0].field).toBe(
      'windowMinutes',
    );
    expect(
      computedRuleErrors({ computed: false, bucket: '1h', evaluationLagMinutes: 5, windowMinutes: 60 }).map((error) => error.field),
    ).toEqual(['bucket', 'evaluationLagMinutes']);
    expect(computedRuleErrors({ computed: false, bucket: null, evaluationLagMinutes: 0, windowMinutes: 1 })).toEqual([]);
  });
});
