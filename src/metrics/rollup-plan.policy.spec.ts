import { planTrendSources, planTrendSourcesBefore, servingResolutions } from 'src/metrics/rollup-plan.policy';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

describe('rollup plan policy', () => {
  it('serves a bucket from the resolutions that divide it, coarsest first', () => {
    expect(servingResolutions(DAY)).toEqual(['day', 'hour', 'minute']);
    expect(servingResolutions(6 * HOUR)).toEqual(['hour', 'minute']);
    expect(servingResolutions(5 * MINUTE)).toEqual(['minute']);
    expect(servingResolutions(7 * DAY)).toEqual(['day', 'hour', 'minute']);
  });

  it('covers the range exactly: coarsest middle, finer sides, raw sub-minute edges', () => {
    const from = DAY - HOUR - MINUTE - 5_000;
    const to = 3 * DAY + HOUR + MINUTE + 7_000;
    expect(planTrendSources(from, to, DAY)).toEqual([
      { source: 'raw', from, to: DAY - HOUR - MINUTE },
      { source: 'minute', from: DAY - HOUR - MINUTE, to: DAY - HOUR },
      { source: 'hour', from: DAY - HOUR, to: DAY },
      { source: 'day', from: DAY, to: 3 * DAY },
      { source: 'hour', from: 3 * DAY, to: 3 * DAY + HOUR },
      { source: 'minute', from: 3 * DAY + HOUR, to: 3 * DAY + HOUR + MINUTE },
      { source: 'raw', from: 3 * DAY + HOUR + MINUTE, to },
    ]);
    expect(planTrendSources(10, 20, DAY)).toEqual([{ source: 'raw', from: 10, to: 20 }]);
  });

  it('reads rollups only wholly before the watermark and raw points from the watermark on', () => {
    // Watermark mid-minute: the minute holding it is read raw too (part of it may be folded, part not).
    const watermark = 2 * DAY + 3 * HOUR + 30_000;
    expect(planTrendSourcesBefore(0, 4 * DAY, DAY, watermark)).toEqual([
      { source: 'day', from: 0, to: 2 * DAY },
      { source: 'hour', from: 2 * DAY, to: 2 * DAY + 3 * HOUR },
      { source: 'raw', from: 2 * DAY + 3 * HOUR, to: 4 * DAY },
    ]);
    // A watermark on a minute boundary: everything before it from rollups.
    expect(planTrendSourcesBefore(0, 4 * DAY, DAY, 2 * DAY)).toEqual([
      { source: 'day', from: 0, to: 2 * DAY },
      { source: 'raw', from: 2 * DAY, to: 4 * DAY },
    ]);
    // Nothing unfolded, or only after the range: the plain plan; unfolded before the range: all raw.
    expect(planTrendSourcesBefore(0, 4 * DAY, DAY, null)).toEqual(planTrendSources(0, 4 * DAY, DAY));
    expect(planTrendSourcesBefore(0, 4 * DAY, DAY, 5 * DAY)).toEqual(planTrendSources(0, 4 * DAY, DAY));
    expect(planTrendSourcesBefore(DAY, 4 * DAY, DAY, 0)).toEqual([{ source: 'raw', from: DAY, to: 4 * DAY }]);
  });
});
