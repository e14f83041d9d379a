import { featureHistogram } from 'src/drift/histogram.stats';

describe('featureHistogram', () => {
  it('bins both samples over the pooled range like np.histogram(bins=n, range=(lo, hi))', () => {
    // python3: ref=[0.5,1.5,2.5,2.5,3.0,9.75,4.25,-1.0]; cur=[2.0,2.0,7.5,8.0,10.0]; lo,hi=-1.0,10.0
    //   np.histogram(ref,bins=5,range=(lo,hi)) → [2,4,1,0,1], edges [-1, 1.2, 3.4, 5.6, 7.8, 10]
    //   np.histogram(cur,bins=5,range=(lo,hi)) → [0,2,0,1,2]
    const h = featureHistogram([0.5, 1.5, 2.5, 2.5, 3.0, 9.75, 4.25, -1.0], [2.0, 2.0, 7.5, 8.0, 10.0], 5)!;
    expect(h.reference).toEqual([2, 4, 1, 0, 1]);
    expect(h.current).toEqual([0, 2, 0, 1, 2]);
    expect(h.edges[0]).toBe(-1);
    expect(h.edges[5]).toBe(10);
    expect(h.edges[1]).toBeCloseTo(1.2, 12);
  });

  it('widens a single-valued range by 0.5 on each side, as numpy does', () => {
    // python3: np.histogram([3,3], bins=4, range=(2.5,3.5)) → [0,0,2,0], edges [2.5,2.75,3,3.25,3.5]
    const h = featureHistogram([3, 3], [3], 4)!;
    expect(h.edges).toEqual([2.5, 2.75, 3, 3.25, 3.5]);
    expect(h.reference).toEqual([0, 0, 2, 0]);
    expect(h.current).toEqual([0, 0, 1, 0]);
  });

  it('drops null, NaN and ±Infinity and returns null when a side has no finite value', () => {
    const h = featureHistogram([1, null, NaN, 2, Infinity], [1, 2], 2)!;
    expect(h.reference).toEqual([1, 1]);
    expect(featureHistogram([null, NaN], [1], 2)).toBeNull();
  });
});
