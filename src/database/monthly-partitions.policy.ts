/**
 * Months of the monthly partitioned tables (metric points, the prediction log). Pure: no framework, no database.
 * A table is partitioned by calendar month in UTC; partitions are named <parent>_pYYYYMM, beside <parent>_default.
 */
const DAY_MS = 86_400_000;

/** Months ahead of the current one that always have a partition. */
export const MONTHS_AHEAD = 2;

/** 'YYYY-MM' of an instant, in UTC. */
export function monthOf(time: Date | number): string {
  return new Date(time).toISOString().slice(0, 7);
}

/** [start, end) of a 'YYYY-MM' month in UTC. */
export function monthBounds(month: string): { from: Date; to: Date } {
  const [year, monthNumber] = month.split('-').map(Number);
  return { from: new Date(Date.UTC(year, monthNumber - 1, 1)), to: new Date(Date.UTC(year, monthNumber, 1)) };
}

/** `<parent>_pYYYYMM`: the partition of a month. */
export function partitionName(month: string, parent: string): string {
  return `${parent}_p${month.replace('-', '')}`;
}

/** The month of a partition name, or null for another table (the default partition). */
export function partitionMonth(name: string, parent: string): string | null {
  const match = /^(.+)_p(\d{4})(\d{2})$/.exec(name);
  if (!match || match[1] !== parent) return null;
  return `${match[2]}-${match[3]}`;
}

/** The current month and MONTHS_AHEAD after it. */
export function monthsToPrepare(now: Date): string[] {
  const months: string[] = [];
  for (let ahead = 0; ahead <= MONTHS_AHEAD; ahead++) {
    months.push(monthOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1)));
  }
  return months;
}

/** Start of the retained range: data strictly before it is dropped. Null when kept forever. */
export function retentionCutoff(now: Date, days: number | null): Date | null {
  return days === null ? null : new Date(now.getTime() - days * DAY_MS);
}

/** Partition months that lie wholly before the cutoff (dropped whole, never cut in half). */
export function expiredMonths(months: readonly string[], cutoff: Date): string[] {
  return months.filter((month) => monthBounds(month).to.getTime() <= cutoff.getTime()).sort();
}
