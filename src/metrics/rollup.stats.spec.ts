import { MetricAggregation } from 'src/metrics/metrics.types';
import {
  cellValue,
  mergeCells,
  type RollupCell,
  SKETCH_RELATIVE_ERROR,
  type SketchCounts,
  sketchKeyValue,
  sketchQuantile,
} from 'src/metrics/rollup.stats';

/** metric_sketch_key of the migration, in JS: ⌈ln|v| / ln γ⌉ per sign, z below 1e-9. ln γ = 0.020000666706669435. */
function sketchOf(values: number[]): SketchCounts {
  const sketch: SketchCounts = {};
  for (const value of values) {
    const key = Math.abs(value) < 1e-9 ? 'z' : `${value > 0 ? 'p' : 'n'}${Math.ceil(Math.log(Math.abs(value)) / 0.020000666706669435)}`;
    sketch[key] = (sketch[key] ?? 0) + 1;
  }
  return sketch;
}

describe('rollup stats', () => {
  it('represents a key by 2γ^i/(γ + 1), γ = 1.01/0.99', () => {
    // python3 -c "g=1.01/0.99; print(repr(2/(g+1)), repr(2*g/(g+1)), repr(-2*g**3/(g+1)))"
    expect(sketchKeyValue('p0')).toBeCloseTo(0.9900000000000001, 14);
    expect(sketchKeyValue('p1')).toBeCloseTo(1.01, 14);
    expect(sketchKeyValue('n3')).toBeCloseTo(-1.051220283644526, 14);
    expect(sketchKeyValue('z')).toBe(0);
  });

  it('estimates percentile_cont within the stated relative error', () => {
    const values = Array.from({ length: 100 }, (_, k) => Math.exp(k / 7));
    // python3 -c "import numpy as np, math; v=[math.exp(k/7) for k in range(100)];
    //   print([float(np.percentile(v, q)) for q in (50, 90, 95, 99)])"   (numpy's default is linear, as percentile_cont)
    const exact: [number, number][] = [
      [0.5, 1180.835391116395],
      [0.9, 337569.09563101194],
      [0.95, 684346.9813013729],
      [0.99, 1204451.0633723638],
    ];
    const sketch = sketchOf(values);
    for (const [q, value] of exact) {
      expect(Math.abs(sketchQuantile(sketch, q)! - value)).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR * value);
    }
    expect(sketchQuantile({}, 0.5)).toBeNull();
  });

  it('orders keys by value across signs, zero and magnitudes below 1 (negative key indices)', () => {
    // The reference: every value replaced by its key's representative value, sorted, percentile_cont interpolation.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let trial = 0; trial < 50; trial++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 300) }, () => {
        const pick = random();
        if (pick < 0.1) return 0;
        const magnitude = Math.exp((random() - 0.5) * 40);
        return pick < 0.45 ? -magnitude : magnitude;
      });
      const sketch = sketchOf(values);
      const represented = Object.entries(sketch)
        .flatMap(([key, count]) => Array<number>(count).fill(sketchKeyValue(key)))
        .sort((a, b) => a - b);
      for (const q of [0, 0.1, 0.5, 0.9, 0.95, 0.99, 1]) {
        const rank = q * (represented.length - 1);
        const low = represented[Math.floor(rank)];
        const expected = low + (rank - Math.floor(rank)) * (represented[Math.ceil(rank)] - low);
        expect(sketchQuantile(sketch, q)).toBeCloseTo(expected, 12);
      }
    }
  });

  it('merges disjoint summaries: counts and sums add, last is the later point, ties to the greater value', () => {
    const a: RollupCell = { count: 2, sum: 3, min: 1, max: 2, lastValue: 2, lastAt: 1000, sketch: sketchOf([1, 2]) };
    const b: RollupCell = { count: 1, sum: 5, min: 5, max: 5, lastValue: 5, lastAt: 1000, sketch: sketchOf([5]) };
    const merged = mergeCells(a, b);
    expect(merged).toEqual({ count: 3, sum: 8, min: 1, max: 5, lastValue: 5, lastAt: 1000, sketch: sketchOf([1, 2, 5]) });
    expect(mergeCells(b, a).lastValue).toBe(5);
    expect(mergeCells(a, { ...b, lastAt: 999 }).lastValue).toBe(2);
    expect(cellValue(merged, MetricAggregation.Avg)).toBeCloseTo(8 / 3, 15);
    expect(cellValue(merged, MetricAggregation.Count)).toBe(3);
    expect(cellValue(merged, MetricAggregation.Last)).toBe(5);
  });
});
