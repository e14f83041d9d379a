/** Silences and inhibition: string enums stable in the database and the API (kept apart so pure policies can use them). */

/** Alertmanager's four matcher operators; regex operators match the whole value (anchored, as Alertmanager does). */
export enum MatcherOperator {
  Equal = '=',
  NotEqual = '!=',
  Regex = '=~',
  NotRegex = '!~',
}

/** pending: not silencing yet (or, if recurring, between windows); active: silencing now; expired: never again. */
export enum SilenceState {
  Pending = 'pending',
  Active = 'active',
  Expired = 'expired',
}

/** Why ModelWatch itself held back a model's drift or degradation alert. */
export enum InhibitionReason {
  /** The model has a queued or running training run. */
  TrainingRun = 'training_run',
  /** The model's reference data was replaced less than referenceGraceMinutes ago. */
  ReferenceReplaced = 'reference_replaced',
}
