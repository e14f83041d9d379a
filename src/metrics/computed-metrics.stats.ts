/**
 * Aggregates over a computed series: one value per bucket, in bucket order. Pure: the alert rules on computed
 * metrics and the baselines of computed names reduce a series with this one function, as the SQL aggregates (AGGREGATE_SQL
 * in metric-points.repository.ts) reduce pushed points.
 */
import { MetricAggregation } from 'src/metrics/metrics.types';
import { quantileLinear } from 'src/predictions/realized.stats';

const QUANTILE: Partial<Record<MetricAggregation, number>> = {
  [MetricAggregation.P50]: 0.5,
  [MetricAggregation.P90]: 0.9,
  [MetricAggregation.P95]: 0.95,
  [MetricAggregation.P99]: 0.99,
};

/**
 * avg: the unweighted mean of the bucket values (not the metric over the pooled predictions: AUC or F1 do not pool);
 * min, max, sum, count (of buckets); pXX by linear interpolation between order statistics (Hyndman & Fan type 7, as
 * percentile_cont); last: the latest bucket's value. Null for an empty series.
 */
export function aggregateSeriesValues(values: readonly { value: number }[], aggregation: MetricAggregation): number | null {
  if (values.length === 0) return null;
  const numbers = values.map((point) => point.value);
  switch (aggregation) {
    case MetricAggregation.Avg:
      return numbers.reduce((sum, value) => sum + value, 0) / numbers.length;
    case MetricAggregation.Sum:
      return numbers.reduce((sum, value) => sum + value, 0);
    case MetricAggregation.Count:
      return numbers.length;
    case MetricAggregation.Min:
      return Math.min(...numbers);
    case MetricAggregation.Max:
      return Math.max(...numbers);
    case MetricAggregation.Last:
      return numbers[numbers.length - 1];
    default:
      return quantileLinear(numbers, QUANTILE[aggregation]!);
  }
}
