import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicJob } from 'src/alerts/periodic-job';
import { Clock } from 'src/common/clock';
import type { Transaction } from 'src/database/transaction';
import { metricMaintenanceConfig, type MetricMaintenanceConfig } from 'src/metrics/metric-maintenance.config';
import { retentionCutoff } from 'src/database/monthly-partitions.policy';
import type { MaintenanceSettings } from 'src/metrics/metric-maintenance.policy';
import { MetricPartitionsRepository } from 'src/metrics/metric-partitions.repository';
import type { RollupResolution } from 'src/metrics/rollup-plan.policy';

export interface MaintenanceReport {
  created: string[];
  movedFromDefault: number;
  dropped: string[];
  deleted: {
    defaultPoints: number;
    idempotencyKeys: number;
    rollups: Record<RollupResolution, number>;
    /** Rows deleted by each registered retention task, by its name. */
    tasks: Record<string, number>;
  };
}

/**
 * Retention of another module's growing table, run by this job (same schedule, same advisory lock, same log line).
 * The owning module registers it at init (it depends on metrics; metrics never depends back).
 */
export interface RetentionTask {
  /** Its key in the report and the log. */
  name: string;
  /** Days kept, from the RETENTION_* settings; null keeps everything. */
  days(settings: MaintenanceSettings): number | null;
  /** Deletes the rows strictly before the cutoff; how many went. */
  deleteBefore(cutoff: Date, transaction: Transaction): Promise<number>;
}

/**
 * Monthly partitions of model_performance_metrics and retention of the metrics store, at start and every
 * MAINTENANCE_INTERVAL_SECONDS: partitions for this month and the next two, rows in the default partition moved into
 * their month's partition, raw partitions past RETENTION_RAW_DAYS dropped whole, rollups past their retention deleted.
 * Each step is a short transaction under one advisory lock, so instances take turns. Ingest calls ensureMonths for a
 * batch whose months have no partition yet (a backfill), before its own transaction.
 */
@Injectable()
export class MetricMaintenanceService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MetricMaintenanceService.name);
  private readonly job: PeriodicJob;
  private readonly tasks: RetentionTask[] = [];

  constructor(
    private readonly partitions: MetricPartitionsRepository,
    private readonly clock: Clock,
    @Inject(metricMaintenanceConfig.KEY) private readonly config: MetricMaintenanceConfig,
    registry: SchedulerRegistry,
  ) {
    this.job = new PeriodicJob(registry, 'metrics.maintenance', this.logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runMaintenance();
    this.job.start(this.config.intervalSeconds * 1000, () => this.runMaintenance());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** Adds a retention task to every later run (call it from onModuleInit: the first run is at application bootstrap). */
  registerRetention(task: RetentionTask): void {
    this.tasks.push(task);
  }

  /** Creates the partitions of the months of these times that have none yet (each in its own short transaction). */
  async ensureMonths(times: Date[]): Promise<string[]> {
    return this.partitions.points.ensureMonths(times);
  }

  async runMaintenance(): Promise<MaintenanceReport> {
    const now = this.clock.now();
    const report: MaintenanceReport = {
      created: [],
      movedFromDefault: 0,
      dropped: [],
      deleted: { defaultPoints: 0, idempotencyKeys: 0, rollups: { minute: 0, hour: 0, day: 0 }, tasks: {} },
    };
    const points = this.partitions.points;
    const step = <Result>(work: (transaction: Transaction) => Promise<Result>) => points.step(work);
    const rawCutoff = retentionCutoff(now, this.config.rawDays);
    const prepared = await points.prepare(now, rawCutoff);
    report.created = prepared.created;
    report.movedFromDefault = prepared.moved;
    if (rawCutoff) {
      const expired = await points.dropExpired(rawCutoff);
      report.dropped = expired.dropped;
      report.deleted.defaultPoints = expired.defaultRows;
      report.deleted.idempotencyKeys = await step((transaction) => this.partitions.deleteKeysBefore(rawCutoff, transaction));
    }
    const rollupDays: Record<RollupResolution, number | null> = {
      minute: this.config.rollupMinuteDays,
      hour: this.config.rollupHourDays,
      day: this.config.rollupDayDays,
    };
    for (const resolution of ['minute', 'hour', 'day'] as const) {
      const cutoff = retentionCutoff(now, rollupDays[resolution]);
      if (cutoff)
        report.deleted.rollups[resolution] = await step((transaction) =>
          this.partitions.deleteRollupsBefore(resolution, cutoff, transaction),
        );
    }
    for (const task of this.tasks) {
      const cutoff = retentionCutoff(now, task.days(this.config));
      if (cutoff) report.deleted.tasks[task.name] = await step((transaction) => task.deleteBefore(cutoff, transaction));
    }
    await points.refreshKnown();
    this.logger.log(report, 'Metrics maintenance done');
    return report;
  }

  /** Start of the raw points still kept (null: all kept): trends read raw points only from here on. */
  rawRetainedFrom(): Date | null {
    return retentionCutoff(this.clock.now(), this.config.rawDays);
  }
}
