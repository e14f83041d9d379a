import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SilenceEntity } from 'src/alerts/silence.entity';
import { managerOf, Transaction } from 'src/database/transaction';

export type NewSilence = Omit<SilenceEntity, 'id' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class SilencesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repository(transaction?: Transaction) {
    return managerOf(this.dataSource, transaction).getRepository(SilenceEntity);
  }

  insert(silence: NewSilence, transaction: Transaction): Promise<SilenceEntity> {
    const repository = this.repository(transaction);
    return repository.save(repository.create(silence));
  }

  findById(id: string, transaction?: Transaction): Promise<SilenceEntity | null> {
    return this.repository(transaction).findOneBy({ id });
  }

  findByIdForUpdate(id: string, transaction: Transaction): Promise<SilenceEntity | null> {
    return this.repository(transaction)
      .createQueryBuilder('silence')
      .where('silence.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** Newest first, keyset by (created_at, id); `expired` filters on endsAt against now. */
  list(filter: { expired?: boolean; now: Date; before?: { at: Date; id: string }; limit: number }): Promise<SilenceEntity[]> {
    const query = this.repository()
      .createQueryBuilder('silence')
      .orderBy('silence.createdAt', 'DESC')
      .addOrderBy('silence.id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.expired === true) query.andWhere('silence.endsAt <= :now', { now: filter.now });
    if (filter.expired === false) query.andWhere('silence.endsAt > :now', { now: filter.now });
    if (filter.before) {
      query.andWhere('(silence.createdAt, silence.id) < (:beforeAt, :beforeId)', {
        beforeAt: filter.before.at,
        beforeId: filter.before.id,
      });
    }
    return query.getMany();
  }

  /** Silences whose [startsAt, endsAt) contains now (recurring ones may still be between windows); ends_at index first. */
  findInRange(now: Date, transaction: Transaction): Promise<SilenceEntity[]> {
    return this.repository(transaction)
      .createQueryBuilder('silence')
      .where('silence.endsAt > :now AND silence.startsAt <= :now', { now })
      .orderBy('silence.createdAt', 'ASC')
      .addOrderBy('silence.id', 'ASC')
      .getMany();
  }

  /** Silences whose [startsAt, endsAt) overlaps [from, to] (a backtest's range; expired ones keep their real end). */
  findOverlapping(from: Date, to: Date): Promise<SilenceEntity[]> {
    return this.repository()
      .createQueryBuilder('silence')
      .where('silence.endsAt > :from AND silence.startsAt <= :to', { from, to })
      .orderBy('silence.createdAt', 'ASC')
      .addOrderBy('silence.id', 'ASC')
      .getMany();
  }

  /** Expires it now: a pending silence ends where it would have started (startsAt = endsAt = now). */
  expire(silence: SilenceEntity, now: Date, transaction: Transaction): Promise<SilenceEntity> {
    const repository = this.repository(transaction);
    const startsAt = silence.startsAt.getTime() > now.getTime() ? now : silence.startsAt;
    return repository.save(repository.merge(silence, { startsAt, endsAt: now }));
  }
}
