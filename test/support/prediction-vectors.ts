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
