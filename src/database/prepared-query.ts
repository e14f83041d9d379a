import { Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/** A statement PostgreSQL parses and plans once per pooled connection, under its name. */
export interface PreparedStatement {
  /** Unique per text: node-postgres refuses one name for two texts on a connection. */
  readonly name: string;
  readonly text: string;
}

/**
 * Each pooled client prepares under a name of its own. On the embedded default every client of pglite-socket talks to
 * one PGlite session, so a second client preparing the first one's name gets 42P05 "prepared statement already
 * exists"; on a server each client has its own session and the number changes nothing.
 */
const clientNumbers = new WeakMap<PoolClient, number>();
let clientsSeen = 0;
function clientNumber(client: PoolClient): number {
  let number = clientNumbers.get(client);
  if (number === undefined) clientNumbers.set(client, (number = ++clientsSeen));
  return number;
}

/**
 * A transaction-mode pooler (PgBouncer before 1.21, or without max_prepared_statements) hands a client whichever server
 * session is free: its statement is missing there (26000) or another client's is (42P05). The first such error turns
 * preparing off for the process and the read is sent again unnamed, as every other query is.
 */
const SESSION_NOT_OURS = new Set(['26000', '42P05']);
let preparing = true;

/**
 * Runs a read outside any transaction as a named prepared statement (node-postgres prepares it on a connection's first
 * use and from then on sends only Bind/Execute), for hot reads whose parse and plan cost as much as their execution:
 * the A/B results read plans in ≈ 0.35 ms of a 1.05 ms round trip (docs/benchmarks.md, issue 15). PostgreSQL may
 * switch a prepared statement to a generic plan after five executions, so use it only for statements whose plan does
 * not depend on the values (lookups by key), not for time-range reads over partitions. Inside a transaction use the
 * transaction's manager: a query runner released by a lost connection must fail the transaction, not reconnect.
 */
export async function preparedQuery<Row>(dataSource: DataSource, statement: PreparedStatement, values: unknown[]): Promise<Row[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    if (preparing) {
      try {
        const name = `${statement.name}_${clientNumber(client)}`;
        return (await client.query({ name, text: statement.text, values })).rows as Row[];
      } catch (error) {
        if (!SESSION_NOT_OURS.has((error as { code?: string }).code ?? '')) throw error;
        preparing = false;
        new Logger('PreparedQuery').warn(
          `Prepared statements are off from now on: ${(error as Error).message} (a pooler in transaction mode shares server sessions).`,
        );
      }
    }
    return (await client.query({ text: statement.text, values })).rows as Row[];
  } finally {
    await runner.release();
  }
}
