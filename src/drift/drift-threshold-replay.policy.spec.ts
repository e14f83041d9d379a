import { replayDriftThresholds, type StoredCheck } from 'src/drift/drift-threshold-replay.policy';

/** ks: drift when p ≤ threshold; psi: drift when the distance ≥ threshold (Evidently's rules, isDrift). */
function check(incomeP: number, planPsi: number): StoredCheck {
  const features = [
    { featureName: 'income', stattest: 'ks', score: incomeP, threshold: 0.05, drifted: incomeP <= 0.05 },
    { featureName: 'plan', stattest: 'psi', score: planPsi, threshold: 0.1, drifted: planPsi >= 0.1 },
  ];
  const drifted = features.filter((feature) => feature.drifted).length;
  return { datasetDrift: drifted / 2 >= 0.5, driftShareThreshold: 0.5, features };
}

describe('replayDriftThresholds', () => {
  const checks = [check(0.5, 0.01), check(0.01, 0.01), check(0.03, 0.2), check(0.5, 0.01), check(0.5, 0.3)];

  it('with no new thresholds, re-decides every check as stored', () => {
    const replay = replayDriftThresholds(checks, new Map());
    expect(replay.stored).toEqual({ driftedChecks: 3, alerts: 2 });
    expect(replay.preview).toEqual(replay.stored);
  });

  it('decides named features with the new threshold and opens an alert per run of drifted checks', () => {
    const replay = replayDriftThresholds(checks, new Map([['income', 0.02]]));
    // income drifts only at p 0.01; checks: F, T, T (plan), F, T → alerts at 2 and 5
    expect(replay.preview).toEqual({ driftedChecks: 3, alerts: 2 });
    expect(replay.features.get('income')).toEqual({ checks: 5, storedDrifted: 2, previewDrifted: 1 });
    const stricter = replayDriftThresholds(checks, new Map([['plan', 0.25]]), 0.6);
    // share must reach 0.6: only checks with both features drifted, none
    expect(stricter.preview).toEqual({ driftedChecks: 0, alerts: 0 });
  });
});
