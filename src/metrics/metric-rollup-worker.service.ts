import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicJob } from 'src/alerts/periodic-job';
import { TransactionRunner } from 'src/database/transaction';
import { metricMaintenanceConfig, type MetricMaintenanceConfig } from 'src/metrics/metric-maintenance.config';
import { MetricRollupsRepository } from 'src/metrics/metric-rollups.repository';

/** Points folded per transaction: bounds the transaction's length and the memory of its CTEs. */
export const FOLD_SLICE = 20_000;

/**
 * The outbox-style rollup worker: every ROLLUP_INTERVAL_MS it moves the points ingest appended to metric_rollup_inbox
 * into metric_rollups and metric_latest, a slice per transaction, until the inbox is empty. One instance folds at a
 * time (transaction-scoped advisory lock; the others skip the tick). Trends and the latest view read the inbox too, so
 * a point is visible in every read from its acknowledgement on, whether folded yet or not.
 */
@Injectable()
export class MetricRollupWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MetricRollupWorker.name);
  private readonly job: PeriodicJob;

  constructor(
    private readonly rollups: MetricRollupsRepository,
    private readonly transactions: TransactionRunner,
    @Inject(metricMaintenanceConfig.KEY) private readonly config: MetricMaintenanceConfig,
    registry: SchedulerRegistry,
  ) {
    this.job = new PeriodicJob(registry, 'metrics.rollups', this.logger);
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.rollupIntervalMs, () => this.catchUp());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /**
   * Folds the inbox until it is empty; returns the points folded. Without `wait` it stops when another instance holds
   * the lock (the periodic tick); with it, it waits its turn (tests, benchmarks, shutdown-free catch-up).
   */
  async catchUp(options: { wait?: boolean } = {}): Promise<number> {
    let total = 0;
    for (;;) {
      const folded = await this.transactions.run(async (transaction) =>
        (await this.rollups.lockFolding(transaction, options.wait ?? false)) ? this.rollups.foldInbox(FOLD_SLICE, transaction) : -1,
      );
      if (folded < 0) return total;
      total += folded;
      if (folded < FOLD_SLICE) return total;
    }
  }
}
