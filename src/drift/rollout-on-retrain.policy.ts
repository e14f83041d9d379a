/**
 * rolloutOnRetrain: the retrain policy's template for the guarded rollout of each candidate a successful retrain
 * produces (champion = the version in place, challenger = the candidate). Pure TypeScript: no framework or database
 * imports (the start request's type only).
 */
import type { StartAbTestDto } from 'src/ab-tests/dto/ab-test.dto';

/** Stored as jsonb on the policy: the rollout's metrics (guardrails) and ramp; the variants come from the run. */
export type RetrainRolloutSettings = Pick<StartAbTestDto, 'primaryMetric' | 'metricType' | 'metrics' | 'alpha' | 'rollout'>;

export interface RetrainRolloutCandidate {
  modelId: string;
  modelName: string;
  championVersion: string;
  candidateVersion: string;
  trainingRunId: string;
}

/** The start request of a candidate's rollout: champion first, challenger second, equal weights. */
export function retrainRolloutRequest(settings: RetrainRolloutSettings, candidate: RetrainRolloutCandidate): StartAbTestDto {
  return {
    ...settings,
    mode: 'rollout',
    name: `${candidate.modelName} ${candidate.candidateVersion} rollout`,
    modelId: candidate.modelId,
    description: `Guarded rollout of ${candidate.candidateVersion} (training run ${candidate.trainingRunId}) over ${candidate.championVersion}.`,
    variants: [
      { name: 'champion', modelVersion: candidate.championVersion, weight: 1 },
      { name: 'challenger', modelVersion: candidate.candidateVersion, weight: 1 },
    ],
  };
}

/** The field names of a stored template's problems, as the policy request spells them. */
export function templateField(field: string): string {
  return `rolloutOnRetrain.${field}`;
}
