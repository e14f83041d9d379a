import { ModelWatchError } from './errors';

/** The service's limit on points, predictions or labels per call. */
export const MAX_ITEMS_PER_CALL = 10_000;

export interface BatchOptions {
  /** Items per call, 1–10,000 (default 5,000). Each call is all or nothing. */
  batchSize?: number;
}

/** Where a batched record stopped: set on the ModelWatchError of the call that failed. */
export interface BatchFailure<Totals> {
  /** Index, in the items given, of the failed call's first item: resume from here (ids make re-sending safe). */
  offset: number;
  /** What the calls before the failed one recorded. */
  totals: Totals;
}

/** A ModelWatchError raised inside a batched record, with `batch` saying where it stopped. */
export type BatchError<Totals> = ModelWatchError & { batch: BatchFailure<Totals> };

/**
 * Sends any number of items in calls of `batchSize`, in order, one call at a time, and returns `zero` with every count
 * of the answers added (`recorded`, `duplicates`, …). When a call fails, the calls before it stand and its
 * ModelWatchError gains `batch: { offset, totals }`.
 */
export async function recordInBatches<Item, Totals extends Record<string, number>>(
  items: Iterable<Item> | AsyncIterable<Item>,
  send: (batch: Item[]) => Promise<Totals>,
  zero: Totals,
  options: BatchOptions = {},
): Promise<Totals> {
  const batchSize = options.batchSize ?? 5_000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_ITEMS_PER_CALL) {
    throw new RangeError(`batchSize must be an integer between 1 and ${MAX_ITEMS_PER_CALL}`);
  }
  let totals = zero;
  let batch: Item[] = [];
  let offset = 0;
  const flush = async (): Promise<void> => {
    let result: Totals;
    try {
      result = await send(batch);
    } catch (error) {
      if (error instanceof ModelWatchError) Object.assign(error, { batch: { offset, totals } });
      throw error;
    }
    totals = addCounts(totals, result);
    offset += batch.length;
    batch = [];
  };
  for await (const item of items) {
    batch.push(item);
    if (batch.length === batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  return totals;
}

function addCounts<Totals extends Record<string, number>>(totals: Totals, answer: Totals): Totals {
  const sum: Record<string, number> = { ...totals };
  for (const key of Object.keys(totals)) sum[key] = totals[key] + answer[key];
  return sum as Totals;
}
