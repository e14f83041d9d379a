import type { AbTestCumulativeLift, AbTestResults, DriftHeatmap } from '@/api/types';
import { cumulativeSeries } from '@/pages/ab-test/cumulative';
import { liftRows } from '@/pages/ab-test/forest';
import { alertFlow, outcomeOf } from '@/pages/alerts/flow';
import { comparisonLines, splitList } from '@/pages/compare/lines';
import { heatmapModel, histogramSeries } from '@/pages/drift/heatmap-model';
import { latestProduction, severityCounts } from '@/pages/overview/summary';

describe('drift heatmap model', () => {
  const heatmap = {
    modelId: 'm',
    bucket: '1d',
    from: '2026-12-01T00:00:00Z',
    to: '2026-12-03T00:00:00Z',
    buckets: ['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z'],
    features: [
      {
        name: 'age',
        cells: [
          { bucketStart: '2026-12-01T00:00:00.000Z', checkCount: 1, maxScore: 0.2, drifted: false },
          { bucketStart: '2026-12-02T00:00:00.000Z', checkCount: 0, maxScore: null, drifted: null },
        ],
      },
      {
        name: 'income',
        cells: [
          { bucketStart: '2026-12-01T00:00:00.000Z', checkCount: 2, maxScore: 0.7, drifted: true },
          { bucketStart: '2026-12-02T00:00:00.000Z', checkCount: 1, maxScore: 0.4, drifted: false },
        ],
      },
    ],
  } as unknown as DriftHeatmap;

  it('one cell per bucket with checks, features as rows, the score range for the colour scale', () => {
    const m = heatmapModel(heatmap);
    expect(m.cells).toEqual([
      [0, 0, 0.2, false],
      [0, 1, 0.7, true],
      [1, 1, 0.4, false],
    ]);
    expect(m.yLabels).toEqual(['age', 'income']);
    expect([m.min, m.max, m.driftedCells]).toEqual([0.2, 0.7, 1]);
    expect(m.xLabels).toEqual(['12-01 00:00', '12-02 00:00']);
  });

  it('histograms become shares per side over the same bins', () => {
    const s = histogramSeries({ edges: [0, 1, 2], reference: [3, 1], current: [1, 1] });
    expect(s.reference).toEqual([0.75, 0.25]);
    expect(s.current).toEqual([0.5, 0.5]);
    expect(s.labels).toEqual(['0–1', '1–2']);
  });
});

describe('alert flow', () => {
  it('type → severity → outcome, with auto-resolution told apart from a person', () => {
    const flow = alertFlow([
      { type: 'data_drift', severity: 'warning', status: 'firing', resolvedBy: null },
      { type: 'data_drift', severity: 'warning', status: 'resolved', resolvedBy: 'modelwatch' },
      { type: 'custom', severity: 'info', status: 'resolved', resolvedBy: 'alice' },
    ]);
    expect(flow.nodes).toEqual([
      'Data drift',
      'Warning severity',
      'Still open',
      'Auto-resolved',
      'Custom',
      'Info severity',
      'Resolved by a person',
    ]);
    expect(flow.links).toEqual([
      { source: 'Data drift', target: 'Warning severity', value: 2 },
      { source: 'Warning severity', target: 'Still open', value: 1 },
      { source: 'Warning severity', target: 'Auto-resolved', value: 1 },
      { source: 'Custom', target: 'Info severity', value: 1 },
      { source: 'Info severity', target: 'Resolved by a person', value: 1 },
    ]);
    expect(outcomeOf({ status: 'acknowledged', resolvedBy: null })).toBe('Acknowledged');
  });

  it('a model card leads with the newest production value', () => {
    const items = [
      { environment: 'training', recordedAt: '2026-12-02T00:00:00Z', v: 1 },
      { environment: 'production', recordedAt: '2026-11-30T00:00:00Z', v: 2 },
      { environment: 'production', recordedAt: '2026-12-01T00:00:00Z', v: 3 },
    ];
    expect(latestProduction(items)?.v).toBe(3);
    expect(latestProduction(items.slice(0, 1))?.v).toBe(1);
  });

  it('counts open alerts by severity', () => {
    expect(severityCounts([{ severity: 'critical' }, { severity: 'info' }, { severity: 'critical' }])).toEqual({
      critical: 2,
      warning: 0,
      info: 1,
    });
  });
});

describe('A/B lift rows', () => {
  it('one row per comparison with a relative effect', () => {
    const results = {
      control: 'control',
      comparisons: [
        { variant: 'b', relativeEffect: 0.05, relativeCiLow: 0.01, relativeCiHigh: 0.09, significant: true },
        { variant: 'c', relativeEffect: null, relativeCiLow: null, relativeCiHigh: null, significant: false },
      ],
    } as unknown as AbTestResults;
    expect(liftRows(results)).toEqual([{ label: 'b vs control', estimate: 0.05, low: 0.01, high: 0.09, strong: true }]);
  });
});

describe('comparison', () => {
  it('splits the API list parameters and skips series without points', () => {
    expect(splitList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(splitList(null)).toEqual([]);
    const trend = { points: [{ bucketStart: '2026-12-01T00:00:00.000Z', value: 1, count: 1 }] } as never;
    expect(comparisonLines(['x', 'y'], [trend, null])).toEqual([{ name: 'x', points: [[Date.parse('2026-12-01T00:00:00Z'), 1]] }]);
  });
});

describe('cumulative lift series', () => {
  it('one line and one CI band per treatment, points without a lift left out', () => {
    const comparison = (variant: string, effect: number | null, low: number | null, high: number | null) => ({
      variant,
      relativeEffect: effect,
      relativeCiLow: low,
      relativeCiHigh: high,
      pValue: null,
      significant: false,
    });
    const cumulative = {
      testId: 't',
      primaryMetric: 'ctr',
      alpha: 0.05,
      bucket: '1d',
      control: 'control',
      points: [
        {
          bucketStart: '2026-12-01T00:00:00.000Z',
          asOf: '2026-12-01T10:00:00.000Z',
          counts: [10, 10, 10],
          comparisons: [comparison('a', null, null, null), comparison('b', 0.1, -0.2, 0.4)],
        },
        {
          bucketStart: '2026-12-02T00:00:00.000Z',
          asOf: '2026-12-02T10:00:00.000Z',
          counts: [20, 20, 20],
          comparisons: [comparison('a', 0.05, -0.01, 0.11), comparison('b', 0.08, 0.01, 0.15)],
        },
      ],
    } as AbTestCumulativeLift;
    const day2 = Date.parse('2026-12-02T00:00:00.000Z');
    expect(cumulativeSeries(cumulative)).toEqual([
      { variant: 'a', line: [[day2, 0.05]], band: [[day2, -0.01, 0.11]] },
      {
        variant: 'b',
        line: [
          [Date.parse('2026-12-01T00:00:00.000Z'), 0.1],
          [day2, 0.08],
        ],
        band: [
          [Date.parse('2026-12-01T00:00:00.000Z'), -0.2, 0.4],
          [day2, 0.01, 0.15],
        ],
      },
    ]);
  });
});
