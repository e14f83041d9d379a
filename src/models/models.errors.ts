import { defineErrors } from 'src/common/errors/domain-error';
import { onMissingReference } from 'src/common/errors/missing-reference';

export const ModelErrors = defineErrors({
  MODEL_NOT_FOUND: { status: 404, title: 'Model not found' },
  MODEL_NAME_TAKEN: { status: 409, title: 'Model name already in use' },
  MODEL_HAS_DATA: { status: 409, title: 'Model still has data' },
});

// A row deleted while a write that refers to it ran: 404, mapped once for every write (missing-reference.ts).
onMissingReference('models', (key) => ModelErrors.MODEL_NOT_FOUND(`The model (${key}) was deleted while this request ran.`));
