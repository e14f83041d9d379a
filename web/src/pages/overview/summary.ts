/** Overview view logic (pure, unit-tested). */
import type { AlertSeverity } from '@/api/types';

export function severityCounts(alerts: ReadonlyArray<{ severity: AlertSeverity }>): Record<AlertSeverity, number> {
  const counts: Record<AlertSeverity, number> = { critical: 0, warning: 0, info: 0 };
  for (const alert of alerts) counts[alert.severity]++;
  return counts;
}

/** The value a model card leads with: the most recently recorded production value (any metric), else the most recent. */
export function latestProduction<T extends { environment: string; recordedAt: string }>(items: readonly T[]): T | undefined {
  const newest = (xs: readonly T[]) =>
    xs.reduce<T | undefined>((best, x) => (!best || Date.parse(x.recordedAt) > Date.parse(best.recordedAt) ? x : best), undefined);
  return newest(items.filter((l) => l.environment === 'production')) ?? newest(items);
}
