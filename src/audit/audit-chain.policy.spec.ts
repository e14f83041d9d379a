import { canonicalJson, entryHash, firstBreak, GENESIS_HASH, type ChainedEntry } from 'src/audit/audit-chain.policy';

function chain(count: number): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const fields = {
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
      actor: 'ops',
      operation: 'updateAlertChannel',
      method: 'PATCH',
      path: `/api/v1/alert-channels/${seq}`,
      resourceType: 'alert-channel',
      resourceId: String(seq),
      requestId: `r-${seq}`,
      before: { b: 1, a: [1, { y: 2, x: 1 }] },
      after: null,
    };
    const hash = entryHash(prevHash, fields);
    entries.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

describe('audit hash chain', () => {
  it('sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}');
  });

  it('verifies an intact chain and finds the first altered, removed or re-linked entry', () => {
    const start = { seq: 0, hash: GENESIS_HASH };
    expect(firstBreak(chain(5), start)).toBeNull();
    const altered = chain(5);
    altered[2] = { ...altered[2], actor: 'mallory' };
    expect(firstBreak(altered, start)).toEqual({ seq: 3, reason: 'hash_mismatch' });
    const removed = chain(5).filter((entry) => entry.seq !== 2);
    expect(firstBreak(removed, start)).toEqual({ seq: 3, reason: 'sequence_gap' });
    const relinked = chain(5);
    relinked[3] = { ...relinked[3], prevHash: GENESIS_HASH };
    expect(firstBreak(relinked, start)).toEqual({ seq: 4, reason: 'prev_hash_mismatch' });
  });
});
