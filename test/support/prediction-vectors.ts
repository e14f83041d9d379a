/**
 * Deterministic data that TypeScript and python3 generate bit-identically, for reference values computed in numpy:
 *   class Lcg:
 *       def __init__(self, seed): self.state = seed
 *       def next(self):
 *           self.state = (1664525 * self.state + 1013904223) % 2**32
 *           return self.state / 2**32
 * (Numerical Recipes' 32-bit LCG; 1664525 · 2³² < 2⁵³, so the product is exact in a double.)
 */
export class Lcg {
  constructor(private state: number) {}

  next(): number {
    this.state = (1664525 * this.state + 1013904223) % 4294967296;
    return this.state / 4294967296;
  }
}

/**
 * `classes` classes with true probabilities q ∝ (0.2 + u)^(1 + shift) (u uniform; shift > 0 sharpens them, moving the
 * chunks away from the reference) and a model that reports the over-confident r ∝ q², so CBPE must calibrate.
 * Label drawn from q; predicted class argmax r (the lowest index on a tie).
 */
export function multiclassDraws(generator: Lcg, n: number, shift: number, classes: number) {
  const probabilities: number[][] = [];
  const labels: number[] = [];
  const predicted: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = Array.from({ length: classes }, () => generator.next());
    const v = generator.next();
    const w = u.map((x) => (0.2 + x) ** (1 + shift));
    const wSum = w.reduce((a, b) => a + b, 0);
    const q = w.map((x) => x / wSum);
    const squares = q.reduce((a, x) => a + x * x, 0);
    const r = q.map((x) => (x * x) / squares);
    probabilities.push(r);
    let cumulative = 0;
    let label = classes - 1;
    for (let k = 0; k < classes; k++) {
      cumulative += q[k];
      if (v < cumulative) {
        label = k;
        break;
      }
    }
    labels.push(label);
    predicted.push(r.indexOf(Math.max(...r)));
  }
  return { probabilities, labels, predicted };
}
