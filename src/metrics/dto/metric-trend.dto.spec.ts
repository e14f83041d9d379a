import { createIsoFormatter } from 'src/metrics/dto/metric-trend.dto';

describe('createIsoFormatter', () => {
  it('writes exactly what toISOString writes, across days, before 1970 and beyond year 9999', () => {
    const times: number[] = [];
    for (let time = -3 * 86_400_000 - 1234; time < 400 * 86_400_000; time += 3_600_017) times.push(time);
    times.push(
      Date.parse('1969-12-31T23:59:59.999Z'),
      Date.parse('2024-02-29T23:59:59.999Z'),
      Date.parse('+010000-01-01T00:00:00.000Z'),
      0,
    );
    const iso = createIsoFormatter();
    expect(times.map((time) => iso(time))).toEqual(times.map((time) => new Date(time).toISOString()));
    expect(iso(new Date('2025-03-01T10:30:00.250Z'))).toBe('2025-03-01T10:30:00.250Z');
  });
});
