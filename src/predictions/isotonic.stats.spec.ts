import { fitIsotonic, poolAdjacentViolators, predictIsotonic } from 'src/predictions/isotonic.stats';
import { Lcg } from 'test/support/prediction-vectors';

/*
 * Reference: python3, numpy 2.4.6, a PAV written out in numpy (scikit-learn is not installed):
 *   def pav(y, w):
 *       blocks = []                                  # [mean, weight, size]
 *       for yi, wi in zip(y, w):
 *           blocks.append([yi, wi, 1])
 *           while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
 *               m2, w2, n2 = blocks.pop(); m1, w1, n1 = blocks.pop()
 *               blocks.append([(m1*w1 + m2*w2)/(w1+w2), w1+w2, n1+n2])
 *       return np.concatenate([[m]*n for m, _, n in blocks])
 *   def fit(x, y):                                   # sklearn _make_unique: ties merged to their mean, weight = count
 *       ux, inv = np.unique(np.asarray(x, float), return_inverse=True)
 *       w = np.bincount(inv); m = np.bincount(inv, weights=np.asarray(y, float)) / w
 *       return ux, pav(m, w)
 *   g = Lcg(3); x = []; y = []
 *   for _ in range(3000):
 *       u = g.next(); v = g.next(); x.append(np.floor(u*50)/50); y.append(1 if v < u**2 else 0)
 *   ux, fy = fit(x, y)           # len(ux) = 50, fy.sum() = 16.298126078825554, fy[0] = 0.0, fy[-1] = 1.0
 *   np.interp(q, ux, fy)          # linear between fitted points, end values outside (out_of_bounds='clip')
 */
describe('isotonic regression (PAV, linear interpolation, clipped)', () => {
  it('pool-adjacent-violators on hand cases', () => {
    expect(Array.from(poolAdjacentViolators([1, 3, 2, 4]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(poolAdjacentViolators([5, 4, 3, 2, 1]))).toEqual([3, 3, 3, 3, 3]);
    // weighted: 3 (w 1) and 2 (w 3) pool to (3 + 6)/4
    expect(Array.from(poolAdjacentViolators([1, 3, 2], [1, 1, 3]))).toEqual([1, 2.25, 2.25]);
    expect(Array.from(poolAdjacentViolators([1, 2, 3]))).toEqual([1, 2, 3]);
  });

  it('equals the numpy reference on 3,000 tied binary labels', () => {
    const generator = new Lcg(3);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const u = generator.next();
      const v = generator.next();
      x.push(Math.floor(u * 50) / 50);
      y.push(v < u ** 2 ? 1 : 0);
    }
    const fit = fitIsotonic(x, y);
    expect(fit.x.length).toBe(50);
    expect(fit.y.reduce((a, b) => a + b, 0)).toBeCloseTo(16.298126078825554, 12);
    for (let i = 1; i < fit.y.length; i++) expect(fit.y[i]).toBeGreaterThanOrEqual(fit.y[i - 1]);
    const queries = [-0.5, 0.0, 0.013, 0.25, 0.4999, 0.71, 0.97, 0.98, 1.5];
    const expected = [0, 0, 0, 0.09457403651115619, 0.24481327800829875, 0.5082321187584345, 0.9642857142857143, 1, 1];
    queries.forEach((q, i) => expect(predictIsotonic(fit, q)).toBeCloseTo(expected[i], 12));
  });

  it('merges equal x before pooling, interpolates between and clips outside the fitted points', () => {
    // x = [0, 0, 1, 2], y = [0, 1, 0, 1]: x=0 → mean 0.5 (weight 2), x=1 → 0 violates and pools to 1/3 over x ∈ {0, 1}
    const fit = fitIsotonic([0, 0, 1, 2], [0, 1, 0, 1]);
    expect(Array.from(fit.x)).toEqual([0, 1, 2]);
    expect(fit.y[0]).toBeCloseTo(1 / 3, 15);
    expect(fit.y[1]).toBeCloseTo(1 / 3, 15);
    expect(fit.y[2]).toBe(1);
    expect(predictIsotonic(fit, 1.5)).toBeCloseTo(2 / 3, 15);
    expect(predictIsotonic(fit, -3)).toBeCloseTo(1 / 3, 15);
    expect(predictIsotonic(fit, 9)).toBe(1);
    expect(predictIsotonic(fitIsotonic([0.4], [1]), 0.9)).toBe(1);
    expect(() => fitIsotonic([], [])).toThrow(RangeError);
  });
});
