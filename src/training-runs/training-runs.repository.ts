import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { managerOf, Transaction } from 'src/database/transaction';
import { TrainingRunEntity } from 'src/training-runs/training-run.entity';
import { RunGroup, TrainingRunStatus, TrainingTrigger } from 'src/training-runs/training-run.policy';

export type NewTrainingRun = Omit<TrainingRunEntity, 'id' | 'createdAt' | 'updatedAt' | 'lastHeartbeatAt'>;

export type TrainingRunChanges = Partial<
  Pick<
    TrainingRunEntity,
    | 'status'
    | 'modelVersion'
    | 'metrics'
    | 'artifactUri'
    | 'externalRunId'
    | 'error'
    | 'notes'
    | 'startedAt'
    | 'finishedAt'
    | 'lastHeartbeatAt'
  >
>;

export interface TrainingRunFilter {
  modelId?: string;
  status?: TrainingRunStatus;
  trigger?: TrainingTrigger;
  from?: Date;
  to?: Date;
  /** Keyset: the last row of the previous page (newest first). */
  before?: { queuedAt: Date; id: string };
  limit: number;
}

/** Runs a coordinator compares against (single-active rule, cooldown). */
export interface AutomatedRunRef {
  id: string;
  status: TrainingRunStatus;
  trigger: TrainingTrigger;
  queuedAt: Date;
}

// Mirrors the partial unique index uq_training_runs_active_automated (migration 1795770000000).
const ACTIVE_AUTOMATED = `status IN ('queued', 'running') AND trigger <> 'manual'`;

@Injectable()
export class TrainingRunsRepository {
  /** `"snake_column" AS "camelProperty", …` so raw RETURNING rows come back shaped like the entity. */
  private readonly selectList: string;
  private readonly insertColumns: { column: string; property: keyof NewTrainingRun }[];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    const columns = dataSource.getMetadata(TrainingRunEntity).columns;
    this.selectList = columns.map((column) => `"${column.databaseName}" AS "${column.propertyName}"`).join(', ');
    this.insertColumns = columns
      .filter((column) => !['id', 'createdAt', 'updatedAt', 'lastHeartbeatAt'].includes(column.propertyName))
      .map((column) => ({ column: column.databaseName, property: column.propertyName as keyof NewTrainingRun }));
  }

  private repository(transaction?: Transaction) {
    return managerOf(this.dataSource, transaction).getRepository(TrainingRunEntity);
  }

  /**
   * Inserts the run unless it would be a second active automated run for its model; null then.
   * ON CONFLICT … DO NOTHING against the partial unique index instead of catching the unique
   * violation, because a violation would abort the caller's transaction (the coordinator's).
   */
  async insertRun(run: NewTrainingRun, now: Date, transaction?: Transaction): Promise<TrainingRunEntity | null> {
    const values = this.insertColumns.map(({ property }) => {
      const value = run[property];
      return value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value;
    });
    const placeholders = values.map((_value, index) => `$${index + 1}`);
    const rows: TrainingRunEntity[] = await managerOf(this.dataSource, transaction).query(
      `INSERT INTO model_training_history (${this.insertColumns.map(({ column }) => `"${column}"`).join(', ')}, created_at, updated_at)
       VALUES (${placeholders.join(', ')}, $${values.length + 1}, $${values.length + 1})
       ON CONFLICT (model_id) WHERE ${ACTIVE_AUTOMATED} DO NOTHING
       RETURNING ${this.selectList}`,
      [...values, now],
    );
    return rows[0] ?? null;
  }

  /** By id alone (the API's run paths name no model): served by ix_training_runs_id. */
  findById(id: string, transaction?: Transaction): Promise<TrainingRunEntity | null> {
    return this.repository(transaction).findOneBy({ id });
  }

  /** Locks the row until the transaction ends, so concurrent status changes are applied one after the other. */
  findByIdForUpdate(id: string, transaction: Transaction): Promise<TrainingRunEntity | null> {
    return this.repository(transaction).createQueryBuilder('run').where('run.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /** The model's queued or running automated run, share-locked so it cannot finish before the caller's transaction ends. */
  async findActiveAutomated(modelId: string, transaction?: Transaction, lock = false): Promise<AutomatedRunRef | null> {
    const rows: AutomatedRunRef[] = await managerOf(this.dataSource, transaction).query(
      `SELECT id, status, trigger, queued_at AS "queuedAt" FROM model_training_history
       WHERE model_id = $1 AND ${ACTIVE_AUTOMATED}${lock ? ' FOR SHARE' : ''}`,
      [modelId],
    );
    return rows[0] ?? null;
  }

  /** The model's oldest queued or running run of any trigger (manual runs too), if any. */
  async findActive(modelId: string, transaction?: Transaction): Promise<AutomatedRunRef | null> {
    const rows: AutomatedRunRef[] = await managerOf(this.dataSource, transaction).query(
      `SELECT id, status, trigger, queued_at AS "queuedAt" FROM model_training_history
       WHERE model_id = $1 AND status IN ('queued', 'running') ORDER BY queued_at ASC, id ASC LIMIT 1`,
      [modelId],
    );
    return rows[0] ?? null;
  }

  /** The model's most recently queued automated run, whatever its status. */
  async findLastAutomated(modelId: string, transaction?: Transaction): Promise<AutomatedRunRef | null> {
    const rows: AutomatedRunRef[] = await managerOf(this.dataSource, transaction).query(
      `SELECT id, status, trigger, queued_at AS "queuedAt" FROM model_training_history
       WHERE model_id = $1 AND trigger <> 'manual' ORDER BY queued_at DESC, id DESC LIMIT 1`,
      [modelId],
    );
    return rows[0] ?? null;
  }

  /** The model version of the model's newest succeeded run finished before `finishedAt` (other than runId), if any. */
  async findPreviousSucceededVersion(modelId: string, runId: string, finishedAt: Date, transaction?: Transaction): Promise<string | null> {
    const rows: { model_version: string }[] = await managerOf(this.dataSource, transaction).query(
      `SELECT model_version FROM model_training_history
       WHERE model_id = $1 AND id <> $2 AND status = 'succeeded' AND model_version IS NOT NULL AND finished_at <= $3
       ORDER BY finished_at DESC, id DESC LIMIT 1`,
      [modelId, runId, finishedAt],
    );
    return rows[0]?.model_version ?? null;
  }

  /**
   * Every queued or running automated run with its last sign of life (heartbeat or update, else start or queue
   * time), for the lease check: at most one per model, so the list stays small.
   */
  findActiveAutomatedLeases(
    transaction: Transaction,
  ): Promise<{ id: string; modelId: string; status: 'queued' | 'running'; lastSeenAt: Date }[]> {
    return transaction.manager.query(
      `SELECT id, model_id AS "modelId", status,
              COALESCE(last_heartbeat_at, CASE WHEN status = 'running' THEN started_at END, queued_at) AS "lastSeenAt"
       FROM model_training_history WHERE status IN ('queued', 'running') AND trigger <> 'manual'`,
    );
  }

  /** Keyset page, newest first on (queued_at, id): stable under concurrent inserts. */
  list(filter: TrainingRunFilter): Promise<TrainingRunEntity[]> {
    const query = this.repository()
      .createQueryBuilder('run')
      .orderBy('run.queuedAt', 'DESC')
      .addOrderBy('run.id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.modelId) query.andWhere('run.modelId = :modelId', { modelId: filter.modelId });
    if (filter.status) query.andWhere('run.status = :status', { status: filter.status });
    if (filter.trigger) query.andWhere('run.trigger = :trigger', { trigger: filter.trigger });
    if (filter.from) query.andWhere('run.queuedAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('run.queuedAt < :to', { to: filter.to });
    if (filter.before) {
      query.andWhere('(run.queuedAt, run.id) < (:beforeQueuedAt, :beforeId)', {
        beforeQueuedAt: filter.before.queuedAt,
        beforeId: filter.before.id,
      });
    }
    return query.getMany();
  }

  /** Applies the changes to the (locked) run and returns it as stored. */
  async update(run: TrainingRunEntity, changes: TrainingRunChanges, now: Date, transaction: Transaction): Promise<TrainingRunEntity> {
    const stored = { ...changes, updatedAt: now };
    await this.repository(transaction).update({ modelId: run.modelId, id: run.id }, stored);
    return Object.assign(run, stored);
  }

  async summaryGroups(modelId: string): Promise<RunGroup[]> {
    const rows: RunGroup[] = await this.dataSource.query(
      `SELECT status, trigger, count(*)::int AS "count",
              count(*) FILTER (WHERE started_at IS NOT NULL AND finished_at IS NOT NULL)::int AS "timedCount",
              COALESCE(sum(EXTRACT(EPOCH FROM finished_at - started_at)), 0)::float8 AS "durationSecondsSum"
       FROM model_training_history WHERE model_id = $1 GROUP BY status, trigger`,
      [modelId],
    );
    return rows;
  }

  findLastSucceeded(modelId: string): Promise<TrainingRunEntity | null> {
    return this.repository()
      .createQueryBuilder('run')
      .where('run.modelId = :modelId AND run.status = :status', { modelId, status: TrainingRunStatus.Succeeded })
      .orderBy('run.finishedAt', 'DESC')
      .addOrderBy('run.id', 'DESC')
      .limit(1)
      .getOne();
  }

  findLatest(modelId: string): Promise<TrainingRunEntity | null> {
    return this.repository()
      .createQueryBuilder('run')
      .where('run.modelId = :modelId', { modelId })
      .orderBy('run.queuedAt', 'DESC')
      .addOrderBy('run.id', 'DESC')
      .limit(1)
      .getOne();
  }
}
