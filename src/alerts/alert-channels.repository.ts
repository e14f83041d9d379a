import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlertChannelEntity } from 'src/alerts/alert-channel.entity';
import { AlertSeverity, ChannelKind } from 'src/alerts/alert.enums';
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

  /**
   * Enabled channels that take this model's alerts at this severity (severities compare in enum order); an alert
   * of no model (null) goes to channels without a model filter. `kinds` / `excludeKinds` narrow by channel kind.
   */
  findMatching(
    filter: { modelId: string | null; severity: AlertSeverity; resolvedOnly: boolean; kinds?: ChannelKind[]; excludeKinds?: ChannelKind[] },
    transaction?: Transaction,
  ): Promise<AlertChannelEntity[]> {
    const query = this.repository(transaction)
      .createQueryBuilder('channel')
      .where('channel.enabled')
      .andWhere('channel.minSeverity <= :severity', { severity: filter.severity })
      .andWhere('(channel.modelId IS NULL OR channel.modelId = :modelId)', { modelId: filter.modelId })
      .orderBy('channel.name', 'ASC');
    if (filter.resolvedOnly) query.andWhere('channel.sendResolved');
    if (filter.kinds) query.andWhere('channel.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.excludeKinds?.length) query.andWhere('channel.kind NOT IN (:...excludeKinds)', { excludeKinds: filter.excludeKinds });
    return query.getMany();
  }

  /**
   * Alertmanager re-sends (ALERTMANAGER_RESEND_MINUTES): each enabled alertmanager channel with each open (firing or
   * acknowledged) alert it takes whose last notice to it is older than `staleBefore`, so Alertmanager does not
   * resolve an alert on its own. Alerts that came from Alertmanager are not pushed back to it.
   */
  async findStaleAlertmanagerPushes(
    staleBefore: Date,
    limit: number,
    transaction: Transaction,
  ): Promise<{ channelId: string; alertId: string }[]> {
    const rows: { channel_id: string; alert_id: string }[] = await transaction.manager.query(
      `SELECT channel.id AS channel_id, alert.id AS alert_id
       FROM model_alert_channels channel
       JOIN model_alerts alert ON alert.status IN ('firing', 'acknowledged') AND alert.fired_at IS NOT NULL
         AND alert.severity >= channel.min_severity AND (channel.model_id IS NULL OR channel.model_id = alert.model_id)
         AND alert.source <> 'alertmanager'
       WHERE channel.enabled AND channel.kind = 'alertmanager'
         AND NOT EXISTS (SELECT 1 FROM model_alert_outbox outbox
                         WHERE outbox.alert_id = alert.id AND outbox.channel_id = channel.id AND outbox.created_at >= $1)
       ORDER BY alert.fired_at
       LIMIT $2`,
      [staleBefore, limit],
    );
    return rows.map((row) => ({ channelId: row.channel_id, alertId: row.alert_id }));
  }
}
