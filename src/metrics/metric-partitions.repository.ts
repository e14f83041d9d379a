import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { managerOf, type Transaction } from 'src/database/transaction';
import { monthBounds, partitionMonth, partitionName } from 'src/metrics/metric-maintenance.policy';
import type { RollupResolution } from 'src/metrics/rollup-plan.policy';

const PARENT = 'model_performance_metrics';
const DEFAULT_PARTITION = 'model_performance_metrics_default';

/**
 * DDL and retention of the monthly partitions of model_performance_metrics, and retention of the rollups and
 * idempotency keys. Every schema change runs under one transaction-scoped advisory lock, so instances never race on
 * it; callers run each step in a short transaction of its own (never inside an ingest transaction: creating or
 * dropping a partition locks the parent table until commit).
 */
@Injectable()
export class MetricPartitionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Waits for the partition lock (released at commit). */
  async lock(transaction: Transaction): Promise<void> {
    await transaction.manager.query(`SELECT pg_advisory_xact_lock(hashtext('metrics:partitions'))`);
  }

  /** Months that have a partition, oldest first. */
  async listMonths(transaction?: Transaction): Promise<string[]> {
    const rows: { name: string }[] = await managerOf(this.dataSource, transaction).query(
      `SELECT child.relname AS name FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid
       WHERE pg_inherits.inhparent = '${PARENT}'::regclass`,
    );
    return rows
      .map((row) => partitionMonth(row.name))
      .filter((month): month is string => month !== null)
      .sort();
  }

  /** Months that have rows in the default partition. */
  async monthsInDefault(transaction: Transaction): Promise<string[]> {
    const rows: { month: string }[] = await transaction.manager.query(
      `SELECT DISTINCT to_char(date_trunc('month', recorded_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month FROM ${DEFAULT_PARTITION} ORDER BY 1`,
    );
    return rows.map((row) => row.month);
  }

  /**
   * Creates the month's partition (caller holds the lock and checked it is missing). Rows of that month already in
   * the default partition would violate the new partition's bounds, so they move out first, in the same transaction.
   * Returns how many rows moved.
   */
  async createMonth(month: string, transaction: Transaction): Promise<number> {
    const { from, to } = monthBounds(month);
    const manager = transaction.manager;
    await manager.query(`CREATE TEMPORARY TABLE moving_points (LIKE ${PARENT}) ON COMMIT DROP`);
    const [moved]: { count: number }[] = await manager.query(
      `WITH moved AS (DELETE FROM ${DEFAULT_PARTITION} WHERE recorded_at >= $1 AND recorded_at < $2 RETURNING *),
            kept AS (INSERT INTO moving_points SELECT * FROM moved RETURNING 1)
       SELECT count(*)::int AS count FROM kept`,
      [from, to],
    );
    await manager.query(
      `CREATE TABLE ${partitionName(month)} PARTITION OF ${PARENT} FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
    );
    if (moved.count > 0) await manager.query(`INSERT INTO ${PARENT} SELECT * FROM moving_points`);
    await manager.query(`DROP TABLE moving_points`);
    return moved.count;
  }

  /** Drops a month's partition whole (no DELETE, no vacuum debt). */
  async dropMonth(month: string, transaction: Transaction): Promise<void> {
    await transaction.manager.query(`DROP TABLE IF EXISTS ${partitionName(month)}`);
  }

  /** Points before the cutoff left in the default partition, and idempotency keys of points before it. */
  async deleteRawBefore(cutoff: Date, transaction: Transaction): Promise<{ points: number; keys: number }> {
    const points = await transaction.manager.query(`DELETE FROM ${DEFAULT_PARTITION} WHERE recorded_at < $1`, [cutoff]);
    const keys = await transaction.manager.query(`DELETE FROM metric_idempotency_keys WHERE recorded_at < $1`, [cutoff]);
    return { points: affected(points), keys: affected(keys) };
  }

  async deleteRollupsBefore(resolution: RollupResolution, cutoff: Date, transaction: Transaction): Promise<number> {
    const result = await transaction.manager.query(`DELETE FROM metric_rollups WHERE resolution = $1 AND bucket_start < $2`, [
      resolution,
      cutoff,
    ]);
    return affected(result);
  }
}

/** TypeORM's postgres driver answers a DELETE with [rows, affected count]. */
function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
