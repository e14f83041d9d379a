import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { jobsConfig, type JobsConfig } from 'src/config/configuration';
import { EstimationRollupsService } from 'src/predictions/estimation-rollups.service';
import { ROLLUP_BUCKET_MS } from 'src/predictions/realized-rollup.policy';

/**
 * After PUT /estimation-reference of a binary model, fills the estimation rollup of the reference's environment over
 * the last ESTIMATION_PREFILL_DAYS days (default 30; 0: off) in the background (the PUT answers at once), so that the first trend read finds its hours
 * stored instead of computing them from the raw predictions (20.9 s for 10 M predictions over 30 days, bench:cbpe).
 * A read that comes first fills what it needs itself; the two take the same lock and never store an hour twice. A fill
 * that fails is logged and left to the reads. Shutdown waits for the fills in flight.
 */
@Injectable()
export class EstimationPrefill implements BeforeApplicationShutdown {
  private readonly logger = new Logger(EstimationPrefill.name);
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly rollups: EstimationRollupsService,
    private readonly clock: Clock,
    @Inject(jobsConfig.KEY) private readonly config: JobsConfig,
  ) {}

  /** Starts the fill of the model's last ESTIMATION_PREFILL_DAYS days (whole hours up to the current one) and returns at once. */
  start(modelId: string, environment: string): void {
    const days = this.config.estimationPrefillDays;
    if (days <= 0) return;
    const to = Math.floor(this.clock.now().getTime() / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
    const range = { from: new Date(to - days * 86_400_000), to: new Date(to) };
    const run = this.rollups.prefill({ modelId, environment }, range).then(
      (hours) => {
        if (hours > 0) this.logger.log({ modelId, environment, hours }, 'Prefilled the estimation rollup');
      },
      (error: unknown) => this.logger.warn({ modelId, environment, err: error }, 'Estimation prefill failed; reads fill the hours'),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Resolves when every fill started so far has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.idle();
  }
}
