import { bucketStart, buildHeatmap, HEATMAP_BUCKETS, heatmapGrid } from 'src/drift/drift-heatmap.policy';

const at = (iso: string) => new Date(iso);

describe('heatmap buckets', () => {
  it('aligns buckets to the Unix epoch', () => {
    expect(bucketStart(at('2025-03-05T13:59:59.999Z'), HEATMAP_BUCKETS['1h'])).toEqual(at('2025-03-05T13:00:00.000Z'));
    expect(bucketStart(at('2025-03-05T13:59:59.999Z'), HEATMAP_BUCKETS['6h'])).toEqual(at('2025-03-05T12:00:00.000Z'));
    expect(bucketStart(at('2025-03-05T13:59:59.999Z'), HEATMAP_BUCKETS['1d'])).toEqual(at('2025-03-05T00:00:00.000Z'));
    // 1970-01-01 was a Thursday, so epoch-aligned weeks start on Thursdays: 2025-03-05 is a Wednesday
    expect(bucketStart(at('2025-03-05T13:59:59.999Z'), HEATMAP_BUCKETS['1w'])).toEqual(at('2025-02-27T00:00:00.000Z'));
  });

  it('builds the grid from the aligned start to `to`, or 30 buckets up to `to` by default', () => {
    const grid = heatmapGrid(at('2025-03-05T03:30:00Z'), HEATMAP_BUCKETS['1h'], at('2025-03-05T00:10:00Z'))!;
    expect(grid.from).toEqual(at('2025-03-05T00:00:00Z'));
    expect(grid.starts.map((start) => start.toISOString().slice(11, 16))).toEqual(['00:00', '01:00', '02:00', '03:00']);
    const defaulted = heatmapGrid(at('2025-03-05T03:30:00Z'), HEATMAP_BUCKETS['1d'])!;
    expect(defaulted.starts).toHaveLength(30);
    expect(defaulted.starts[29]).toEqual(at('2025-03-05T00:00:00Z'));
    expect(defaulted.from).toEqual(at('2025-02-04T00:00:00Z'));
  });

  it('refuses grids of more than 500 buckets', () => {
    expect(heatmapGrid(at('2025-03-05T00:00:00Z'), HEATMAP_BUCKETS['1h'], at('2025-02-12T04:00:00Z'))!.starts).toHaveLength(500);
    expect(heatmapGrid(at('2025-03-05T00:00:00Z'), HEATMAP_BUCKETS['1h'], at('2025-02-12T03:59:59Z'))).toBeNull();
  });

  it('lays features (by name) over every bucket, with empty cells where no check ran', () => {
    const starts = [at('2025-03-05T00:00:00Z'), at('2025-03-05T01:00:00Z')];
    const features = buildHeatmap(
      [
        { featureName: 'income', bucketStart: starts[1], maxScore: 0.3, drifted: true, checkCount: 2 },
        { featureName: 'age', bucketStart: starts[0], maxScore: 0.01, drifted: false, checkCount: 1 },
      ],
      starts,
    );
    expect(features).toEqual([
      {
        name: 'age',
        cells: [
          { bucketStart: starts[0], checkCount: 1, maxScore: 0.01, drifted: false },
          { bucketStart: starts[1], checkCount: 0, maxScore: null, drifted: null },
        ],
      },
      {
        name: 'income',
        cells: [
          { bucketStart: starts[0], checkCount: 0, maxScore: null, drifted: null },
          { bucketStart: starts[1], checkCount: 2, maxScore: 0.3, drifted: true },
        ],
      },
    ]);
  });
});
