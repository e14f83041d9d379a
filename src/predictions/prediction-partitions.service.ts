import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicJob } from 'src/alerts/periodic-job';
import { Clock } from 'src/common/clock';
import { MonthlyPartitions } from 'src/database/monthly-partitions';
import { retentionCutoff } from 'src/database/monthly-partitions.policy';
import { metricMaintenanceConfig, type MetricMaintenanceConfig } from 'src/metrics/metric-maintenance.config';
import { PredictionPartitionsRepository } from 'src/predictions/prediction-partitions.repository';

export interface PredictionMaintenanceReport {
  created: string[];
  movedFromDefault: number;
  dropped: string[];
  deleted: { defaultPredictions: number; predictionIds: number; labels: number };
}

/**
 * The monthly partitions of model_predictions, at start and every MAINTENANCE_INTERVAL_SECONDS (the metrics store's
 * schedule): partitions for this month and the next two, rows of the default partition moved into their month, and
 * with RETENTION_PREDICTIONS_DAYS, months wholly before the cutoff dropped whole, then the claimed ids and the labels
 * of predictions before it deleted (the realized and estimation rollups are kept: trends over dropped months still
 * answer from them). Each step is a short transaction under the partitions' advisory lock, so instances take turns.
 * Ingest calls ensureMonths for a batch whose months have no partition yet (a backfill), before its own transaction.
 */
@Injectable()
export class PredictionPartitions implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PredictionPartitions.name);
  private readonly job: PeriodicJob;
  private readonly partitions: MonthlyPartitions;

  constructor(
    private readonly repository: PredictionPartitionsRepository,
    private readonly clock: Clock,
    @Inject(metricMaintenanceConfig.KEY) private readonly config: MetricMaintenanceConfig,
    registry: SchedulerRegistry,
  ) {
    this.partitions = repository.predictions;
    this.job = new PeriodicJob(registry, 'predictions.maintenance', this.logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runMaintenance();
    this.job.start(this.config.intervalSeconds * 1000, () => this.runMaintenance());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** Creates the partitions of the months of these times that have none yet (each in its own short transaction). */
  async ensureMonths(times: readonly Date[]): Promise<string[]> {
    return this.partitions.ensureMonths(times);
  }

  async runMaintenance(): Promise<PredictionMaintenanceReport> {
    const now = this.clock.now();
    const cutoff = retentionCutoff(now, this.config.predictionDays);
    const prepared = await this.partitions.prepare(now, cutoff);
    const report: PredictionMaintenanceReport = {
      created: prepared.created,
      movedFromDefault: prepared.moved,
      dropped: [],
      deleted: { defaultPredictions: 0, predictionIds: 0, labels: 0 },
    };
    if (cutoff) {
      const expired = await this.partitions.dropExpired(cutoff);
      report.dropped = expired.dropped;
      report.deleted.defaultPredictions = expired.defaultRows;
      // Labels first: they find their prediction's time through its id.
      report.deleted.labels = await this.partitions.step((transaction) => this.repository.deleteLabelsBefore(cutoff, transaction));
      report.deleted.predictionIds = await this.partitions.step((transaction) => this.repository.deleteIdsBefore(cutoff, transaction));
    }
    await this.partitions.refreshKnown();
    this.logger.log(report, 'Predictions maintenance done');
    return report;
  }
}
