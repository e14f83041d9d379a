/**
 * Drift threshold backtesting: re-decides stored checks with other per-feature thresholds, using the decisions a live
 * check makes (isDrift per feature, datasetDrift for the check) and the data_drift alert's lifecycle (DriftReactions:
 * a drifted check raises or folds into the open alert, a check without drift resolves it). Pure.
 */
import { datasetDrift, isDrift, type StatTest } from 'src/drift/drift-check.stats';

export interface StoredFeatureDecision {
  featureName: string;
  stattest: string;
  score: number;
  threshold: number;
  drifted: boolean;
}

export interface StoredCheck {
  datasetDrift: boolean;
  driftShareThreshold: number;
  features: StoredFeatureDecision[];
}

export interface FeatureReplay {
  checks: number;
  storedDrifted: number;
  previewDrifted: number;
}

export interface DriftOutcomes {
  driftedChecks: number;
  /** data_drift alerts opened (a drifted check with none open opens one; a check without drift resolves it). */
  alerts: number;
}

export interface DriftReplay {
  checks: number;
  stored: DriftOutcomes;
  preview: DriftOutcomes;
  /** By feature name, in order of first appearance. */
  features: Map<string, FeatureReplay>;
}

/** Checks in time order; a feature without a new threshold keeps its stored one; driftShareThreshold overrides each check's. */
export function replayDriftThresholds(
  checks: readonly StoredCheck[],
  thresholds: ReadonlyMap<string, number>,
  driftShareThreshold?: number,
): DriftReplay {
  const features = new Map<string, FeatureReplay>();
  const storedDecisions: boolean[] = [];
  const previewDecisions: boolean[] = [];
  for (const check of checks) {
    const decided = check.features.map((feature) => {
      const threshold = thresholds.get(feature.featureName) ?? feature.threshold;
      const drifted = isDrift(feature.stattest as StatTest, feature.score, threshold);
      let counts = features.get(feature.featureName);
      if (!counts) features.set(feature.featureName, (counts = { checks: 0, storedDrifted: 0, previewDrifted: 0 }));
      counts.checks++;
      if (feature.drifted) counts.storedDrifted++;
      if (drifted) counts.previewDrifted++;
      return { drifted };
    });
    storedDecisions.push(check.datasetDrift);
    previewDecisions.push(datasetDrift(decided, driftShareThreshold ?? check.driftShareThreshold).datasetDrift);
  }
  return { checks: checks.length, stored: outcomes(storedDecisions), preview: outcomes(previewDecisions), features };
}

function outcomes(decisions: readonly boolean[]): DriftOutcomes {
  let alerts = 0;
  let open = false;
  for (const drifted of decisions) {
    if (drifted && !open) alerts++;
    open = drifted;
  }
  return { driftedChecks: decisions.filter(Boolean).length, alerts };
}
