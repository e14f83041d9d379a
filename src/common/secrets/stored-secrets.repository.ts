import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Transaction } from 'src/database/transaction';

/**
 * Every column that holds a secret (sealed); a table may have several. A new kind of secret adds its column
 * here, so start-up encryption of old plaintext, the no-key check and `npm run secrets:rotate` cover it.
 */
export const SECRET_COLUMNS: { table: string; id: string; column: string }[] = [
  { table: 'model_alert_channels', id: 'id', column: 'secret' },
  { table: 'model_alert_channels', id: 'id', column: 'routing_key' },
  { table: 'model_retrain_policies', id: 'model_id', column: 'webhook_secret' },
  { table: 'model_alert_outbox', id: 'id', column: 'secret' },
];

export interface StoredSecret {
  table: string;
  column: string;
  id: string;
  value: string;
}

/** The raw secret columns, for the at-rest housekeeping only (services read secrets through their own repositories). */
@Injectable()
export class StoredSecretsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async count(): Promise<number> {
    const parts = SECRET_COLUMNS.map(({ table, column }) => `(SELECT count(*) FROM ${table} WHERE ${column} IS NOT NULL)`);
    const [{ count }]: { count: number }[] = await this.dataSource.query(`SELECT (${parts.join(' + ')})::int AS count`);
    return count;
  }

  /** Every stored secret, locked for the transaction (so a rotation and a concurrent PATCH cannot interleave). */
  async listForUpdate(transaction: Transaction): Promise<StoredSecret[]> {
    const secrets: StoredSecret[] = [];
    for (const { table, id, column } of SECRET_COLUMNS) {
      const rows: { id: string; value: string }[] = await transaction.manager.query(
        `SELECT ${id}::text AS id, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL FOR UPDATE`,
      );
      secrets.push(...rows.map((row) => ({ table, column, id: row.id, value: row.value })));
    }
    return secrets;
  }

  async replace(secret: StoredSecret, value: string, transaction: Transaction): Promise<void> {
    const { table, id, column } = SECRET_COLUMNS.find((entry) => entry.table === secret.table && entry.column === secret.column)!;
    await transaction.manager.query(`UPDATE ${table} SET ${column} = $2 WHERE ${id}::text = $1`, [secret.id, value]);
  }
}
