import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * A unit of work. Services open one with TransactionRunner.run and pass it down to
 * repositories (theirs and other modules'), which run every query through `manager`.
 * Services never touch TypeORM themselves.
 */
export interface Transaction {
  readonly manager: EntityManager;
}

/** Work appended to every transaction just before it commits (the audit trail), on that transaction. */
export type BeforeCommitHook = (transaction: Transaction) => Promise<void>;

@Injectable()
export class TransactionRunner {
  private readonly beforeCommit: BeforeCommitHook[] = [];

  constructor(private readonly dataSource: DataSource) {}

  run<Result>(work: (transaction: Transaction) => Promise<Result>): Promise<Result> {
    return this.dataSource.transaction(async (manager) => {
      const transaction = { manager };
      const result = await work(transaction);
      for (const hook of this.beforeCommit) await hook(transaction);
      return result;
    });
  }

  addBeforeCommit(hook: BeforeCommitHook): void {
    this.beforeCommit.push(hook);
  }

  /** Joins the caller's transaction when given one, else opens a new one (for service methods that accept either). */
  join<Result>(transaction: Transaction | undefined, work: (transaction: Transaction) => Promise<Result>): Promise<Result> {
    return transaction ? work(transaction) : this.run(work);
  }
}

/** Repositories: the transaction's manager when inside one, else the pool's. */
export function managerOf(dataSource: DataSource, transaction?: Transaction): EntityManager {
  return transaction?.manager ?? dataSource.manager;
}
