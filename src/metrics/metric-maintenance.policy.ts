/**
 * Retention settings of the metrics store (and the other growing tables its job maintains). Pure: no framework, no
 * database. The month arithmetic of the partitions is in src/database/monthly-partitions.policy.ts.
 */
export interface MaintenanceSettings {
  /** Null: keep forever. Otherwise at least 1. */
  rawDays: number | null;
  rollupMinuteDays: number | null;
  rollupHourDays: number | null;
  rollupDayDays: number | null;
  /** Drift-check feature results (model_drift_feature_results); the checks themselves are kept. */
  driftDays: number | null;
  /** The prediction log (model_predictions partitions, dropped whole, with their ids and labels); rollups are kept. */
  predictionDays: number | null;
  /** 0 leaves the periodic job off (it still runs once at start). */
  intervalSeconds: number;
  /** Tick of the rollup worker that folds metric_rollup_inbox into the rollups; 0 leaves it off (trends stay exact). */
  rollupIntervalMs: number;
}

/**
 * Reads RETENTION_RAW_DAYS, RETENTION_ROLLUP_MINUTE_DAYS, RETENTION_ROLLUP_HOUR_DAYS, RETENTION_ROLLUP_DAY_DAYS,
 * RETENTION_DRIFT_DAYS, RETENTION_PREDICTIONS_DAYS
 * (unset or empty: keep; otherwise an integer ≥ 1), MAINTENANCE_INTERVAL_SECONDS (default 3600, 0 = off) and
 * ROLLUP_INTERVAL_MS (default 1000, 0 = off).
 */
export function parseMaintenanceSettings(env: Record<string, string | undefined>): { settings: MaintenanceSettings; problems: string[] } {
  const problems: string[] = [];
  const days = (name: string): number | null => {
    const text = env[name]?.trim();
    if (!text) return null;
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 36_500) {
      problems.push(`${name} must be a whole number of days from 1 to 36500 (unset keeps everything)`);
      return null;
    }
    return Number(text);
  };
  const intervalText = env.MAINTENANCE_INTERVAL_SECONDS?.trim() || '3600';
  const intervalValid = /^\d+$/.test(intervalText) && Number(intervalText) <= 604_800;
  if (!intervalValid) problems.push('MAINTENANCE_INTERVAL_SECONDS must be an integer from 0 (off) to 604800');
  const rollupText = env.ROLLUP_INTERVAL_MS?.trim() || '1000';
  const rollupValid = /^\d+$/.test(rollupText) && Number(rollupText) <= 3_600_000;
  if (!rollupValid) problems.push('ROLLUP_INTERVAL_MS must be an integer from 0 (off) to 3600000');
  return {
    settings: {
      rawDays: days('RETENTION_RAW_DAYS'),
      rollupMinuteDays: days('RETENTION_ROLLUP_MINUTE_DAYS'),
      rollupHourDays: days('RETENTION_ROLLUP_HOUR_DAYS'),
      rollupDayDays: days('RETENTION_ROLLUP_DAY_DAYS'),
      driftDays: days('RETENTION_DRIFT_DAYS'),
      predictionDays: days('RETENTION_PREDICTIONS_DAYS'),
      intervalSeconds: intervalValid ? Number(intervalText) : 3600,
      rollupIntervalMs: rollupValid ? Number(rollupText) : 1000,
    },
    problems,
  };
}
