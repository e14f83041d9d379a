import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditEntryFields, ChainedEntry } from 'src/audit/audit-chain.policy';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import type { Transaction } from 'src/database/transaction';

export interface AuditFilter {
  actor?: string;
  operation?: string;
  resourceType?: string;
  resourceId?: string;
  from?: Date;
  to?: Date;
  beforeSeq?: number;
  limit: number;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Locks the chain head for the rest of the transaction and returns it. Appenders queue here, so seq has no gaps
   * and each entry links to the one committed before it; the lock is taken as the transaction's last step, so it is
   * held only for the append and the commit.
   */
  async lockHead(transaction: Transaction): Promise<{ seq: number; hash: string }> {
    const [head]: { seq: string; hash: string }[] = await transaction.manager.query(
      `SELECT last_seq AS seq, last_hash AS hash FROM model_audit_chain WHERE id = 1 FOR UPDATE`,
    );
    return { seq: Number(head.seq), hash: head.hash };
  }

  async append(entry: AuditEntryFields & { prevHash: string; hash: string }, transaction: Transaction): Promise<void> {
    await transaction.manager.query(
      `INSERT INTO model_audit_log (seq, at, actor, operation, method, path, resource_type, resource_id, request_id, before, after, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        entry.seq,
        entry.at,
        entry.actor,
        entry.operation,
        entry.method,
        entry.path,
        entry.resourceType,
        entry.resourceId,
        entry.requestId,
        entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
        entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
        entry.prevHash,
        entry.hash,
      ],
    );
    await transaction.manager.query(`UPDATE model_audit_chain SET last_seq = $1, last_hash = $2 WHERE id = 1`, [entry.seq, entry.hash]);
  }

  /** Newest first (seq descending), keyset on seq. */
  list(filter: AuditFilter): Promise<AuditEntryEntity[]> {
    const query = this.dataSource
      .getRepository(AuditEntryEntity)
      .createQueryBuilder('entry')
      .orderBy('entry.seq', 'DESC')
      .limit(filter.limit + 1);
    if (filter.actor) query.andWhere('entry.actor = :actor', { actor: filter.actor });
    if (filter.operation) query.andWhere('entry.operation = :operation', { operation: filter.operation });
    if (filter.resourceType) query.andWhere('entry.resourceType = :resourceType', { resourceType: filter.resourceType });
    if (filter.resourceId) query.andWhere('entry.resourceId = :resourceId', { resourceId: filter.resourceId });
    if (filter.from) query.andWhere('entry.at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('entry.at < :to', { to: filter.to });
    if (filter.beforeSeq !== undefined) query.andWhere('entry.seq < :beforeSeq', { beforeSeq: filter.beforeSeq });
    return query.getMany();
  }

  /** Entries after `afterSeq` in chain order, for verification in batches. */
  async chainAfter(afterSeq: number, limit: number): Promise<ChainedEntry[]> {
    const rows = await this.dataSource
      .getRepository(AuditEntryEntity)
      .createQueryBuilder('entry')
      .where('entry.seq > :afterSeq', { afterSeq })
      .orderBy('entry.seq', 'ASC')
      .limit(limit)
      .getMany();
    return rows;
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const [head]: { seq: string; hash: string }[] = await this.dataSource.query(
      `SELECT last_seq AS seq, last_hash AS hash FROM model_audit_chain WHERE id = 1`,
    );
    return { seq: Number(head.seq), hash: head.hash };
  }
}
