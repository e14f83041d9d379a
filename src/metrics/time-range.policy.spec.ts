import { resolveTimeRange } from 'src/metrics/time-range.policy';

const NOW = new Date('2025-06-01T00:00:00Z');

describe('resolveTimeRange', () => {
  it('defaults to the 30 days before now, or before `to`', () => {
    expect(resolveTimeRange(undefined, undefined, NOW).range).toEqual({ from: new Date('2025-05-02T00:00:00Z'), to: NOW });
    expect(resolveTimeRange(undefined, new Date('2025-02-01T00:00:00Z'), NOW).range.from).toEqual(new Date('2025-01-02T00:00:00Z'));
  });

  it('names `from` when it is not before `to`', () => {
    const at = new Date('2025-01-01T00:00:00Z');
    expect(resolveTimeRange(at, at, NOW).error).toEqual({ field: 'from', message: expect.any(String) });
    expect(resolveTimeRange(new Date('2025-07-01T00:00:00Z'), undefined, NOW).error?.field).toBe('from');
  });
});
