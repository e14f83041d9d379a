import { ConfigType, registerAs } from '@nestjs/config';
import { parseMaintenanceSettings } from 'src/metrics/metric-maintenance.policy';

/** Retention and partition maintenance of the metrics store (RETENTION_*_DAYS, MAINTENANCE_INTERVAL_SECONDS); invalid values stop the boot. */
export const metricMaintenanceConfig = registerAs('metricMaintenance', () => {
  const { settings, problems } = parseMaintenanceSettings(process.env);
  if (problems.length > 0) throw new Error(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return settings;
});

export type MetricMaintenanceConfig = ConfigType<typeof metricMaintenanceConfig>;
