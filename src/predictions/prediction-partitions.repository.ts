import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { affectedRows, MonthlyPartitions } from 'src/database/monthly-partitions';
import { TransactionRunner, type Transaction } from 'src/database/transaction';

/**
 * The monthly partitions of model_predictions (src/database/monthly-partitions.ts), and the retention of what lives
 * beside them: the claimed ids and the labels of predictions before a cutoff.
 */
@Injectable()
export class PredictionPartitionsRepository {
  readonly predictions: MonthlyPartitions;

  constructor(@InjectDataSource() dataSource: DataSource, transactions: TransactionRunner) {
    this.predictions = new MonthlyPartitions(dataSource, transactions, {
      parent: 'model_predictions',
      timeColumn: 'predicted_at',
      lockKey: 'predictions:partitions',
    });
  }

  /** Labels of predictions before the cutoff (they find their prediction's time through its id: run before deleteIdsBefore). */
  async deleteLabelsBefore(cutoff: Date, transaction: Transaction): Promise<number> {
    const result = await transaction.manager.query(
      `DELETE FROM model_labels label USING model_prediction_ids id
       WHERE id.model_id = label.model_id AND id.prediction_id = label.prediction_id AND id.predicted_at < $1`,
      [cutoff],
    );
    return affectedRows(result);
  }

  /** Claimed ids of predictions before the cutoff. */
  async deleteIdsBefore(cutoff: Date, transaction: Transaction): Promise<number> {
    return affectedRows(await transaction.manager.query(`DELETE FROM model_prediction_ids WHERE predicted_at < $1`, [cutoff]));
  }
}
