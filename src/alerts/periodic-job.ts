import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/**
 * A setInterval job registered with SchedulerRegistry: a tick is skipped while the previous run is still
 * going, errors are logged, and stop() waits for the run in flight (call it before the database closes).
 * Cross-instance exclusion is the job's own business (advisory locks, SKIP LOCKED), not this class's.
 */
export class PeriodicJob {
  private running: Promise<void> | null = null;
  private started = false;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  /** 0 (or less) leaves the job off. */
  start(intervalMs: number, work: () => Promise<unknown>): void {
    if (intervalMs <= 0 || this.started) return;
    this.started = true;
    const timer = setInterval(() => {
      if (this.running) return;
      this.running = work()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error({ err: error }, `${this.name} failed`))
        .finally(() => {
          this.running = null;
        });
    }, intervalMs);
    this.registry.addInterval(this.name, timer);
  }

  async stop(): Promise<void> {
    if (this.started) {
      this.registry.deleteInterval(this.name);
      this.started = false;
    }
    await this.running;
  }
}
