/**
 * Partition and retention rules of the metrics store. Pure: no framework, no database.
 * Points are partitioned by calendar month of recorded_at in UTC; partitions are named
 * model_performance_metrics_pYYYYMM.
 */
const DAY_MS = 86_400_000;

export interface MaintenanceSettings {
  /** Null: keep forever. Otherwise at least 1. */
  rawDays: number | null;
  rollupMinuteDays: number | null;
  rollupHourDays: number | null;
  rollupDayDays: number | null;
  /** Drift-check feature results (model_drift_feature_results); the checks themselves are kept. */
  driftDays: number | null;
  /** 0 leaves the periodic job off (it still runs once at start). */
  intervalSeconds: number;
  /** Tick of the rollup worker that folds metric_rollup_inbox into the rollups; 0 leaves it off (trends stay exact). */
  rollupIntervalMs: number;
}

/** Months ahead of the current one that always have a partition. */
export const MONTHS_AHEAD = 2;

/**
 * Reads RETENTION_RAW_DAYS, RETENTION_ROLLUP_MINUTE_DAYS, RETENTION_ROLLUP_HOUR_DAYS, RETENTION_ROLLUP_DAY_DAYS,
 * RETENTION_DRIFT_DAYS
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
      intervalSeconds: intervalValid ? Number(intervalText) : 3600,
      rollupIntervalMs: rollupValid ? Number(rollupText) : 1000,
    },
    problems,
  };
}

/** 'YYYY-MM' of an instant, in UTC. */
export function monthOf(time: Date | number): string {
  return new Date(time).toISOString().slice(0, 7);
}

/** [start, end) of a 'YYYY-MM' month in UTC. */
export function monthBounds(month: string): { from: Date; to: Date } {
  const [year, monthNumber] = month.split('-').map(Number);
  return { from: new Date(Date.UTC(year, monthNumber - 1, 1)), to: new Date(Date.UTC(year, monthNumber, 1)) };
}

export function partitionName(month: string): string {
  return `model_performance_metrics_p${month.replace('-', '')}`;
}

/** The month of a partition name, or null for another table (the default partition). */
export function partitionMonth(name: string): string | null {
  const match = /^model_performance_metrics_p(\d{4})(\d{2})$/.exec(name);
  return match ? `${match[1]}-${match[2]}` : null;
}

/** The current month and MONTHS_AHEAD after it. */
export function monthsToPrepare(now: Date): string[] {
  const months: string[] = [];
  for (let ahead = 0; ahead <= MONTHS_AHEAD; ahead++) {
    months.push(monthOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1)));
  }
  return months;
}

/** Start of the retained range: data strictly before it is dropped. Null when kept forever. */
export function retentionCutoff(now: Date, days: number | null): Date | null {
  return days === null ? null : new Date(now.getTime() - days * DAY_MS);
}

/** Partition months that lie wholly before the cutoff (dropped whole, never cut in half). */
export function expiredMonths(months: readonly string[], cutoff: Date): string[] {
  return months.filter((month) => monthBounds(month).to.getTime() <= cutoff.getTime()).sort();
}
