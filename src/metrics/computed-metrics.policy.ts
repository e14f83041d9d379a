/**
 * The metric-name prefixes reserved for the series ModelWatch computes, by family: the one list. A pushed point may use
 * none of them (metric-points.policy.ts) and the ComputedMetrics registry has one provider per family, so a name is
 * either pushed or computed by a provider, never both or neither. Pure: no framework.
 */
export const COMPUTED_METRIC_PREFIXES = {
  realized: ['realized.', 'labels.'],
  estimation: ['estimated.', 'estimation_error.'],
  dataQuality: ['quality.'],
} as const;

export type ComputedMetricFamily = keyof typeof COMPUTED_METRIC_PREFIXES;

const FAMILIES = Object.keys(COMPUTED_METRIC_PREFIXES) as ComputedMetricFamily[];
const PREFIXES: readonly string[] = FAMILIES.flatMap((family) => COMPUTED_METRIC_PREFIXES[family]);

/** The family whose prefix the name starts with, or null for a name pushed points may use. */
export function computedMetricFamily(metricName: string): ComputedMetricFamily | null {
  return FAMILIES.find((family) => COMPUTED_METRIC_PREFIXES[family].some((prefix: string) => metricName.startsWith(prefix))) ?? null;
}

/** Computed (never a pushed series): the name starts with a reserved prefix. */
export function isComputedMetricName(metricName: string): boolean {
  return computedMetricFamily(metricName) !== null;
}

/** The reserved prefixes as a sentence lists them: "realized., labels., … or quality.". */
export const COMPUTED_METRIC_PREFIXES_TEXT = `${PREFIXES.slice(0, -1).join(', ')} or ${PREFIXES[PREFIXES.length - 1]}`;
