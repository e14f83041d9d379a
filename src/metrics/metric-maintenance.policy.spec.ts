import {
  expiredMonths,
  monthBounds,
  monthOf,
  monthsToPrepare,
  partitionMonth,
  partitionName,
  retentionCutoff,
} from 'src/database/monthly-partitions.policy';
import { parseMaintenanceSettings } from 'src/metrics/metric-maintenance.policy';

describe('metric maintenance policy', () => {
  it('keeps everything by default and runs hourly', () => {
    expect(parseMaintenanceSettings({})).toEqual({
      settings: {
        rawDays: null,
        rollupMinuteDays: null,
        rollupHourDays: null,
        rollupDayDays: null,
        driftDays: null,
        predictionDays: null,
        intervalSeconds: 3600,
        rollupIntervalMs: 1000,
      },
      problems: [],
    });
  });

  it('reads every retention variable and rejects anything below one day', () => {
    const { settings, problems } = parseMaintenanceSettings({
      RETENTION_RAW_DAYS: '30',
      RETENTION_ROLLUP_MINUTE_DAYS: '0',
      RETENTION_ROLLUP_HOUR_DAYS: '1.5',
      RETENTION_ROLLUP_DAY_DAYS: '3650',
      RETENTION_DRIFT_DAYS: '0',
      MAINTENANCE_INTERVAL_SECONDS: '0',
    });
    expect(settings).toMatchObject({ rawDays: 30, rollupDayDays: 3650, intervalSeconds: 0 });
    expect(problems).toEqual([
      'RETENTION_ROLLUP_MINUTE_DAYS must be a whole number of days from 1 to 36500 (unset keeps everything)',
      'RETENTION_ROLLUP_HOUR_DAYS must be a whole number of days from 1 to 36500 (unset keeps everything)',
      'RETENTION_DRIFT_DAYS must be a whole number of days from 1 to 36500 (unset keeps everything)',
    ]);
    expect(parseMaintenanceSettings({ RETENTION_DRIFT_DAYS: '90' }).settings.driftDays).toBe(90);
    expect(parseMaintenanceSettings({ RETENTION_PREDICTIONS_DAYS: '365' }).settings.predictionDays).toBe(365);
    expect(parseMaintenanceSettings({ RETENTION_PREDICTIONS_DAYS: '0' }).problems).toEqual([
      'RETENTION_PREDICTIONS_DAYS must be a whole number of days from 1 to 36500 (unset keeps everything)',
    ]);
    expect(parseMaintenanceSettings({ MAINTENANCE_INTERVAL_SECONDS: '-1' }).problems).toHaveLength(1);
    expect(parseMaintenanceSettings({ ROLLUP_INTERVAL_MS: '0' }).settings.rollupIntervalMs).toBe(0);
    expect(parseMaintenanceSettings({ ROLLUP_INTERVAL_MS: '1e3' }).problems).toEqual([
      'ROLLUP_INTERVAL_MS must be an integer from 0 (off) to 3600000',
    ]);
  });

  it('names monthly partitions in UTC and bounds them at the first of the month', () => {
    expect(monthOf(new Date('2025-01-31T23:59:59.999Z'))).toBe('2025-01');
    expect(monthOf(new Date('2025-02-01T00:30:00+01:00'))).toBe('2025-01');
    expect(monthBounds('2024-12')).toEqual({ from: new Date('2024-12-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') });
    expect(partitionName('2025-03', 'model_performance_metrics')).toBe('model_performance_metrics_p202503');
    expect(partitionMonth('model_performance_metrics_p202503', 'model_performance_metrics')).toBe('2025-03');
    expect(partitionMonth('model_performance_metrics_default', 'model_performance_metrics')).toBeNull();
    // Another table's partition is not this table's month.
    expect(partitionName('2025-03', 'model_predictions')).toBe('model_predictions_p202503');
    expect(partitionMonth('model_predictions_p202503', 'model_performance_metrics')).toBeNull();
    expect(partitionMonth('model_predictions_p202503', 'model_predictions')).toBe('2025-03');
    expect(monthsToPrepare(new Date('2025-11-15T00:00:00Z'))).toEqual(['2025-11', '2025-12', '2026-01']);
  });

  it('drops only months wholly before the cutoff', () => {
    const cutoff = retentionCutoff(new Date('2025-04-10T00:00:00Z'), 40)!;
    expect(cutoff.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(expiredMonths(['2025-03', '2025-01', '2025-02', '2025-04'], cutoff)).toEqual(['2025-01', '2025-02']);
    expect(retentionCutoff(new Date(), null)).toBeNull();
  });
});
