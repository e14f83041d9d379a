import { defineErrors } from 'src/common/errors/domain-error';

export const EstimationErrors = defineErrors({
  ESTIMATION_REFERENCE_NOT_FOUND: { status: 404, title: 'No estimation reference is set for this model' },
});
