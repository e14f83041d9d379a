import { defineErrors } from 'src/common/errors/domain-error';

export const PredictionErrors = defineErrors({
  LABEL_CONFLICT: { status: 409, title: 'A different label is already recorded' },
});
