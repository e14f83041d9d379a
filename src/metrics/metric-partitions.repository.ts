import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { affectedRows, MonthlyPartitions } from 'src/database/monthly-partitions';
import { TransactionRunner, type Transaction } from 'src/database/transaction';
import type { RollupResolution } from 'src/metrics/rollup-plan.policy';

/** The monthly partitions of model_performance_metrics (one lock for every schema change of them). */
export const METRIC_POINTS_TABLE = { parent: 'model_performance_metrics', timeColumn: 'recorded_at', lockKey: 'metrics:partitions' };

/**
 * The monthly partitions of model_performance_metrics (src/database/monthly-partitions.ts), and retention of the
 * idempotency keys and rollups, which the maintenance job runs under the same lock.
 */
@Injectable()
export class MetricPartitionsRepository {
  readonly points: MonthlyPartitions;

  constructor(@InjectDataSource() dataSource: DataSource, transactions: TransactionRunner) {
    this.points = new MonthlyPartitions(dataSource, transactions, METRIC_POINTS_TABLE);
  }

  /** Idempotency keys of points before the cutoff. */
  async deleteKeysBefore(cutoff: Date, transaction: Transaction): Promise<number> {
    return affectedRows(await transaction.manager.query(`DELETE FROM metric_idempotency_keys WHERE recorded_at < $1`, [cutoff]));
  }

  async deleteRollupsBefore(resolution: RollupResolution, cutoff: Date, transaction: Transaction): Promise<number> {
    const result = await transaction.manager.query(`DELETE FROM metric_rollups WHERE resolution = $1 AND bucket_start < $2`, [
      resolution,
      cutoff,
    ]);
    return affectedRows(result);
  }
}
