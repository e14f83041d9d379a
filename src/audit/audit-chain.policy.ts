/**
 * The audit log's hash chain: each entry stores sha256(previous hash ‖ canonical JSON of the entry), so changing,
 * removing or reordering any entry breaks every link after it. Pure functions, no framework.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryFields {
  seq: number;
  at: Date;
  actor: string;
  operation: string;
  method: string;
  path: string;
  resourceType: string | null;
  resourceId: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
}

export interface ChainedEntry extends AuditEntryFields {
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth, so a jsonb round trip (which reorders keys) hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

export function entryHash(prevHash: string, entry: AuditEntryFields): string {
  // only the entry's own fields: a ChainedEntry passed in also carries its hashes
  const fields = {
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: entry.actor,
    operation: entry.operation,
    method: entry.method,
    path: entry.path,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    requestId: entry.requestId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  };
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}

export type ChainBreak = { seq: number; reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'head_mismatch' };

/** The first broken link of `entries` (ascending seq), given the hash and seq the chain had before them. */
export function firstBreak(entries: ChainedEntry[], before: { seq: number; hash: string }): ChainBreak | null {
  let previous = before;
  for (const entry of entries) {
    if (entry.seq !== previous.seq + 1) return { seq: entry.seq, reason: 'sequence_gap' };
    if (entry.prevHash !== previous.hash) return { seq: entry.seq, reason: 'prev_hash_mismatch' };
    if (entryHash(entry.prevHash, entry) !== entry.hash) return { seq: entry.seq, reason: 'hash_mismatch' };
    previous = { seq: entry.seq, hash: entry.hash };
  }
  return null;
}
