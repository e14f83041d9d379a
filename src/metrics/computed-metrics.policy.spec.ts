import { computedMetricFamily, COMPUTED_METRIC_PREFIXES_TEXT, isComputedMetricName } from 'src/metrics/computed-metrics.policy';

describe('computed metric names', () => {
  it('reserves the computed prefixes, each to one family', () => {
    const names = ['realized.auc', 'labels.coverage', 'estimated.f1', 'estimation_error.roc_auc', 'quality.missing_share.age', 'accuracy'];
    expect(names.map(computedMetricFamily)).toEqual(['realized', 'realized', 'estimation', 'estimation', 'dataQuality', null]);
    expect(names.map(isComputedMetricName)).toEqual([true, true, true, true, true, false]);
  });

  it('does not reserve a name that only contains a prefix', () => {
    expect(['realized', 'my.realized.auc', 'qualityscore'].map(isComputedMetricName)).toEqual([false, false, false]);
  });

  it('lists the prefixes for the message of a refused point', () => {
    expect(COMPUTED_METRIC_PREFIXES_TEXT).toBe('realized., labels., estimated., estimation_error. or quality.');
  });
});
