import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlertChannelEntity } from 'src/alerts/alert-channel.entity';
import { AlertSeverity } from 'src/alerts/alert.enums';
import { managerOf, Transaction } from 'src/database/transaction';

export type NewAlertChannel = Pick<AlertChannelEntity, 'name' | 'url'> &
  Partial<Omit<AlertChannelEntity, 'id' | 'createdAt' | 'updatedAt'>>;

@Injectable()
export class AlertChannelsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repository(transaction?: Transaction) {
    return managerOf(this.dataSource, transaction).getRepository(AlertChannelEntity);
  }

  insert(channel: NewAlertChannel, transaction?: Transaction): Promise<AlertChannelEntity> {
    const repository = this.repository(transaction);
    return repository.save(repository.create(channel));
  }

  findById(id: string, transaction?: Transaction): Promise<AlertChannelEntity | null> {
    return this.repository(transaction).findOneBy({ id });
  }

  /** The row locked for the rest of the transaction (a change reads and writes one version). */
  findByIdForUpdate(id: string, transaction: Transaction): Promise<AlertChannelEntity | null> {
    return this.repository(transaction)
      .createQueryBuilder('channel')
      .where('channel.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** Keyset page ordered by name (unique). */
  list(filter: { afterName?: string; limit: number }): Promise<AlertChannelEntity[]> {
    const query = this.repository()
      .createQueryBuilder('channel')
      .orderBy('channel.name', 'ASC')
      .limit(filter.limit + 1);
    if (filter.afterName !== undefined) query.andWhere('channel.name > :afterName', { afterName: filter.afterName });
    return query.getMany();
  }

  update(channel: AlertChannelEntity, changes: Partial<AlertChannelEntity>, transaction?: Transaction): Promise<AlertChannelEntity> {
    const repository = this.repository(transaction);
    return repository.save(repository.merge(channel, changes));
  }

  async delete(id: string, transaction?: Transaction): Promise<boolean> {
    const result = await this.repository(transaction).delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** Enabled channels that take this model's alerts at this severity (severities compare in enum order). */
  findMatching(
    filter: { modelId: string; severity: AlertSeverity; resolvedOnly: boolean },
    transaction?: Transaction,
  ): Promise<AlertChannelEntity[]> {
    const query = this.repository(transaction)
      .createQueryBuilder('channel')
      .where('channel.enabled')
      .andWhere('channel.minSeverity <= :severity', { severity: filter.severity })
      .andWhere('(channel.modelId IS NULL OR channel.modelId = :modelId)', { modelId: filter.modelId })
      .orderBy('channel.name', 'ASC');
    if (filter.resolvedOnly) query.andWhere('channel.sendResolved');
    return query.getMany();
  }
}
