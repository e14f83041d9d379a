import { defineErrors } from 'src/common/errors/domain-error';

export const MetricsErrors = defineErrors({
  METRIC_BASELINE_NOT_FOUND: { status: 404, title: 'Metric baseline not found' },
  METRIC_NO_DATA: { status: 422, title: 'No recorded points to compute from' },
});
