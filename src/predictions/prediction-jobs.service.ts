import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicJob } from 'src/alerts/periodic-job';
import { jobsConfig, type JobsConfig } from 'src/config/configuration';
import { PredictionsService } from 'src/predictions/predictions.service';

const HOUR_MS = 3_600_000;

/**
 * Hourly expiry of labels whose prediction never arrived (PENDING_LABEL_DAYS; 0 keeps them). Safe on several
 * instances at once: each DELETE takes only rows still pending, and a row deleted twice is deleted once.
 */
@Injectable()
export class PredictionJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PredictionJobs.name);
  private readonly expiry: PeriodicJob;

  constructor(
    private readonly predictions: PredictionsService,
    @Inject(jobsConfig.KEY) private readonly config: JobsConfig,
    registry: SchedulerRegistry,
  ) {
    this.expiry = new PeriodicJob(registry, 'predictions.pending-label-expiry', this.logger);
  }

  onApplicationBootstrap(): void {
    if (this.config.pendingLabelDays > 0) this.expiry.start(HOUR_MS, () => this.predictions.expirePendingLabels());
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.expiry.stop();
  }
}
