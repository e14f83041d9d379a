import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicJob } from 'src/alerts/periodic-job';
import { Clock } from 'src/common/clock';
import { jobsConfig, type JobsConfig } from 'src/config/configuration';
import { TransactionRunner } from 'src/database/transaction';
import { RetrainPoliciesRepository } from 'src/drift/retrain-policies.repository';
import { leaseExpired } from 'src/drift/retrain.policy';
import type { CompletionPublication } from 'src/training-runs/training-run-completion';
import { TrainingRunUpdatesService } from 'src/training-runs/training-run-updates.service';
import { TrainingRunsService } from 'src/training-runs/training-runs.service';

const MINUTE_MS = 60_000;

/**
 * Training-run leases: every minute, automated runs queued or running past their policy's timeout since their
 * last heartbeat or update fail with `error: timed_out`, which raises retrain_failed (training.finished) and
 * frees the model for the next automated retrain. One instance at a time (transaction-scoped advisory lock).
 * Runs where the outbox runs (OUTBOX_POLL_INTERVAL_MS > 0); tests call expireLeases() with their clock.
 */
@Injectable()
export class RetrainLeases implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetrainLeases.name);
  private readonly job: PeriodicJob;

  constructor(
    private readonly trainingRuns: TrainingRunsService,
    private readonly updates: TrainingRunUpdatesService,
    private readonly policies: RetrainPoliciesRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(jobsConfig.KEY) private readonly config: JobsConfig,
    registry: SchedulerRegistry,
  ) {
    this.job = new PeriodicJob(registry, 'retrain.lease-expiry', this.logger);
  }

  onApplicationBootstrap(): void {
    if (this.config.outboxPollIntervalMs > 0) this.job.start(MINUTE_MS, () => this.expireLeases());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** Fails every expired run; returns their ids (empty when another instance holds the job's lock). */
  async expireLeases(): Promise<string[]> {
    const now = this.clock.now();
    const expired = await this.transactions.run(async (transaction) => {
      if (!(await this.policies.tryLockLeaseExpiry(transaction))) return [];
      const done: { id: string; publication: CompletionPublication }[] = [];
      for (const run of await this.trainingRuns.findActiveAutomatedLeases(transaction)) {
        const policy = await this.policies.find(run.modelId, transaction);
        if (!leaseExpired(run, policy, now)) continue;
        const publication = await this.updates.timeOut(run.id, run.lastSeenAt, transaction);
        if (publication) done.push({ id: run.id, publication });
      }
      return done;
    });
    for (const { id, publication } of expired) {
      this.logger.warn({ trainingRunId: id }, 'Training run lease expired: failed with timed_out');
      await this.updates.publish(publication);
    }
    return expired.map(({ id }) => id);
  }
}
