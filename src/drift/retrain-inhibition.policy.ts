/**
 * Built-in inhibition for ML (what Alertmanager inhibit_rules cannot know): while a model retrains, or right after its
 * reference data was replaced, its drift and degradation alerts describe a situation already being dealt with, so they
 * are recorded but not notified. Pure: no framework, no database.
 */
import { AlertType } from 'src/alerts/alert.enums';
import type { StoredInhibition } from 'src/alerts/alert-suppression.types';
import { InhibitionReason } from 'src/alerts/silence.enums';

export const DEFAULT_REFERENCE_GRACE_MINUTES = 60;
export const MAX_REFERENCE_GRACE_MINUTES = 10_080;
const MINUTE_MS = 60_000;

export const INHIBITED_ALERT_TYPES: readonly AlertType[] = [AlertType.DataDrift, AlertType.PerformanceDegradation];

export interface InhibitionSettings {
  inhibitDuringRetrain: boolean;
  /** 0 = off. */
  referenceGraceMinutes: number;
}

/** A model without a retrain policy gets the defaults (inhibit during retraining, 60-minute reference grace). */
export function inhibitionSettings(policy: InhibitionSettings | null): InhibitionSettings {
  return policy
    ? { inhibitDuringRetrain: policy.inhibitDuringRetrain, referenceGraceMinutes: policy.referenceGraceMinutes }
    : { inhibitDuringRetrain: true, referenceGraceMinutes: DEFAULT_REFERENCE_GRACE_MINUTES };
}

export function retrainInhibitions(input: {
  type: AlertType;
  settings: InhibitionSettings;
  /** The model's queued or running training run, if any. */
  activeRunId: string | null;
  /** When the model's reference was last replaced (null: never replaced). */
  referenceReplacedAt: Date | null;
  now: Date;
}): StoredInhibition[] {
  if (!INHIBITED_ALERT_TYPES.includes(input.type)) return [];
  const inhibitions: StoredInhibition[] = [];
  if (input.settings.inhibitDuringRetrain && input.activeRunId !== null) {
    inhibitions.push({ reason: InhibitionReason.TrainingRun, trainingRunId: input.activeRunId, until: null });
  }
  if (input.settings.referenceGraceMinutes > 0 && input.referenceReplacedAt !== null) {
    const until = input.referenceReplacedAt.getTime() + input.settings.referenceGraceMinutes * MINUTE_MS;
    if (input.now.getTime() < until) {
      inhibitions.push({ reason: InhibitionReason.ReferenceReplaced, trainingRunId: null, until: new Date(until).toISOString() });
    }
  }
  return inhibitions;
}
