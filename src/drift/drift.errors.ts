import { defineErrors } from 'src/common/errors/domain-error';
import { onMissingReference } from 'src/common/errors/missing-reference';

export const DriftErrors = defineErrors({
  REFERENCE_NOT_FOUND: { status: 404, title: 'Reference data not found' },
  REFERENCE_FEATURE_LIMIT: { status: 409, title: 'Reference has too many features' },
  DRIFT_CHECK_NOT_FOUND: { status: 404, title: 'Drift check not found' },
  RETRAIN_POLICY_NOT_FOUND: { status: 404, title: 'Retrain policy not found' },
  RETRAIN_RUN_ACTIVE: { status: 409, title: 'A retraining run is already queued or running' },
  RETRAIN_COOLDOWN: { status: 409, title: 'Retraining is in its cooldown period' },
  RETRAIN_NOT_ALLOWED: { status: 409, title: 'The retrain policy does not allow retraining' },
});

// A row deleted while a write that refers to it ran: 404, mapped once for every write (missing-reference.ts).
onMissingReference('model_drift_checks', (key) =>
  DriftErrors.DRIFT_CHECK_NOT_FOUND(`The drift check (${key}) was deleted while this request ran.`),
);
