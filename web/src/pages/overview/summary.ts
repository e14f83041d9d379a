/** Overview view logic (pure, unit-tested). */
import type { AlertSeverity } from '@/api/types';

export function severityCounts(alerts: ReadonlyArray<{ severity: AlertSeverity }>): Record<AlertSeverity, number> {
  const counts: Record<AlertSeverity, number> = { critical: 0, warning: 0, info: 0 };
  for (const alert of alerts) counts[alert.severity]++;
  return counts;
}
