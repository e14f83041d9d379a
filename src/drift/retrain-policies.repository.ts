import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { managerOf, Transaction } from 'src/database/transaction';
import { RetrainPolicyEntity } from 'src/drift/retrain-policy.entity';

export type RetrainPolicyValues = Omit<RetrainPolicyEntity, 'model' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class RetrainPoliciesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repository(transaction?: Transaction) {
    return managerOf(this.dataSource, transaction).getRepository(RetrainPolicyEntity);
  }

  find(modelId: string, transaction?: Transaction): Promise<RetrainPolicyEntity | null> {
    return this.repository(transaction).findOneBy({ modelId });
  }

  /** Locks the policy row (if any) for the rest of the transaction, so a PUT reads and writes one consistent version. */
  findForUpdate(modelId: string, transaction: Transaction): Promise<RetrainPolicyEntity | null> {
    return this.repository(transaction)
      .createQueryBuilder('policy')
      .where('policy.modelId = :modelId', { modelId })
      .setLock('pessimistic_write')
      .getOne();
  }

  async upsert(values: RetrainPolicyValues, transaction: Transaction): Promise<RetrainPolicyEntity> {
    await this.repository(transaction).upsert(values, ['modelId']);
    return this.repository(transaction).findOneByOrFail({ modelId: values.modelId });
  }

  /** The lease-expiry job's cross-instance lock, held to the end of the transaction; false when another instance has it. */
  async tryLockLeaseExpiry(transaction: Transaction): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await transaction.manager.query(
      `SELECT pg_try_advisory_xact_lock(hashtext('retrain:lease-expiry')) AS locked`,
    );
    return locked;
  }

  /**
   * Serialises retrain decisions per model across every instance: a transaction-scoped advisory lock, released at
   * commit or rollback, so the policy check and the run creation that follows see no concurrent trigger in between.
   */
  async lockModelForRetrain(modelId: string, transaction: Transaction): Promise<void> {
    await transaction.manager.query(`SELECT pg_advisory_xact_lock(hashtext('retrain:' || $1))`, [modelId]);
  }
}
