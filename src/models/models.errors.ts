import { defineErrors } from 'src/common/errors/domain-error';

export const ModelErrors = defineErrors({
  MODEL_NOT_FOUND: { status: 404, title: 'Model not found' },
  MODEL_NAME_TAKEN: { status: 409, title: 'Model name already in use' },
  MODEL_HAS_DATA: { status: 409, title: 'Model still has data' },
});
