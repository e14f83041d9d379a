import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { invalidField, invalidFields } from 'src/common/errors/domain-error';
import { decodeTimeCursor, timeCursorKey, toPage } from 'src/common/pagination/cursor';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import { parseOptionalTimestamp } from 'src/metrics/dto/metric-fields.validation';
import { ModelsService } from 'src/models/models.service';
import {
  CreateTrainingRunDto,
  CreateTrainingRunInput,
  ListTrainingRunsQueryDto,
  mapTrainingRun,
  TrainingRunDto,
  TrainingRunPageDto,
} from 'src/training-runs/dto/training-run.dto';
import { TrainingRunCompletion } from 'src/training-runs/training-run-completion';
import type { TrainingRunEntity } from 'src/training-runs/training-run.entity';
import {
  errorFieldErrors,
  periodErrors,
  resolveCreateTimestamps,
  TrainingRunStatus,
  TrainingTrigger,
} from 'src/training-runs/training-run.policy';
import { trainingRunNotFound, TrainingRunErrors } from 'src/training-runs/training-runs.errors';
import { AutomatedRunRef, NewTrainingRun, TrainingRunsRepository } from 'src/training-runs/training-runs.repository';

/** A run as the coordinator sees it when deciding whether a retrain may start (cooldown, single active run). */
export type AutomatedRunSummary = AutomatedRunRef;

/** How many times an insert refused by the single-active rule is retried when the blocking run finished meanwhile. */
const INSERT_ATTEMPTS = 3;

@Injectable()
export class TrainingRunsService {
  constructor(
    private readonly runs: TrainingRunsRepository,
    private readonly models: ModelsService,
    private readonly transactions: TransactionRunner,
    private readonly completion: TrainingRunCompletion,
    private readonly clock: Clock,
  ) {}

  /** POST /training-runs: `triggeredBy` defaults to the calling API key's name. */
  create(body: CreateTrainingRunDto, callerName: string | undefined): Promise<TrainingRunDto> {
    return this.createRun({ ...body, triggeredBy: body.triggeredBy ?? callerName ?? 'api' });
  }

  /**
   * Logs a run. For other modules: pass your transaction to make the run part of your unit of work
   * (then nothing is published; a run created that way is normally queued, which publishes nothing).
   * Throws TRAINING_RUN_ACTIVE_EXISTS (409, `existingRunId`) when the model already has a queued or
   * running automated run; the refusal never aborts the caller's transaction.
   */
  async createRun(input: CreateTrainingRunInput, transaction?: Transaction): Promise<TrainingRunDto> {
    const now = this.clock.now();
    const status = input.status ?? TrainingRunStatus.Queued;
    const given = {
      queuedAt: parseOptionalTimestamp(input.queuedAt),
      startedAt: parseOptionalTimestamp(input.startedAt),
      finishedAt: parseOptionalTimestamp(input.finishedAt),
    };
    const { timestamps, errors } = resolveCreateTimestamps(status, given, now);
    errors.push(...errorFieldErrors(status, input.error));
    errors.push(...periodErrors(parseOptionalTimestamp(input.dataset?.from), parseOptionalTimestamp(input.dataset?.to), 'dataset.to'));
    if (errors.length > 0) throw invalidFields(errors);
    const row: NewTrainingRun = {
      modelId: input.modelId,
      modelVersion: input.modelVersion ?? null,
      trigger: input.trigger ?? TrainingTrigger.Manual,
      status,
      reason: input.reason ?? null,
      triggeredBy: input.triggeredBy,
      driftCheckId: input.driftCheckId ?? null,
      parentRunId: input.parentRunId ?? null,
      hyperparameters: input.hyperparameters ?? {},
      dataset: input.dataset ?? null,
      metrics: input.metrics ?? {},
      artifactUri: input.artifactUri ?? null,
      externalRunId: input.externalRunId ?? null,
      error: input.error ?? null,
      notes: input.notes ?? null,
      ...timestamps,
    };
    const work = async (unit: Transaction) => {
      await this.models.getSummary(row.modelId, unit);
      if (row.parentRunId) await this.checkParent(row.parentRunId, row.modelId, unit);
      const run = await this.insertUnlessActive(row, now, unit);
      return { run, publication: await this.completion.record(run, null, unit) };
    };
    const { run, publication } = await this.transactions.join(transaction, work);
    if (!transaction) await this.completion.publish(publication);
    return mapTrainingRun(run);
  }

  async get(id: string): Promise<TrainingRunDto> {
    return mapTrainingRun(await this.getOrFail(id));
  }

  async list(query: ListTrainingRunsQueryDto): Promise<TrainingRunPageDto> {
    const from = parseOptionalTimestamp(query.from);
    const to = parseOptionalTimestamp(query.to);
    const errors = periodErrors(from, to, 'to');
    if (errors.length > 0) throw invalidFields(errors);
    const after = decodeTimeCursor(query.cursor, 'queuedAt');
    const rows = await this.runs.list({ ...query, from, to, before: after ? { queuedAt: after.at, id: after.id } : undefined });
    return toPage(rows, query.limit, mapTrainingRun, (run) => timeCursorKey('queuedAt', run.queuedAt, run.id));
  }

  /** The model's queued or running automated (non-manual) run, if any. */
  findActiveAutomatedRun(modelId: string, transaction?: Transaction): Promise<AutomatedRunSummary | null> {
    return this.runs.findActiveAutomated(modelId, transaction);
  }

  /** The model's queued or running run of any trigger, if any (the retrain inhibition). */
  findActiveRun(modelId: string, transaction?: Transaction): Promise<AutomatedRunSummary | null> {
    return this.runs.findActive(modelId, transaction);
  }

  /** The model's most recently queued automated (non-manual) run in any status, for cooldown decisions. */
  findLastAutomatedRun(modelId: string, transaction?: Transaction): Promise<AutomatedRunSummary | null> {
    return this.runs.findLastAutomated(modelId, transaction);
  }

  /** The version the model served before a run succeeded, as far as its training history tells (rolloutOnRetrain). */
  findPreviousSucceededVersion(modelId: string, runId: string, finishedAt: Date, transaction?: Transaction): Promise<string | null> {
    return this.runs.findPreviousSucceededVersion(modelId, runId, finishedAt, transaction);
  }

  /** Every queued or running automated run with its last sign of life (the lease-expiry job). */
  findActiveAutomatedLeases(transaction: Transaction) {
    return this.runs.findActiveAutomatedLeases(transaction);
  }

  /**
   * Inserts through ON CONFLICT DO NOTHING; when the single-active rule refuses, the blocking run is
   * read share-locked so its id can be reported. If it finished in between, the insert is retried.
   */
  private async insertUnlessActive(row: NewTrainingRun, now: Date, transaction: Transaction): Promise<TrainingRunEntity> {
    for (let attempt = 0; attempt < INSERT_ATTEMPTS; attempt++) {
      const run = await this.runs.insertRun(row, now, transaction);
      if (run) return run;
      const active = await this.runs.findActiveAutomated(row.modelId, transaction, true);
      if (active) {
        throw TrainingRunErrors.TRAINING_RUN_ACTIVE_EXISTS(
          `Model ${row.modelId} already has an automated run ${active.status} (${active.id}); finish or cancel it first, or log this run with trigger "manual".`,
          { existingRunId: active.id },
        );
      }
    }
    throw TrainingRunErrors.TRAINING_RUN_ACTIVE_EXISTS(`Model ${row.modelId} keeps getting new automated runs; retry later.`, {
      existingRunId: null,
    });
  }

  private async checkParent(parentRunId: string, modelId: string, transaction: Transaction): Promise<void> {
    const parent = await this.getOrFail(parentRunId, transaction, 'parentRunId');
    if (parent.modelId !== modelId) throw invalidField('parentRunId', 'must be a run of the same model');
  }

  private async getOrFail(id: string, transaction?: Transaction, field = 'runId'): Promise<TrainingRunEntity> {
    const run = await this.runs.findById(id, transaction);
    if (!run) throw trainingRunNotFound(id, field);
    return run;
  }
}
