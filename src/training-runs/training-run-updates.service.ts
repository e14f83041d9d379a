import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { invalidFields } from 'src/common/errors/domain-error';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { parseOptionalTimestamp } from 'src/metrics/dto/metric-fields.validation';
import { mapTrainingRun, TrainingRunDto, UpdateTrainingRunDto } from 'src/training-runs/dto/training-run.dto';
import { type CompletionPublication, TrainingRunCompletion } from 'src/training-runs/training-run-completion';
import {
  isTerminal,
  TrainingRunStatus,
  allowedTransitions,
  canTransition,
  errorFieldErrors,
  frozenResultFields,
  resolveTransitionTimestamps,
} from 'src/training-runs/training-run.policy';
import { trainingRunNotFound, TrainingRunErrors } from 'src/training-runs/training-runs.errors';
import { TrainingRunChanges, TrainingRunsRepository } from 'src/training-runs/training-runs.repository';

/** PATCH /training-runs/{runId}: status transitions and result fields, one at a time per run. */
@Injectable()
export class TrainingRunUpdatesService {
  constructor(
    private readonly runs: TrainingRunsRepository,
    private readonly transactions: TransactionRunner,
    private readonly completion: TrainingRunCompletion,
    private readonly clock: Clock,
  ) {}

  /** POST /training-runs/{runId}/heartbeat: extends the lease of a queued or running run (409 once it is final). */
  async heartbeat(id: string): Promise<TrainingRunDto> {
    const now = this.clock.now();
    const run = await this.transactions.run(async (transaction) => {
      const run = await this.runs.findByIdForUpdate(id, transaction);
      if (!run) throw trainingRunNotFound(id);
      if (isTerminal(run.status)) {
        throw TrainingRunErrors.TRAINING_RUN_FINISHED(`The run is ${run.status}; a heartbeat only extends a queued or running run.`, {
          fields: [],
        });
      }
      return this.runs.update(run, { lastHeartbeatAt: now }, now, transaction);
    });
    return mapTrainingRun(run);
  }

  /**
   * Fails a run whose lease ran out (`error: timed_out`), in the caller's transaction, unless it finished or
   * showed a sign of life since `lastSeenAt` was read. A queued run may fail this way too (the system does it,
   * not a client). The caller publishes the returned completion after its commit; null when nothing changed.
   */
  async timeOut(id: string, lastSeenAt: Date, transaction: Transaction): Promise<CompletionPublication | null> {
    const now = this.clock.now();
    const run = await this.runs.findByIdForUpdate(id, transaction);
    if (!run || isTerminal(run.status)) return null;
    if (run.lastHeartbeatAt !== null && run.lastHeartbeatAt.getTime() > lastSeenAt.getTime()) return null;
    const previous = run.status; // update() changes `run` in place
    const updated = await this.runs.update(run, { status: TrainingRunStatus.Failed, error: TIMED_OUT, finishedAt: now }, now, transaction);
    return this.completion.record(updated, previous, transaction);
  }

  /** After the commit of timeOut's transaction. */
  publish(publication: CompletionPublication): Promise<void> {
    return this.completion.publish(publication);
  }

  /**
   * The row is locked (SELECT … FOR UPDATE) before the transition is checked, so of two racing
   * moves out of `running` the second sees the first's terminal status and gets a 409.
   */
  async update(id: string, body: UpdateTrainingRunDto): Promise<TrainingRunDto> {
    const now = this.clock.now();
    const { run, publication } = await this.transactions.run(async (transaction) => {
      const run = await this.runs.findByIdForUpdate(id, transaction);
      if (!run) throw trainingRunNotFound(id);
      const from = run.status;
      const to = body.status ?? from;
      if (body.status !== undefined && !canTransition(from, to)) {
        const allowed = allowedTransitions(from);
        throw TrainingRunErrors.TRAINING_RUN_INVALID_TRANSITION(
          `A ${from} run cannot become ${to}; ${allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : `${from} is final`}.`,
          { from, to, allowed },
        );
      }
      const frozen = frozenResultFields(from, body);
      if (frozen.length > 0) {
        throw TrainingRunErrors.TRAINING_RUN_FINISHED(
          `The run is ${from}; ${frozen.join(', ')} can no longer change (notes, artifactUri and externalRunId can).`,
          {
            fields: frozen,
          },
        );
      }
      const given = { startedAt: parseOptionalTimestamp(body.startedAt), finishedAt: parseOptionalTimestamp(body.finishedAt) };
      const { timestamps, errors } = resolveTransitionTimestamps(from, to, run, given, now);
      errors.push(...errorFieldErrors(to, body.error ?? run.error));
      if (errors.length > 0) throw invalidFields(errors);
      const changes: TrainingRunChanges = {
        status: to,
        startedAt: timestamps.startedAt,
        finishedAt: timestamps.finishedAt,
        lastHeartbeatAt: isTerminal(to) ? run.lastHeartbeatAt : now,
        ...definedOnly({
          modelVersion: body.modelVersion,
          metrics: body.metrics,
          artifactUri: body.artifactUri,
          externalRunId: body.externalRunId,
          error: body.error,
          notes: body.notes,
        }),
      };
      const updated = await this.runs.update(run, changes, now, transaction);
      return { run: updated, publication: await this.completion.record(updated, from, transaction) };
    });
    await this.completion.publish(publication);
    return mapTrainingRun(run);
  }
}

/** The error of a run whose lease ran out. */
export const TIMED_OUT = 'timed_out';

/** PATCH semantics: an absent field keeps its value (null, where allowed, clears it). */
function definedOnly<Fields extends Record<string, unknown>>(fields: Fields): Partial<Fields> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<Fields>;
}
