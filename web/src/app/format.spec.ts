import {
  formatAgo,
  formatDuration,
  formatNumber,
  formatPercent,
  formatPValue,
  formatSignedPercent,
  formatTime,
  humanize,
} from '@/app/format';

describe('format', () => {
  it('numbers: 4 significant digits, thousands separators, exponent for extremes, a dash for missing', () => {
    expect(formatNumber(0.936512)).toBe('0.9365');
    expect(formatNumber(12345)).toBe('12,345');
    expect(formatNumber(1234.5678)).toBe('1,235');
    expect(formatNumber(2.5e-7)).toBe('2.50e-7');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatNumber(0)).toBe('0');
  });

  it('percentages and signed lifts', () => {
    expect(formatPercent(0.5)).toBe('50.0%');
    expect(formatSignedPercent(0.0321)).toBe('+3.2%');
    expect(formatSignedPercent(-0.0321, 2)).toBe('−3.21%');
    expect(formatSignedPercent(0)).toBe('±0.0%');
    expect(formatPercent(undefined)).toBe('—');
  });

  it('p-values: 3 significant digits, "< 0.0001" below', () => {
    expect(formatPValue(0.0123456)).toBe('0.0123');
    expect(formatPValue(0.5)).toBe('0.5');
    expect(formatPValue(0.00001)).toBe('< 0.0001');
    expect(formatPValue(null)).toBe('—');
  });

  it('times in UTC, durations and ages', () => {
    expect(formatTime('2026-12-01T14:05:09.123Z')).toBe('2026-12-01 14:05 UTC');
    expect(formatTime(null)).toBe('—');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(1830)).toBe('30 min 30 s');
    expect(formatDuration(7260)).toBe('2 h 1 min');
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(formatAgo('2026-12-01T10:00:00Z', now)).toBe('2 h ago');
    expect(formatAgo('2026-11-28T12:00:00Z', now)).toBe('3 d ago');
    expect(humanize('performance_degradation')).toBe('Performance degradation');
  });
});
