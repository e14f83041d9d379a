import { defineErrors } from 'src/common/errors/domain-error';
import { onMissingReference } from 'src/common/errors/missing-reference';

export const TrainingRunErrors = defineErrors({
  TRAINING_RUN_NOT_FOUND: { status: 404, title: 'Training run not found' },
  TRAINING_RUN_ACTIVE_EXISTS: { status: 409, title: 'An automated training run is already queued or running for this model' },
  TRAINING_RUN_INVALID_TRANSITION: { status: 409, title: 'Training run status transition not allowed' },
  TRAINING_RUN_FINISHED: { status: 409, title: 'The training run has finished; its results are final' },
});

export function trainingRunNotFound(runId: string, field = 'runId') {
  return TrainingRunErrors.TRAINING_RUN_NOT_FOUND(`No training run with id ${runId}${field === 'runId' ? '' : ` (${field})`}.`, {
    [field]: runId,
  });
}

// A row deleted while a write that refers to it ran: 404, mapped once for every write (missing-reference.ts).
onMissingReference('model_training_history', (key) =>
  TrainingRunErrors.TRAINING_RUN_NOT_FOUND(`The training run (${key}) was deleted while this request ran.`),
);
