import { Param, PipeTransform } from '@nestjs/common';
import { invalidField } from 'src/common/errors/domain-error';
import { METRIC_NAME_PATTERN } from 'src/metrics/metrics.types';

/** A metric name path parameter (URL-encode `/` as %2F); a bad one is a 400 naming the parameter. */
export function MetricNameParam(name = 'metricName'): ParameterDecorator {
  const pipe: PipeTransform<string, string> = {
    transform(value) {
      if (typeof value !== 'string' || !METRIC_NAME_PATTERN.test(value))
        throw invalidField(name, `must match ${METRIC_NAME_PATTERN.source}`);
      return value;
    },
  };
  return Param(name, pipe);
}
