import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { managerOf, type Transaction, type TransactionRunner } from 'src/database/transaction';
import {
  expiredMonths,
  monthBounds,
  monthOf,
  monthsToPrepare,
  partitionMonth,
  partitionName,
} from 'src/database/monthly-partitions.policy';

/** A table partitioned by RANGE of a timestamptz column, one partition per calendar month (UTC), plus `<parent>_default`. */
export interface MonthlyPartitionedTable {
  parent: string;
  timeColumn: string;
  /** The advisory lock every schema change of this table's partitions takes (transaction-scoped). */
  lockKey: string;
}

/**
 * DDL of a monthly partitioned table: partitions created ahead, on demand for a backfill, rows of the default partition
 * moved into their month, expired months dropped whole. Every change runs under the table's transaction-scoped
 * advisory lock, each in a short transaction of its own (never inside a write transaction: creating or dropping a
 * partition locks the parent until commit), so instances take turns. Used by the metric points and the prediction log.
 */
export class MonthlyPartitions {
  /** Months known to have a partition (a stale entry only sends rows to the default partition: still safe). */
  private readonly known = new Set<string>();
  private readonly defaultPartition: string;
  private readonly logger = new Logger(MonthlyPartitions.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    readonly table: MonthlyPartitionedTable,
  ) {
    this.defaultPartition = `${table.parent}_default`;
  }

  /** Waits for the partition lock (released at commit). */
  async lock(transaction: Transaction): Promise<void> {
    await transaction.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [this.table.lockKey]);
  }

  /** Runs one step in its own short transaction under the partition lock. */
  step<Result>(work: (transaction: Transaction) => Promise<Result>): Promise<Result> {
    return this.transactions.run(async (transaction) => {
      await this.lock(transaction);
      return work(transaction);
    });
  }

  /** Months that have a partition, oldest first. */
  async listMonths(transaction?: Transaction): Promise<string[]> {
    const rows: { name: string }[] = await managerOf(this.dataSource, transaction).query(
      `SELECT child.relname AS name FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid
       WHERE pg_inherits.inhparent = $1::regclass`,
      [this.table.parent],
    );
    return rows
      .map((row) => partitionMonth(row.name, this.table.parent))
      .filter((month): month is string => month !== null)
      .sort();
  }

  /** Months that have rows in the default partition. */
  async monthsInDefault(transaction: Transaction): Promise<string[]> {
    const rows: { month: string }[] = await transaction.manager.query(
      `SELECT DISTINCT to_char(date_trunc('month', ${this.table.timeColumn} AT TIME ZONE 'UTC'), 'YYYY-MM') AS month
       FROM ${this.defaultPartition} ORDER BY 1`,
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
    const { parent, timeColumn } = this.table;
    const manager = transaction.manager;
    await manager.query(`CREATE TEMPORARY TABLE moving_rows (LIKE ${parent}) ON COMMIT DROP`);
    const [moved]: { count: number }[] = await manager.query(
      `WITH moved AS (DELETE FROM ${this.defaultPartition} WHERE ${timeColumn} >= $1 AND ${timeColumn} < $2 RETURNING *),
            kept AS (INSERT INTO moving_rows SELECT * FROM moved RETURNING 1)
       SELECT count(*)::int AS count FROM kept`,
      [from, to],
    );
    await manager.query(
      `CREATE TABLE ${partitionName(month, parent)} PARTITION OF ${parent} FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
    );
    if (moved.count > 0) await manager.query(`INSERT INTO ${parent} SELECT * FROM moving_rows`);
    await manager.query(`DROP TABLE moving_rows`);
    return moved.count;
  }

  /** Drops a month's partition whole (no DELETE, no vacuum debt). */
  async dropMonth(month: string, transaction: Transaction): Promise<void> {
    await transaction.manager.query(`DROP TABLE IF EXISTS ${partitionName(month, this.table.parent)}`);
  }

  /** Rows before the cutoff left in the default partition; how many went. */
  async deleteDefaultBefore(cutoff: Date, transaction: Transaction): Promise<number> {
    const result = await transaction.manager.query(`DELETE FROM ${this.defaultPartition} WHERE ${this.table.timeColumn} < $1`, [cutoff]);
    return affectedRows(result);
  }

  /**
   * Creates the partitions of the months of these times that have none yet (each in its own short transaction), and
   * logs them; returns them.
   */
  async ensureMonths(times: readonly Date[]): Promise<string[]> {
    const missing = [...new Set(times.map((time) => monthOf(time)))].filter((month) => !this.known.has(month));
    const created: string[] = [];
    for (const month of missing) {
      await this.step(async (transaction) => {
        const existing = await this.listMonths(transaction);
        existing.forEach((known) => this.known.add(known));
        if (existing.includes(month)) return;
        await this.createMonth(month, transaction);
        created.push(month);
      });
      this.known.add(month);
    }
    if (created.length > 0) this.logger.log({ table: this.table.parent, months: created }, 'Created partitions on demand');
    return created;
  }

  /**
   * The current month and the next ones, and the months of rows in the default partition (moved into them), unless
   * they lie wholly before the retention cutoff. Returns the months created and the rows moved.
   */
  async prepare(now: Date, cutoff: Date | null): Promise<{ created: string[]; moved: number }> {
    return this.step(async (transaction) => {
      const existing = new Set(await this.listMonths(transaction));
      const stray = await this.monthsInDefault(transaction);
      const wanted = [...new Set([...monthsToPrepare(now), ...stray])].filter(
        (month) => !existing.has(month) && !(cutoff && expiredMonths([month], cutoff).length > 0),
      );
      wanted.sort();
      let moved = 0;
      for (const month of wanted) moved += await this.createMonth(month, transaction);
      return { created: wanted, moved };
    });
  }

  /** Drops every month wholly before the cutoff and deletes what is before it in the default partition. */
  async dropExpired(cutoff: Date): Promise<{ dropped: string[]; defaultRows: number }> {
    const dropped: string[] = [];
    for (const month of expiredMonths(await this.listMonths(), cutoff)) {
      await this.step((transaction) => this.dropMonth(month, transaction));
      dropped.push(month);
    }
    const defaultRows = await this.step((transaction) => this.deleteDefaultBefore(cutoff, transaction));
    return { dropped, defaultRows };
  }

  /** Re-reads which months have a partition (after a maintenance run). */
  async refreshKnown(): Promise<void> {
    this.known.clear();
    (await this.listMonths()).forEach((month) => this.known.add(month));
  }
}

/** TypeORM's postgres driver answers a DELETE with [rows, affected count]. */
export function affectedRows(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
