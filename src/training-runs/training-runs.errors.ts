import { defineErrors } from 'src/common/errors/domain-error';

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
