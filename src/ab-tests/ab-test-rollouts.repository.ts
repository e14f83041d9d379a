import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AbTestEntity } from 'src/ab-tests/ab-test.entity';
import { AbTestRolloutEntity, AbTestRolloutEventEntity } from 'src/ab-tests/ab-test-rollout.entity';
import type { RolloutOutcome } from 'src/ab-tests/rollout.policy';
import { managerOf, Transaction } from 'src/database/transaction';

export type AbTestRolloutRecord = Omit<AbTestRolloutEntity, 'test'>;
export type AbTestRolloutEventRecord = Omit<AbTestRolloutEventEntity, 'test'>;
export type NewAbTestRolloutEvent = Omit<AbTestRolloutEventRecord, 'id'>;
export interface RunningRolloutKey {
  testId: string;
  startedAt: Date;
}

/** The ramp rows of rollout-mode tests and their history; the test row itself stays AbTestsRepository's. */
@Injectable()
export class AbTestRolloutsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(rollout: AbTestRolloutRecord, transaction: Transaction): Promise<void> {
    await transaction.manager.insert(AbTestRolloutEntity, rollout);
  }

  find(testId: string, transaction?: Transaction): Promise<AbTestRolloutRecord | null> {
    return managerOf(this.dataSource, transaction).findOneBy(AbTestRolloutEntity, { testId });
  }

  /** The history, oldest first. */
  listEvents(testId: string, transaction?: Transaction): Promise<AbTestRolloutEventRecord[]> {
    return managerOf(this.dataSource, transaction).find(AbTestRolloutEventEntity, {
      where: { testId },
      order: { occurredAt: 'ASC', id: 'ASC' },
    });
  }

  async appendEvent(event: NewAbTestRolloutEvent, transaction: Transaction): Promise<void> {
    await transaction.manager.insert(AbTestRolloutEventEntity, event);
  }

  /** Rollouts still ramping (their test running), oldest first, keyset-paged: what the periodic evaluator visits. */
  async listRunning(after: RunningRolloutKey | null, limit: number): Promise<RunningRolloutKey[]> {
    const rows: { test_id: string; started_at: Date }[] = await this.dataSource.query(
      `SELECT r.test_id, t.started_at FROM model_ab_test_rollouts r JOIN model_ab_tests t ON t.id = r.test_id
       WHERE r.outcome IS NULL AND t.status = 'running'
         AND ($1::timestamptz IS NULL OR (t.started_at, t.id) > ($1::timestamptz, $2::uuid))
       ORDER BY t.started_at, t.id LIMIT $3`,
      [after?.startedAt ?? null, after?.testId ?? null, limit],
    );
    return rows.map((row) => ({ testId: row.test_id, startedAt: row.started_at }));
  }

  /** Moves to a step: the rollout row and the coverage `assign` serves change in the caller's transaction. */
  async advance(
    testId: string,
    step: { stepIndex: number; coverage: number; startedAt: Date; startCounts: number[] },
    transaction: Transaction,
  ): Promise<void> {
    await transaction.manager.update(
      AbTestRolloutEntity,
      { testId },
      { stepIndex: step.stepIndex, stepStartedAt: step.startedAt, stepStartCounts: step.startCounts },
    );
    await transaction.manager.update(AbTestEntity, { id: testId }, { coverage: step.coverage });
  }

  async finish(testId: string, outcome: RolloutOutcome, endedAt: Date, transaction: Transaction): Promise<void> {
    await transaction.manager.update(AbTestRolloutEntity, { testId }, { outcome, endedAt });
  }

  /** The model version now serving all traffic by this registry's record: the challenger of the latest promoted rollout. */
  async findLatestPromotedVersion(modelId: string, transaction?: Transaction): Promise<string | null> {
    const rows: { model_version: string | null }[] = await managerOf(this.dataSource, transaction).query(
      `SELECT v.model_version FROM model_ab_test_rollouts r
       JOIN model_ab_tests t ON t.id = r.test_id
       JOIN model_ab_test_variants v ON v.test_id = r.test_id AND v.position = 1
       WHERE t.model_id = $1 AND r.outcome = 'promoted'
       ORDER BY r.ended_at DESC, r.test_id DESC LIMIT 1`,
      [modelId],
    );
    return rows[0]?.model_version ?? null;
  }
}
