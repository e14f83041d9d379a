import {
  fitMulticlassReferenceFromGroups,
  MAX_MULTICLASS_REFERENCE_CELLS,
  multiclassCbpeMetricOf,
  multiclassReferenceShortfall,
} from 'src/predictions/estimation-multiclass.policy';

const row = (labelClass: string | null, count: number, probabilities: Record<string, number> = { a: 0.5, b: 0.3, c: 0.2 }) => ({
  probabilities,
  predictedClass: 'a',
  labelClass,
  count,
});

describe('multiclass estimation policy', () => {
  it('a reference needs 100 labelled predictions with 10 of every class its probabilities name', () => {
    expect(multiclassReferenceShortfall([row('a', 50), row('b', 50), row('c', 10)])).toBeNull();
    expect(multiclassReferenceShortfall([row('a', 50), row('b', 50), row('c', 9)])).toContain("9 labelled 'c'");
    expect(multiclassReferenceShortfall([row('a', 40), row('b', 40), row('c', 10)])).toContain('holds 90 labelled');
    // unlabelled predictions count for nothing
    expect(multiclassReferenceShortfall([row('a', 50), row('b', 50), row(null, 500)])).toContain("0 labelled 'c'");
    expect(multiclassReferenceShortfall([row('a', 100), row('z', 10)])).toContain("labelled 'z'");
  });

  it('refuses a window too large to fit one calibrator per class', () => {
    const classes = Object.fromEntries(Array.from({ length: 1000 }, (_, k) => [`c${k}`, 0.001]));
    const rows = Object.keys(classes).map((name) => row(name, Math.ceil(MAX_MULTICLASS_REFERENCE_CELLS / 1000 / 1000) + 1, classes));
    expect(multiclassReferenceShortfall(rows)).toContain('choose a shorter period');
  });

  it('serves estimation_error.* for every multiclass estimate, and no binary name', () => {
    expect(
      ['estimated.macro_auc', 'estimation_error.macro_auc', 'estimation_error.macro_f1', 'estimated.auc'].map(multiclassCbpeMetricOf),
    ).toEqual(['macro_auc', 'macro_auc', 'macro_f1', null]);
  });

  it('fits classes in sort order from the probabilities, a missing probability as 0', () => {
    const fit = fitMulticlassReferenceFromGroups([row('b', 3, { b: 0.7, a: 0.3 }), row('a', 3, { a: 0.6, b: 0.2, c: 0.2 })]);
    expect(fit.classes).toEqual(['a', 'b', 'c']);
    expect(fit.reference.calibrators).toHaveLength(3);
  });
});
