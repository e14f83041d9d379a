import { TransactionRunner, type Transaction } from 'src/database/transaction';

/** Joins the caller's transaction when given one, else opens a new one (public service methods accept either). */
export function inTransaction<Result>(
  runner: TransactionRunner,
  transaction: Transaction | undefined,
  work: (transaction: Transaction) => Promise<Result>,
): Promise<Result> {
  return transaction ? work(transaction) : runner.run(work);
}
